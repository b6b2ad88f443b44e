"""innoproc's benchmarks, with baselines measured in the same run.

Run from the repository after the quick start's test command (which installs the test
extras, python-statemachine among them):

    .venv/bin/python benchmarks/run.py            # everything, about two minutes
    .venv/bin/python benchmarks/run.py --quick    # fewer repetitions

Scenario 1 loads a stored case of a 9-state procedure (the innovation partnership in
'negotiation', 10 history entries) from its JSON text and applies one guarded step
('call-final-tenders', guarded by negotiation-scope) with its history record:

- innoproc: ``innoproc.loads(text)`` then ``case.apply(...)`` (full validation of the
  document, every precondition assessed, the step run through the shared transitions machine);
- (hand) a hand-written plain-Python state machine: ``json.loads``, the same guard over the
  same facts, the same record appended: the practical limit;
- (a) transitions with one Machine per case; (b) transitions with one shared machine and
  add_model/remove_model per case; (c) python-statemachine with one instance per case.

Then: memory per idle case (tracemalloc), dumps/loads throughput at 10 and 500 entries,
``import innoproc`` in a fresh interpreter, and simulation throughput on 1 and 2 processes.
Figures are medians of repeated timings; ratios compare contenders timed in this run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import innoproc
from innoproc import scenarios

OSLO = innoproc.OSLO
T0 = datetime(2024, 1, 8, 9, 0, tzinfo=OSLO)
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


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def stored_case(extra_rounds: int = 2) -> innoproc.Case:
    """An innovation partnership in negotiation with a 10-entry history."""
    case = innoproc.open_case("innovation-partnership", reference="B-1", authority="Bench")
    pm = "Procurement manager"
    case.record("need-description", at=day(1), by=pm, summary="x", functional=True)
    case.apply("start-market-dialogue", at=day(2), by=pm)
    case.record("market-dialogue-outcome", at=day(30), by=pm, solution_available=False)
    case.record("leadership-decision", at=day(31), by="CEO", decided_by="CEO", decision="D")
    case.record(
        "procurement-documents",
        at=day(32),
        by=pm,
        minimum_requirements=("x",),
        award_criteria=("q",),
        ipr_arrangements=True,
        rd_capacity_criteria=True,
        negotiation_rules=True,
        purchase_terms=True,
        phases=2,
        termination_foreseen=True,
        partner_reduction_foreseen=True,
        max_rd_value=1000,
        estimated_purchase_value=5000,
    )
    case.record("proportionality-assessment", at=day(33), by=pm, proportionate=True, reasoning="ok")
    case.apply("publish-notice", at=day(40), by=pm, notice_sent=day(40), request_deadline=day(75))
    case.apply("invite-candidates", at=day(76), by=pm, qualified=5, invited=3)
    for n in range(1, extra_rounds + 1):
        case.record(
            "negotiation-round",
            at=day(80 + n),
            by=pm,
            round=n,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
        )
    return case


def guard_ok(facts: list[dict[str, Any]]) -> bool:
    """The negotiation-scope guard over plain dict entries (the hand-written rule)."""
    rounds = [e for e in facts if e["kind"] == "fact" and e["name"] == "negotiation-round"]
    if not rounds:
        return False
    for r in rounds:
        p = r["payload"]
        if p.get("changed_minimum_requirements") or p.get("changed_award_criteria"):
            return False
        if p.get("specification_changed") and p.get("all_informed") is not True:
            return False
    return True


def record_for(doc: dict[str, Any], state: str, target: str) -> dict[str, Any]:
    return {
        "seq": len(doc["history"]) + 1,
        "kind": "step",
        "name": "call-final-tenders",
        "from": state,
        "to": target,
        "at": day(100).isoformat(),
        "by": "pm",
        "payload": {},
    }


# -- the contenders of scenario 1 -------------------------------------------------------------


def innoproc_step(text: str) -> None:
    case = innoproc.loads(text)
    case.apply("call-final-tenders", at=day(100), by="pm")


HAND_NEXT = {(e, s): d for e, s, d in EDGES}


def hand_step(text: str) -> None:
    doc = json.loads(text)
    state = doc["state"]
    target = HAND_NEXT.get(("call-final-tenders", state))
    if target is None or not guard_ok(doc["history"]):
        raise RuntimeError("refused")
    doc["history"].append(record_for(doc, state, target))
    doc["state"] = target
    doc["revision"] += 1


class _Model:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def guard(self) -> bool:
        return guard_ok(self.doc["history"])


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
    if not model.call_final_tenders():  # type: ignore[attr-defined]
        raise RuntimeError("refused")
    doc["history"].append(record_for(doc, before, model.state))  # type: ignore[attr-defined]


_SHARED: Any = None


def transitions_add_model(text: str) -> None:
    global _SHARED
    from transitions import Machine

    if _SHARED is None:
        _SHARED = Machine(
            model=None,
            states=STATES,
            transitions=_transitions_spec(),
            initial="needs",
            auto_transitions=False,
        )
    doc = json.loads(text)
    model = _Model(doc)
    _SHARED.add_model(model, initial=doc["state"])
    before = model.state  # type: ignore[attr-defined]
    if not model.call_final_tenders():  # type: ignore[attr-defined]
        raise RuntimeError("refused")
    doc["history"].append(record_for(doc, before, model.state))  # type: ignore[attr-defined]
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
    machine.send("call_final_tenders")
    doc["history"].append(record_for(doc, before, model.state))  # type: ignore[attr-defined]


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
) -> dict[str, float]:
    """Median seconds per call of each contender, timed in turns so drift hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (fn, number) in contenders.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(values) for name, values in samples.items()}


def idle_memory(make: Callable[[], Any], n: int = 2000) -> float:
    """Bytes per object kept alive, by tracemalloc."""
    keep = [make() for _ in range(10)]  # warm caches
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [make() for _ in range(n)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del keep
    return (after - before) / n


def import_time(statement: str, runs: int) -> float:
    """Median seconds ``statement`` takes in a fresh interpreter (innoproc byte-compiled first,
    as an installed wheel is)."""
    import compileall

    compileall.compile_dir(str(Path(innoproc.__file__).parent), quiet=1)
    code = f"import time; t=time.perf_counter(); {statement}; print(time.perf_counter()-t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def _cold_dumps(case: innoproc.Case) -> str:
    case._encoded = []  # forget the cached entry JSON, as in a freshly loaded case
    return innoproc.dumps(case)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat, number = (5, 200) if args.quick else (9, 500)
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"{name:<58} {value:>14}  {note}", flush=True)

    print(f"innoproc {innoproc.__version__} on Python {sys.version.split()[0]}\n")
    case = stored_case()
    text = innoproc.dumps(case)
    assert case.revision == 10
    for fn in (
        innoproc_step,
        hand_step,
        transitions_per_case,
        transitions_add_model,
        statemachine_per_case,
    ):
        fn(text)  # each contender accepts the step
    print("1. load a stored case (10 entries) and apply one guarded step")
    times = interleaved(
        {
            "innoproc": (partial(innoproc_step, text), number // 5),
            "hand": (partial(hand_step, text), number // 2),
            "tr": (partial(transitions_per_case, text), max(20, number // 25)),
            "add": (partial(transitions_add_model, text), max(20, number // 10)),
            "sm": (partial(statemachine_per_case, text), max(10, number // 50)),
        },
        repeat * 3,
    )
    t_inno, t_hand, t_tr, t_add, t_sm = (
        times["innoproc"],
        times["hand"],
        times["tr"],
        times["add"],
        times["sm"],
    )
    row("innoproc (loads + apply)", f"{t_inno * 1e6:.1f} us")
    row(
        "hand-written plain Python",
        f"{t_hand * 1e6:.1f} us",
        f"innoproc / hand = {t_inno / t_hand:.2f}x (target <= 2x)",
    )
    row(
        "transitions, one Machine per case",
        f"{t_tr * 1e6:.1f} us",
        f"innoproc is {t_tr / t_inno:.1f}x faster (target >= 6x)",
    )
    row(
        "transitions, shared machine + add/remove_model",
        f"{t_add * 1e6:.1f} us",
        f"innoproc is {t_add / t_inno:.1f}x faster",
    )
    row(
        "python-statemachine, one instance per case",
        f"{t_sm * 1e6:.1f} us",
        f"innoproc is {t_sm / t_inno:.1f}x faster (target >= 20x)",
    )
    loaded = innoproc.loads(text)
    t_apply = per_call(lambda: innoproc.loads(text), repeat, number)
    row("  of which innoproc.loads alone", f"{t_apply * 1e6:.1f} us")
    t_load_fast = per_call(lambda: loaded.check("call-final-tenders", at=day(100)), repeat, number)
    row("  innoproc check (assess the step, no load)", f"{t_load_fast * 1e6:.1f} us")

    print("\n2. memory per idle case without history (tracemalloc)")
    from transitions import Machine

    def tr_case() -> Any:
        m = _Model({"history": []})
        Machine(
            model=m,
            states=STATES,
            transitions=_transitions_spec(),
            initial="needs",
            auto_transitions=False,
        )
        return m

    global _SHARED, _SM
    shared = Machine(
        model=None,
        states=STATES,
        transitions=_transitions_spec(),
        initial="needs",
        auto_transitions=False,
    )

    def add_case() -> Any:
        m = _Model({"history": []})
        shared.add_model(m)
        return m

    if _SM is None:
        _SM = _statemachine_class()
    m_inno = idle_memory(
        lambda: innoproc.open_case("innovation-partnership", reference="r", authority="a")
    )
    row("innoproc Case", f"{m_inno:.0f} B", "target <= 1024 B")

    def plain() -> dict[str, Any]:
        return {"state": "needs", "history": [], "reference": "r", "authority": "a"}

    row("hand-written (dict)", f"{idle_memory(plain):.0f} B")
    row("transitions, one Machine per case", f"{idle_memory(tr_case, 300):.0f} B")
    row("transitions, shared machine + add_model", f"{idle_memory(add_case, 1000):.0f} B")
    row(
        "python-statemachine, one instance per case",
        f"{idle_memory(lambda: _SM(model=_Model({'history': []})), 500):.0f} B",
    )

    print("\n3. dumps / loads throughput")
    for entries in (10, 500):
        big = stored_case(extra_rounds=entries - 8)
        assert big.revision == entries
        doc = innoproc.dumps(big)
        n = max(5, number // (entries // 10))
        t_d = per_call(partial(innoproc.dumps, big), repeat, n)
        t_cold = per_call(partial(_cold_dumps, big), repeat, n)
        t_l = per_call(partial(innoproc.loads, doc), repeat, n)
        t_j = per_call(partial(json.loads, doc), repeat, n)
        row(
            f"dumps, {entries} entries, first time",
            f"{1 / t_cold:,.0f}/s",
            f"{t_cold * 1e6:.0f} us each",
        )
        row(
            f"dumps, {entries} entries, again (entries cached)",
            f"{1 / t_d:,.0f}/s",
            f"{t_d * 1e6:.0f} us each",
        )
        row(
            f"loads, {entries} entries",
            f"{1 / t_l:,.0f}/s",
            f"{t_l * 1e6:.0f} us each; json.loads alone {t_j * 1e6:.0f} us",
        )

    print("\n4. import time (fresh interpreter, median)")
    runs = 5 if args.quick else 11
    t_imp = import_time("import innoproc", runs)
    row("import innoproc", f"{t_imp * 1e3:.1f} ms", "target <= 60 ms")
    row(
        "  floor: import attrs, zoneinfo, json, decimal, re",
        f"{import_time('import attrs, zoneinfo, json, decimal, re', runs) * 1e3:.1f} ms",
    )

    print("\n5. simulation throughput (innovation partnership scenario)")
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
        f"scaling {rate2 / rate1:.2f}x; "
        f"1 million case-steps in {1e6 / rate2:.0f} s (target <= 30 s)",
    )
    assert single.runs == double.runs

    out = Path(__file__).with_name("last-run.json")
    out.write_text(
        json.dumps([{"measure": a, "value": b, "note": c} for a, b, c in rows], indent=1)
    )
    print(f"\n(written to {out.name})")


if __name__ == "__main__":
    main()
