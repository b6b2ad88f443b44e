"""The example SQLite store of the docs, against a real database file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _builders import PM, day, in_needs, in_tendering

import innoproc

sys.path.insert(0, str(Path(__file__).parent.parent / "docs" / "examples"))
from sqlite_store import CaseStore


@pytest.fixture
def path(tmp_path: Path) -> str:
    return str(tmp_path / "cases.db")


class TestCaseStore:
    def test_round_trip(self, path: str) -> None:
        """A stored case reads back identical, from another connection."""
        case = in_tendering()
        CaseStore(path).add(case)
        again = CaseStore(path).get(case.reference)
        assert innoproc.dumps(again) == innoproc.dumps(case)

    def test_two_processes_conflict(self, path: str) -> None:
        """Two connections read the same revision; the second save is a conflict."""
        CaseStore(path).add(in_needs())
        first, second = CaseStore(path), CaseStore(path)
        a, b = first.get("2024/0173"), second.get("2024/0173")
        read = a.revision
        a.apply("start-market-dialogue", at=day(2), by="Anne")
        first.save(a, read_revision=read)
        b.apply("cancel", at=day(2), by="Bjørn", reason="x")
        with pytest.raises(innoproc.ConcurrencyConflict) as info:
            second.save(b, read_revision=read)
        assert (info.value.expected, info.value.actual) == (1, 2)
        stored = CaseStore(path).get("2024/0173")
        assert stored.state == "market-dialogue"
        assert [e.name for e in stored.history][-1] == "start-market-dialogue"

    def test_history_table(self, path: str) -> None:
        """The history rows mirror the case's history after each save."""
        store = CaseStore(path)
        case = in_needs()
        store.add(case)
        read = case.revision
        case.apply("start-market-dialogue", at=day(2), by=PM)
        store.save(case, read_revision=read)
        rows = store.db.execute("SELECT seq, kind, name FROM history ORDER BY seq").fetchall()
        assert rows == [(1, "fact", "need-description"), (2, "step", "start-market-dialogue")]

    def test_failed_save_writes_nothing(self, path: str) -> None:
        """A conflicting save leaves both tables as they were."""
        store = CaseStore(path)
        case = in_needs()
        store.add(case)
        case.apply("start-market-dialogue", at=day(2), by=PM)
        with pytest.raises(innoproc.ConcurrencyConflict):
            store.save(case, read_revision=0)
        assert store.db.execute("SELECT COUNT(*) FROM history").fetchone() == (1,)
        assert store.document("2024/0173")["revision"] == 1

    def test_audit_all(self, path: str) -> None:
        """Every stored case can be audited from the database."""
        store = CaseStore(path)
        store.add(in_needs())
        reports = store.audit_all()
        assert list(reports) == ["2024/0173"]
        assert reports["2024/0173"].ok
