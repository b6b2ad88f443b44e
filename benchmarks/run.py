"""innoproc's benchmarks, with baselines measured in the same run.

Run from the repository after the quick start's test command (which installs the test
extras, python-statemachine among them):

    .venv/bin/python benchmarks/run.py            # everything, about four minutes
    .venv/bin/python benchmarks/run.py --quick    # fewer repetitions, about a minute

Scenario 1 loads a stored innovation partnership (version 1 of the procedure, in
'market-dialogue', 10 history entries, about 2.2 KB of JSON) and applies 'publish-notice',
guarded by 7 preconditions (leadership anchoring, need described, no market solution,
minimum requirements stated, documents complete, proportionality, and the 30-day time limit
for requests counted under Regulation 1182/71 with Norway's holidays), appending its record:

- innoproc, sealed: ``innoproc.loads(text, key=KEY)`` (the document was sealed by
  ``dumps(case, key=KEY)``; the seal is checked, then the entries are decoded without
  re-validation) and ``case.apply(...)`` (every precondition assessed, the step recorded);
- innoproc, validated: the same document without a key, validated in full;
- hand-written: ``json.loads``, the same 7 rules written out over the plain dicts (the same
  holiday table), one record appended: the same work with no validation, the practical limit;
- transitions, one ``Machine`` per case; transitions, one shared machine with
  ``add_model``/``remove_model`` per case; python-statemachine, one instance per case: each
  parses the JSON and runs the same hand-written 7 rules as the transition's condition.

Scenario 2 is the same step on a case already in memory (innoproc: ``case.apply`` on a
loaded case; hand-written: the 7 rules over the parsed document and one record appended).
Then: the first guarded step in a fresh interpreter (import, load, check), memory per stored
history entry and per idle case (tracemalloc), how ``dumps``, ``loads`` and ``audit`` grow
with the history (100 to 10,000 entries), and simulation throughput on 1 and 2 processes.
Figures are medians of repeated timings, taken in turns so that the drift of a shared
machine hits every contender alike; ratios compare contenders timed in the same run.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import innoproc
from innoproc import scenarios

OSLO = innoproc.OSLO
KEY = b"benchmark key: 32 bytes of secret"
T0 = datetime(2024, 1, 8, 9, 0, tzinfo=OSLO)
PM = "Procurement manager"
STATES = [
    "needs",
    "market-dialogue",
    "tendering",
    "negotiation",
    "final-tenders",
    "development",
    "purchased",
    "terminated",
    "cancelled",
]
EDGES = [
    ("start-market-dialogue", "needs", "market-dialogue"),
    ("publish-notice", "market-dialogue", "tendering"),
    ("invite-candidates", "tendering", "negotiation"),
    ("call-final-tenders", "negotiation", "final-tenders"),
    ("award", "final-tenders", "development"),
    ("purchase", "development", "purchased"),
    ("terminate", "development", "terminated"),
    ("cancel", "negotiation", "cancelled"),
]
DOCUMENTS: dict[str, Any] = {
    "minimum_requirements": ("Works offline for 12 hours",),
    "award_criteria": ("Quality 60 %", "Price 40 %"),
    "ipr_arrangements": True,
    "rd_capacity_criteria": True,
    "negotiation_rules": True,
    "purchase_terms": True,
    "phases": 2,
    "termination_foreseen": True,
    "partner_reduction_foreseen": True,
    "max_rd_value": Decimal("6000000"),
    "estimated_purchase_value": Decimal("30000000"),
}


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


AT = day(40)
NOTICE = {"notice_sent": day(40), "request_deadline": day(75)}

#: Facts a case may record in any state, with their payloads, for long histories.
FILLERS: list[tuple[str, dict[str, Any]]] = [
    ("need-description", {"summary": "Night supervision in home care", "functional": True}),
    ("market-dialogue-outcome", {"solution_available": False}),
    ("leadership-decision", {"decided_by": "Chief executive", "decision": "2024/88"}),
    ("proportionality-assessment", {"proportionate": True, "reasoning": "Phases fit the risk"}),
]


def stored_case(entries: int = 10) -> innoproc.Case:
    """A version-1 innovation partnership in market dialogue, ready for 'publish-notice'."""
    procedure = innoproc.procedure("innovation-partnership", 1)
    case = innoproc.open_case(procedure, reference="2024/0173", authority="Eksempel kommune")
    case.record("need-description", at=day(1), by=PM, summary="Night supervision", functional=True)
    case.apply("start-market-dialogue", at=day(2), by=PM)
    case.record("market-dialogue-outcome", at=day(30), by=PM, solution_available=False)
    case.record("leadership-decision", at=day(31), by="CEO", decided_by="CEO", decision="2024/88")
    case.record("procurement-documents", at=day(32), by=PM, **DOCUMENTS)
    case.record("proportionality-assessment", at=day(33), by=PM, proportionate=True, reasoning="ok")
    for i in range(entries - 6):
        name, payload = FILLERS[i % len(FILLERS)]
        case.record(name, at=day(34 + 6 * i / max(1, entries)), by=PM, **payload)
    assert case.revision == entries
    return case


# -- the hand-written limit: the same 7 rules over plain dicts ----------------------------------

HAND_NEXT = {(e, s): d for e, s, d in EDGES}
ELEMENTS = (
    "award_criteria",
    "ipr_arrangements",
    "rd_capacity_criteria",
    "negotiation_rules",
    "purchase_terms",
    "phases",
)
HOLIDAYS: frozenset[date] = frozenset()  # Norway's holidays 2020-2030, filled in main()
ONE_DAY = timedelta(days=1)


def hand_unmet(
    history: list[dict[str, Any]], notice_sent: datetime, deadline: datetime
) -> list[str]:
    """The 7 rules of 'publish-notice' (version 1), written out by hand."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in history:
        if entry["kind"] == "fact":
            latest[entry["name"]] = entry["payload"]
    unmet = []
    if "leadership-decision" not in latest:
        unmet.append("leadership-anchoring")
    need = latest.get("need-description")
    if need is None or need.get("functional") is not True:
        unmet.append("need-described")
    outcome = latest.get("market-dialogue-outcome")
    if outcome is None or outcome.get("solution_available") is not False:
        unmet.append("no-market-solution")
    docs = latest.get("procurement-documents")
    if docs is None or not docs.get("minimum_requirements"):
        unmet.append("minimum-requirements-stated")
    if (
        docs is None
        or need is None
        or any(not docs.get(k) for k in ELEMENTS)
        or not isinstance(docs["phases"], int)
        or docs["phases"] < 1
    ):
        unmet.append("documents-complete")
    assessment = latest.get("proportionality-assessment")
    if assessment is None or assessment.get("proportionate") is not True:
        unmet.append("proportionality")
    # The 30-day limit: from the day after the notice, to the end of the 30th day moved to the
    # next working day (Regulation 1182/71 art. 3(4)), with two working days (art. 3(5)).
    sent = notice_sent.astimezone(OSLO).date()
    last = sent + timedelta(days=30)
    while last.weekday() > 4 or last in HOLIDAYS:
        last += ONE_DAY
    working, d = 0, sent + ONE_DAY
    while working < 2:
        working += d.weekday() < 5 and d not in HOLIDAYS
        d += ONE_DAY
    if deadline < datetime.combine(last, clock.max, tzinfo=OSLO):
        unmet.append("request-time-limit")
    return unmet


def hand_apply(doc: dict[str, Any]) -> None:
    state = doc["state"]
    target = HAND_NEXT.get(("publish-notice", state))
    if target is None or hand_unmet(doc["history"], **_deadlines()):
        raise RuntimeError("refused")
    doc["history"].append(
        {
            "seq": len(doc["history"]) + 1,
            "kind": "step",
            "name": "publish-notice",
            "from": state,
            "to": target,
            "at": AT,
            "by": PM,
            "payload": dict(NOTICE),
        }
    )
    doc["state"] = target
    doc["revision"] += 1


def _deadlines() -> dict[str, datetime]:
    return {"notice_sent": NOTICE["notice_sent"], "deadline": NOTICE["request_deadline"]}


def hand_step(text: str) -> None:
    hand_apply(json.loads(text))


# -- innoproc ---------------------------------------------------------------------------------


def innoproc_sealed(text: str) -> None:
    innoproc.loads(text, key=KEY).apply("publish-notice", at=AT, by=PM, **NOTICE)


def innoproc_validated(text: str) -> None:
    innoproc.loads(text).apply("publish-notice", at=AT, by=PM, **NOTICE)


# -- peers: the same rules as a transition's condition ----------------------------------------


class _Model:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def guard(self, *args: Any, **kwargs: Any) -> bool:
        return not hand_unmet(self.doc["history"], **_deadlines())


def _record(doc: dict[str, Any], before: str, after: str) -> None:
    doc["history"].append(
        {
            "seq": len(doc["history"]) + 1,
            "kind": "step",
            "name": "publish-notice",
            "from": before,
            "to": after,
            "at": AT,
            "by": PM,
            "payload": dict(NOTICE),
        }
    )
    doc["state"] = after
    doc["revision"] += 1


def _transitions_spec() -> list[dict[str, Any]]:
    return [
        {"trigger": e.replace("-", "_"), "source": s, "dest": d, "conditions": "guard"}
        for e, s, d in EDGES
    ]


def transitions_per_case(text: str) -> None:
    from transitions import Machine

    doc = json.loads(text)
    model = _Model(doc)
    Machine(
        model=model,
        states=STATES,
        transitions=_transitions_spec(),
        initial=doc["state"],
        auto_transitions=False,
    )
    before = model.state  # type: ignore[attr-defined]
    if not model.publish_notice():  # type: ignore[attr-defined]
        raise RuntimeError("refused")
    _record(doc, before, model.state)  # type: ignore[attr-defined]


_SHARED: Any = None


def _shared_machine() -> Any:
    from transitions import Machine

    return Machine(
        model=None,
        states=STATES,
        transitions=_transitions_spec(),
        initial="needs",
        auto_transitions=False,
    )


def transitions_add_model(text: str) -> None:
    global _SHARED
    if _SHARED is None:
        _SHARED = _shared_machine()
    doc = json.loads(text)
    model = _Model(doc)
    _SHARED.add_model(model, initial=doc["state"])
    before = model.state  # type: ignore[attr-defined]
    if not model.publish_notice():  # type: ignore[attr-defined]
        raise RuntimeError("refused")
    _record(doc, before, model.state)  # type: ignore[attr-defined]
    _SHARED.remove_model(model)


def _statemachine_class() -> Any:
    from statemachine import State, StateMachine

    attrs: dict[str, Any] = {}
    for name in STATES:
        attrs[name.replace("-", "_")] = State(
            name=name, value=name, initial=name == "needs", final=name in STATES[6:]
        )
    for event, source, dest in EDGES:
        attrs[event.replace("-", "_")] = attrs[source.replace("-", "_")].to(
            attrs[dest.replace("-", "_")], cond="guard"
        )
    return type("Partnership", (StateMachine,), attrs)


_SM: Any = None


def statemachine_per_case(text: str) -> None:
    global _SM
    if _SM is None:
        _SM = _statemachine_class()
    doc = json.loads(text)
    model = _Model(doc)
    machine = _SM(model=model, start_value=doc["state"])
    before = doc["state"]
    machine.send("publish_notice")
    _record(doc, before, model.state)  # type: ignore[attr-defined]


# -- timing helpers ---------------------------------------------------------------------------


def per_call(fn: Callable[[], Any], repeat: int, number: int) -> float:
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def interleaved(
    contenders: dict[str, tuple[Callable[[], Any], int]], repeat: int
) -> dict[str, list[float]]:
    """Seconds per call of each contender in each round, timed in turns so that drift hits
    all alike."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (fn, number) in contenders.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return samples


def interleaved_prepared(
    contenders: dict[str, tuple[Callable[[], Any], Callable[[Any], Any], int]], repeat: int
) -> dict[str, list[float]]:
    """As ``interleaved``, for contenders that change what they work on: ``make`` builds
    ``number`` fresh subjects before each timed batch (not timed), ``fn`` runs on each."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (make, fn, number) in contenders.items():
            subjects = [make() for _ in range(number)]
            gc.collect()
            start = time.perf_counter()
            for subject in subjects:
                fn(subject)
            samples[name].append((time.perf_counter() - start) / number)
    return samples


def ratio_range(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """The median ratio of a to b over rounds, and its lowest and highest (round by round)."""
    ratios = sorted(x / y for x, y in zip(a, b, strict=True))
    return statistics.median(ratios), ratios[len(ratios) // 10], ratios[-1 - len(ratios) // 10]


def idle_memory(make: Callable[[], Any], n: int = 2000) -> float:
    """Bytes per object kept alive, by tracemalloc."""
    keep = [make() for _ in range(10)]  # warm caches
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [make() for _ in range(n)]
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del keep
    return (after - before) / n


def retained(make: Callable[[], Any]) -> int:
    """Bytes ``make()``'s result keeps alive, by tracemalloc."""
    make()  # warm caches
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = make()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return after - before


def fresh_interpreter(code: str, runs: int, *options: str) -> list[float]:
    """Seconds ``code`` reports (its last line) in ``runs`` fresh interpreters."""
    out = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, *options, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
        )
        out.append(float(result.stdout.strip().splitlines()[-1]))
    return out


#: The issue's first step: import, open a case (the latest version), check 'publish-notice'
#: with the notice's dates (every rule judged, the time limit with Norway's holidays).
FIRST_OPEN = """
import time
t = time.perf_counter()
from datetime import datetime, timedelta
import innoproc
case = innoproc.open_case("innovation-partnership", reference="2024/1", authority="A")
sent = datetime(2024, 2, 16, 9, 0, tzinfo=innoproc.OSLO)
a = case.check("publish-notice", at=sent, notice_sent=sent, request_deadline=sent + timedelta(35))
assert a.allowed and "request-time-limit" in a.met, a
print(time.perf_counter() - t)
"""

#: A host's first step: import, load its stored case (sealed), check 'publish-notice'.
FIRST_LOAD = """
import time
t = time.perf_counter()
from datetime import datetime, timedelta
import innoproc
text = open({path!r}, encoding="utf-8").read()
case = innoproc.loads(text, key={key!r})
sent = datetime(2024, 2, 16, 9, 0, tzinfo=innoproc.OSLO)
a = case.check("publish-notice", at=sent, notice_sent=sent, request_deadline=sent + timedelta(35))
assert a.ok and a.met, a
print(time.perf_counter() - t)
"""

MODULES = (
    "\nimport sys; print(sorted(set(sys.modules) & "
    "{'holidays', 'transitions', 'dateutil', 'hashlib'}))"
)


def import_breakdown(code: str, runs: int) -> list[tuple[str, float]]:
    """Where the imports of ``code`` go (python -X importtime, the lowest of ``runs``), in ms:
    innoproc's own modules (their own time), then the libraries (each with what it imports)."""
    groups = {
        "innoproc's own modules": lambda m: m.startswith("innoproc"),
        "attrs": lambda m: m == "attrs",
        "typing": lambda m: m == "typing",
        "transitions": lambda m: m == "transitions",
        "hashlib, hmac": lambda m: m in ("hashlib", "hmac"),
        "json": lambda m: m == "json",
        "zoneinfo": lambda m: m == "zoneinfo",
        "decimal": lambda m: m == "decimal",
    }
    best: dict[str, float] = {}
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        totals = dict.fromkeys(groups, 0.0)
        for line in result.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| *(\S+)", line)
            if not m:
                continue
            own, cumulative, name = int(m.group(1)) / 1000, int(m.group(2)) / 1000, m.group(3)
            for group, test in groups.items():
                if test(name):
                    totals[group] += own if group.startswith("innoproc") else cumulative
        for group, value in totals.items():
            best[group] = min(best.get(group, value), value)
    return list(best.items())


def ms(seconds: list[float]) -> str:
    values = sorted(seconds)
    return (
        f"{statistics.median(values) * 1e3:.1f} ms ({values[0] * 1e3:.0f}-{values[-1] * 1e3:.0f})"
    )


def main() -> None:
    global HOLIDAYS, _SM
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--only", default="1,2,3,4,5,6", help="the sections to run, such as 1,2 (default: all)"
    )
    args = parser.parse_args()
    only = {int(n) for n in args.only.split(",")}
    began = time.perf_counter()
    repeat, number = (7, 200) if args.quick else (21, 500)
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"{name:<60} {value:>16}  {note}", flush=True)

    import holidays

    HOLIDAYS = frozenset(holidays.country_holidays("NO", years=range(2020, 2031)))
    print(f"innoproc {innoproc.__version__} on Python {sys.version.split()[0]}\n")
    case = stored_case()
    text = innoproc.dumps(case)
    sealed = innoproc.dumps(case, key=KEY)
    assert case.procedure.events["publish-notice"].requires.__len__() == 7
    assert innoproc.loads(sealed, key=KEY).check("publish-notice", at=AT, **NOTICE).ok
    assert not hand_unmet(json.loads(text)["history"], **_deadlines())
    for fn in (
        innoproc_validated,
        hand_step,
        transitions_per_case,
        transitions_add_model,
        statemachine_per_case,
    ):
        fn(text)  # each contender accepts the step
    innoproc_sealed(sealed)

    if 1 in only:
        print(
            f"1. load a stored case ({len(text):,} characters, 10 entries) and apply "
            "'publish-notice' (7 rules)"
        )
        s = interleaved(
            {
                "sealed": (partial(innoproc_sealed, sealed), number // 5),
                "validated": (partial(innoproc_validated, text), number // 10),
                "hand": (partial(hand_step, text), number // 2),
                "tr": (partial(transitions_per_case, text), max(20, number // 25)),
                "add": (partial(transitions_add_model, text), max(20, number // 10)),
                "sm": (partial(statemachine_per_case, text), max(10, number // 50)),
            },
            repeat * 2,
        )
        med = {k: statistics.median(v) for k, v in s.items()}

        def versus(a: str, b: str) -> str:
            r, lo, hi = ratio_range(s[a], s[b])
            return f"{r:.2f}x ({lo:.2f}-{hi:.2f})"

        row("hand-written: json.loads, 7 rules, record", f"{med['hand'] * 1e6:.1f} us")
        row(
            "innoproc, sealed document (loads with key + apply)",
            f"{med['sealed'] * 1e6:.1f} us",
            f"{versus('sealed', 'hand')} the hand-written (target <= 3x)",
        )
        row(
            "innoproc, validated in full (loads + apply)",
            f"{med['validated'] * 1e6:.1f} us",
            f"{versus('validated', 'hand')} the hand-written",
        )
        for key, name in (
            ("tr", "transitions, one Machine per case"),
            ("add", "transitions, shared machine + add/remove_model"),
            ("sm", "python-statemachine, one instance per case"),
        ):
            row(
                name,
                f"{med[key] * 1e6:.1f} us",
                f"{versus(key, 'hand')} hand; innoproc sealed is {versus(key, 'sealed')} faster",
            )
        parts = interleaved(
            {
                "json": (partial(json.loads, text), number),
                "sealed": (partial(innoproc.loads, sealed, key=KEY), number // 4),
                "validated": (partial(innoproc.loads, text), number // 8),
            },
            repeat,
        )
        row("  of which json.loads alone", f"{statistics.median(parts['json']) * 1e6:.1f} us")
        row(
            "  of which innoproc.loads, sealed",
            f"{statistics.median(parts['sealed']) * 1e6:.1f} us",
        )
        row(
            "  of which innoproc.loads, validated in full",
            f"{statistics.median(parts['validated']) * 1e6:.1f} us",
        )

    if 2 in only:
        print("\n2. the same step on a case already in memory")
        loaded = innoproc.loads(sealed, key=KEY)
        parsed = json.loads(text)
        m = interleaved_prepared(
            {
                "innoproc": (
                    partial(copy.copy, loaded),
                    lambda c: c.apply("publish-notice", at=AT, by=PM, **NOTICE),
                    number,
                ),
                "hand": (
                    lambda: {**parsed, "history": list(parsed["history"])},
                    hand_apply,
                    number,
                ),
            },
            repeat * 2,
        )
        checks = interleaved(
            {
                "innoproc": (partial(loaded.check, "publish-notice", at=AT, **NOTICE), number),
                "hand": (partial(hand_unmet, parsed["history"], **_deadlines()), number),
            },
            repeat,
        )
        r, lo, hi = ratio_range(m["innoproc"], m["hand"])
        row("hand-written: 7 rules, record", f"{statistics.median(m['hand']) * 1e6:.1f} us")
        row(
            "innoproc case.apply (check + apply)",
            f"{statistics.median(m['innoproc']) * 1e6:.1f} us",
            f"{r:.2f}x ({lo:.2f}-{hi:.2f}) the hand-written (target <= 1.5x)",
        )
        r, lo, hi = ratio_range(checks["innoproc"], checks["hand"])
        row(
            "innoproc case.check alone (an Assessment)",
            f"{statistics.median(checks['innoproc']) * 1e6:.1f} us",
            f"{r:.2f}x ({lo:.2f}-{hi:.2f}) the hand-written rules alone "
            f"({statistics.median(checks['hand']) * 1e6:.1f} us)",
        )

    if 3 in only:
        print("\n3. the first guarded step in a fresh interpreter (bytecode compiled)")
        runs = 5 if args.quick else 11
        import compileall

        compileall.compile_dir(str(Path(innoproc.__file__).parent), quiet=1)
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "case.json")
            Path(path).write_text(sealed, "utf-8")
            loading = FIRST_LOAD.format(path=path, key=KEY)
            for label, code in (
                ("import, open_case, check 'publish-notice'", FIRST_OPEN),
                ("import, loads (sealed), check 'publish-notice'", loading),
            ):
                row(label, ms(fresh_interpreter(code, runs)), "target <= 60 ms")
                imported = subprocess.run(
                    [sys.executable, "-c", code + MODULES],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
                row(
                    "  of holidays, transitions, dateutil, hashlib imported",
                    imported.split("\n")[-1],
                )
            plain = (
                "import time; t = time.perf_counter(); import innoproc; "
                "print(time.perf_counter() - t)"
            )
            row("  import innoproc alone", ms(fresh_interpreter(plain, runs)))
            floor = (
                "import time; t = time.perf_counter(); import attrs, json, zoneinfo, decimal, re,"
                " threading, typing; print(time.perf_counter() - t)"
            )
            row(
                "  floor: attrs, json, zoneinfo, decimal, re, threading, typing",
                ms(fresh_interpreter(floor, runs)),
            )
            tr = (
                "import time, innoproc; t = time.perf_counter(); import transitions; "
                "print(time.perf_counter() - t)"
            )
            row("  import transitions (after innoproc)", ms(fresh_interpreter(tr, runs)))
            row(
                "  the interpreter's own start (python -c pass), not counted above",
                ms(
                    [
                        _timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
                        for _ in range(runs)
                    ]
                ),
            )
            for name, spent in import_breakdown(FIRST_OPEN, 3 if args.quick else 7):
                row(f"  -X importtime, first step: {name}", f"{spent:.1f} ms")

    if 4 in only:
        print("\n4. memory (tracemalloc)")
        n_entries = 1000
        long_case, short_case = stored_case(n_entries), stored_case(6)
        long_text, short_text = innoproc.dumps(long_case), innoproc.dumps(short_case)
        long_doc, empty_doc = (
            innoproc.dumps(long_case, key=KEY),
            innoproc.dumps(short_case, key=KEY),
        )

        def per_entry(make: Callable[[str], Any], long: str, short: str) -> float:
            return (retained(lambda: make(long)) - retained(lambda: make(short))) / (n_entries - 6)

        json_per_entry = (len(long_text) - len(short_text)) / (n_entries - 6)
        row(
            "innoproc, per history entry: case read by loads",
            f"{per_entry(innoproc.loads, long_text, short_text):.0f} B",
            "target <= 500 B",
        )
        row(
            "  case read from a sealed document (keeps its text)",
            f"{per_entry(lambda t: innoproc.loads(t, key=KEY), long_doc, empty_doc):.0f} B",
            f"of which the document's text {json_per_entry:.0f} B",
        )

        def stored_again(text: str) -> innoproc.Case:
            case = innoproc.loads(text)
            innoproc.dumps(case)
            return case

        row(
            "  case read by loads, then stored (keeps its entries' JSON)",
            f"{per_entry(stored_again, long_text, short_text):.0f} B",
        )
        hand_entry = (
            retained(lambda: json.loads(long_doc)) - retained(lambda: json.loads(empty_doc))
        ) / (n_entries - 6)
        row("hand-written: per entry as parsed JSON", f"{hand_entry:.0f} B")
        m_inno = idle_memory(
            lambda: innoproc.open_case("innovation-partnership", reference="r", authority="a")
        )
        row("innoproc, per idle empty case", f"{m_inno:.0f} B", "target <= 1024 B")

        def plain_case() -> dict[str, Any]:
            return {"state": "needs", "history": [], "reference": "r", "authority": "a"}

        row("hand-written (dict), per idle case", f"{idle_memory(plain_case):.0f} B")
        from transitions import Machine

        def tr_case() -> Any:
            model = _Model({"history": []})
            Machine(
                model=model,
                states=STATES,
                transitions=_transitions_spec(),
                initial="needs",
                auto_transitions=False,
            )
            return model

        shared = _shared_machine()

        def add_case() -> Any:
            model = _Model({"history": []})
            shared.add_model(model)
            return model

        if _SM is None:
            _SM = _statemachine_class()
        row("transitions, one Machine per case", f"{idle_memory(tr_case, 300):.0f} B")
        row("transitions, shared machine + add_model", f"{idle_memory(add_case, 1000):.0f} B")
        row(
            "python-statemachine, one instance per case",
            f"{idle_memory(lambda: _SM(model=_Model({'history': []})), 500):.0f} B",
        )

    if 5 in only:
        print("\n5. growth with the history (microseconds per entry)")
        sizes = (100, 1000, 10000)
        cases = {n: stored_case(n) for n in sizes}
        for label, make in (
            (
                "dumps, entries cached (after one dumps)",
                lambda c, t, st: partial(innoproc.dumps, c),
            ),
            ("dumps, first time after loads", lambda c, t, st: partial(_cold_dumps, c)),
            ("loads, sealed", lambda c, t, st: partial(innoproc.loads, st, key=KEY)),
            ("loads, validated in full", lambda c, t, st: partial(innoproc.loads, t)),
            ("audit", lambda c, t, st: partial(innoproc.audit, c)),
        ):
            per = []
            for n in sizes:
                c = cases[n]
                t = innoproc.dumps(c)
                st = innoproc.dumps(c, key=KEY)
                fn = make(c, t, st)
                per.append(per_call(fn, max(3, repeat // 3), max(1, 2000 // n)) / n)
            growth = per[-1] / per[0]
            row(
                label,
                " / ".join(f"{p * 1e6:.2f}" for p in per),
                f"at {', '.join(f'{n:,}' for n in sizes)} entries; 10,000 vs 100: {growth:.2f}x",
            )

    if 6 in only:
        print("\n6. simulation throughput (innovation partnership scenario)")
        sc = scenarios.innovation_partnership(market_solution=0.2, phase_miss=0.3)
        n_runs = 2000 if args.quick else 8000
        single = innoproc.simulate(sc, n_runs, seed=1)
        rate1 = single.case_steps / single.seconds
        row(
            "1 process",
            f"{rate1:,.0f} steps/s",
            f"{single.case_steps} case-steps in {single.seconds:.1f} s",
        )
        with ProcessPoolExecutor(2) as pool:
            innoproc.simulate(sc, 50, executor=pool)  # start the workers
            double = innoproc.simulate(sc, n_runs, seed=1, executor=pool)
        rate2 = double.case_steps / double.seconds
        row(
            "2 processes",
            f"{rate2:,.0f} steps/s",
            f"scaling {rate2 / rate1:.2f}x; 1 million case-steps in {1e6 / rate2:.0f} s",
        )
        assert single.runs == double.runs

    took = time.perf_counter() - began
    print(f"\n(the run took {took:.0f} s)")
    out = Path(__file__).with_name("last-run.json")
    out.write_text(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "seconds": round(took),
                "rows": [{"measure": a, "value": b, "note": c} for a, b, c in rows],
            },
            indent=1,
        )
    )
    print(f"(written to {out.name})")


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cold_dumps(case: innoproc.Case) -> str:
    case._encoded = (0, "", None)  # forget the entries written, as in a case never stored
    return innoproc.dumps(case)


if __name__ == "__main__":
    main()
