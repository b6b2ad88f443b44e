"""How work grows with a case's history, counted (never timed).

``dumps`` writes each history entry's JSON once and keeps it; ``loads`` and ``audit`` do the
same work for every entry, however long the history. Work is counted as the Python-level
calls (and calls into C functions) ``sys.setprofile`` sees: a loop over the whole history for
each entry would make the count grow with the square of its length.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from _builders import AWARD, PM, day, documents, in_market_dialogue, notice

import innoproc
from innoproc import Case, _storage

KEY = b"a key of at least sixteen bytes"
START = datetime(2025, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def with_facts(n: int) -> Case:
    """A case in market dialogue with ``n`` entries, most of them recorded facts."""
    case = in_market_dialogue()
    pattern = [
        ("need-description", {"summary": "Night supervision", "functional": True}),
        ("market-dialogue-outcome", {"solution_available": False}),
        ("leadership-decision", {"decided_by": "CEO", "decision": "2024/88"}),
        ("procurement-documents", documents()),
    ]
    for i in range(n - case.revision):
        name, payload = pattern[i % len(pattern)]
        case.record(name, at=day(34 + i / n), by=PM, **payload)
    assert case.revision == n
    return case


def with_steps(n: int) -> Case:
    """A case in development with ``n`` entries: phase evaluations and next phases in turn
    (refused by the audit once the planned phases are used up, which it reports)."""
    case = in_market_dialogue()
    case.apply("publish-notice", at=day(40), by=PM, **notice())
    case.apply("invite-candidates", at=day(76), by=PM, qualified=5, invited=3)
    case.record(
        "negotiation-round",
        at=day(90),
        by=PM,
        round=1,
        changed_minimum_requirements=False,
        changed_award_criteria=False,
    )
    case.apply("call-final-tenders", at=day(100), by=PM)
    case.apply("award", at=day(120), by=PM, **AWARD)
    document = innoproc.loads(innoproc.dumps(case))
    text = innoproc.dumps(document)
    head, tail = text[: text.rindex("]}")], "]}"
    entries = []
    state_entries = case.revision
    phase = 1
    while state_entries + len(entries) < n:
        seq = state_entries + len(entries) + 1
        at = (START + timedelta(minutes=len(entries))).isoformat()
        if len(entries) % 2 == 0:
            entries.append(
                f'{{"seq":{seq},"kind":"fact","name":"phase-evaluation","at":"{at}",'
                f'"by":"Board","payload":{{"phase":{phase},"targets_met":true}}}}'
            )
        else:
            entries.append(
                f'{{"seq":{seq},"kind":"step","name":"start-next-phase","from":"development",'
                f'"to":"development","at":"{at}","by":"PM","payload":{{}}}}'
            )
            phase += 1
    text = head + "," + ",".join(entries) + tail
    text = text.replace(f'"revision":{case.revision},', f'"revision":{n},', 1)
    # The audit finds the phases beyond those planned; the history itself is in order.
    return innoproc.loads(text, for_audit=True)


def calls(work: Callable[[], Any]) -> int:
    """The calls (Python functions and C functions) ``work`` makes."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def per_entry(make: Callable[[int], Any], work: Callable[[Any], Any]) -> list[float]:
    """Calls per added entry between histories of 200, 400 and 800 entries."""
    sizes = (200, 400, 800)
    subjects = [make(n) for n in sizes]
    counts = [calls(lambda s=s: work(s)) for s in subjects]
    return [(counts[i + 1] - counts[i]) / (sizes[i + 1] - sizes[i]) for i in range(len(sizes) - 1)]


def assert_linear(steps: list[float]) -> None:
    """The same work per entry whatever the length (within 2 %)."""
    low, high = min(steps), max(steps)
    assert high <= low * 1.02 + 1, steps


class TestDumps:
    def test_each_entry_written_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A case stored after every step has each entry's JSON written once, however long
        its history (10,000 entries here)."""
        written: list[int] = []
        real = _storage._entry_text

        def spy(procedure: Any, entry: Any) -> str:
            written.append(entry.seq)
            return real(procedure, entry)

        monkeypatch.setattr(_storage, "_entry_text", spy)
        case = with_facts(10_000)
        first = innoproc.dumps(case)
        assert len(written) == 10_000
        assert innoproc.dumps(case) == first
        assert len(written) == 10_000
        case.record("leadership-decision", at=day(40), by="CEO", decided_by="CEO", decision="2")
        innoproc.dumps(case, key=KEY)
        assert written[10_000:] == [10_001]

    def test_sealed_load_writes_nothing_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A case read from a sealed document keeps its entries' JSON: storing it again
        after a step writes only that step."""
        sealed = innoproc.dumps(with_facts(2_000), key=KEY)
        written: list[int] = []
        real = _storage._entry_text

        def spy(procedure: Any, entry: Any) -> str:
            written.append(entry.seq)
            return real(procedure, entry)

        monkeypatch.setattr(_storage, "_entry_text", spy)
        case = innoproc.loads(sealed, key=KEY)
        assert innoproc.dumps(case, key=KEY) == sealed
        assert written == []
        case.apply("publish-notice", at=day(40), by=PM, **notice())
        again = innoproc.dumps(case, key=KEY)
        assert written == [2_001]
        assert innoproc.dumps(innoproc.loads(again, key=KEY), key=KEY) == again

    def test_entries_written_as_the_encoder_writes_them(self) -> None:
        """Each entry's JSON, written directly, is what the JSON encoder writes for it, for
        every entry of every golden document (every procedure, kind and version)."""
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        count = 0
        for path in sorted((Path(__file__).parent / "golden").glob("*/*.json")):
            case = innoproc.loads(path.read_text("utf-8"))
            for entry in case.history:
                procedure = case.procedure_at(entry.seq)
                expected = encoder.encode(_storage._entry_json(procedure, entry))
                assert _storage._entry_text(procedure, entry) == expected
                count += 1
        assert count > 100

    def test_work_per_entry(self) -> None:
        """Writing a case anew does the same work for each entry."""

        def cold(case: Case) -> str:
            case._encoded = (0, "", None)
            return innoproc.dumps(case)

        assert_linear(per_entry(with_facts, cold))

    def test_cached_work_does_not_grow(self) -> None:
        """Writing a case whose entries are written already makes no more calls for a long
        history than for a short one."""
        short, long = with_facts(100), with_facts(5_000)
        innoproc.dumps(short)
        innoproc.dumps(long)
        assert calls(lambda: innoproc.dumps(long)) == calls(lambda: innoproc.dumps(short))


class TestLoads:
    def test_validated(self) -> None:
        """Validating and replaying a document does the same work for each entry."""
        assert_linear(per_entry(lambda n: innoproc.dumps(with_facts(n)), innoproc.loads))

    def test_sealed(self) -> None:
        """Reading a sealed document does the same work for each entry."""
        assert_linear(
            per_entry(
                lambda n: innoproc.dumps(with_facts(n), key=KEY),
                lambda text: innoproc.loads(text, key=KEY),
            )
        )

    def test_steps(self) -> None:
        """Replaying steps (each checked against the procedure) does too."""
        assert_linear(per_entry(lambda n: innoproc.dumps(with_steps(n)), innoproc.loads))


class TestAudit:
    def test_facts(self) -> None:
        """Auditing a history of facts does the same work for each entry."""
        assert_linear(per_entry(with_facts, innoproc.audit))

    def test_steps(self) -> None:
        """Auditing a history of steps, each judged with the history before it, does too."""
        case = with_steps(60)
        report = innoproc.audit(case)
        steps = sum(1 for e in case.history if e.kind == "step")
        assert report.steps_checked == steps > 20
        assert report.codes == ("phases-remaining",)  # the planned phases run out: reported
        assert_linear(per_entry(with_steps, innoproc.audit))


class TestMemory:
    def test_loaded_entries_share_names_and_actors(self) -> None:
        """A loaded case keeps one string per actor and uses the procedure's own names, not
        a copy of each per entry."""
        case = innoproc.loads(innoproc.dumps(with_facts(50)), key=None)
        sealed = innoproc.loads(innoproc.dumps(with_facts(50), key=KEY), key=KEY)
        for loaded in (case, sealed):
            actors = {id(e.by) for e in loaded.history if e.by == PM}
            assert len(actors) == 1
            names = {id(e.name) for e in loaded.history if e.name == "need-description"}
            assert names == {id(loaded.procedure.facts["need-description"].name)}

    def test_empty_payloads_are_shared(self) -> None:
        """Steps without fields share one empty payload."""
        case = innoproc.loads(innoproc.dumps(with_steps(40)), for_audit=True)
        empty = {id(e.payload) for e in case.history if not e.payload}
        assert len(empty) == 1
