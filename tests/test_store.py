"""The case store, one suite run against SQLite (a real database file) and PostgreSQL."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from _builders import PM, day, in_market_dialogue, in_needs, in_tendering, notice
from sqlalchemy import create_engine, text

import innoproc
from innoproc import Case
from innoproc.store import CaseStore, SaveResult

UTC = timezone.utc
FUND = "municipal-innovation-fund"


def renamed(case: Case, reference: str) -> Case:
    """The same case under another reference (through the JSON format)."""
    doc = json.loads(innoproc.dumps(case))
    doc["reference"] = reference
    return innoproc.loads(json.dumps(doc))


def tendering(reference: str, deadline: datetime) -> Case:
    """An innovation partnership case whose request deadline is ``deadline``."""
    case = renamed(in_market_dialogue(), reference)
    case.apply("publish-notice", at=day(40), by=PM, **notice(request_deadline=deadline))
    return case


def funded(reference: str, at: datetime) -> Case:
    app = innoproc.open_application(
        FUND, reference=reference, applicant="Unit", kind="municipal-unit", at=at, by="Clerk"
    )
    app.apply("submit", at=at, by="Clerk")
    app.apply("confirm-eligibility", at=at, by="Officer")
    app.record("criteria-assessment", at=at, by="Panel", service_development=3)
    app.apply("assess", at=at, by="Panel")
    app.apply("fund", at=at, by="Board", amount=100_000, project_end=date(2018, 12, 15))
    return app


def rows(store: CaseStore, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def execute(store: CaseStore, sql: str, **params: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def drop_everything(url: str) -> None:
    """Remove the store's tables from a PostgreSQL test database."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DROP TABLE IF EXISTS innoproc_history, innoproc_cases, innoproc_schema_version"
            )
    finally:
        engine.dispose()


# Schema version 1 as it was released (the DDL SQLAlchemy emitted for it; instants are
# DATETIME on SQLite): the migration to version 2 must keep its cases.
SCHEMA_1 = [
    """CREATE TABLE innoproc_schema_version (
        version_num VARCHAR(32) NOT NULL,
        CONSTRAINT innoproc_schema_version_pkc PRIMARY KEY (version_num))""",
    "INSERT INTO innoproc_schema_version (version_num) VALUES ('0001')",
    """CREATE TABLE innoproc_cases (
        reference VARCHAR(255) NOT NULL,
        procedure VARCHAR(255) NOT NULL,
        state VARCHAR(255) NOT NULL,
        revision INTEGER NOT NULL,
        authority VARCHAR(255) NOT NULL,
        opened {timestamp} NOT NULL,
        header TEXT NOT NULL,
        PRIMARY KEY (reference))""",
    "CREATE INDEX ix_innoproc_cases_procedure_state ON innoproc_cases (procedure, state)",
    "CREATE INDEX ix_innoproc_cases_state ON innoproc_cases (state)",
    "CREATE INDEX ix_innoproc_cases_authority ON innoproc_cases (authority)",
    """CREATE TABLE innoproc_history (
        reference VARCHAR(255) NOT NULL,
        seq INTEGER NOT NULL,
        kind VARCHAR(16) NOT NULL,
        name VARCHAR(255) NOT NULL,
        at {timestamp} NOT NULL,
        actor TEXT NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (reference, seq),
        FOREIGN KEY (reference) REFERENCES innoproc_cases (reference) ON DELETE CASCADE)""",
    "CREATE INDEX ix_innoproc_history_name ON innoproc_history (name)",
    "CREATE INDEX ix_innoproc_history_at ON innoproc_history (at)",
]


def store_at_schema_1(url: str, stored: list[Case]) -> None:
    """A database as schema version 1 left it, holding ``stored``."""
    from sqlalchemy import Integer, String, column, insert, table
    from sqlalchemy import Text as TextType

    from innoproc.store._documents import split_document
    from innoproc.store._tables import UTCDateTime

    cases = table(
        "innoproc_cases",
        *(column(n, String) for n in ("reference", "procedure", "state", "authority")),
        column("revision", Integer),
        column("opened", UTCDateTime()),
        column("header", TextType),
    )
    history = table(
        "innoproc_history",
        *(column(n, String) for n in ("reference", "kind", "name", "actor", "entry")),
        column("seq", Integer),
        column("at", UTCDateTime()),
    )
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            timestamp = (
                "DATETIME" if engine.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
            )
            for statement in SCHEMA_1:
                conn.exec_driver_sql(statement.format(timestamp=timestamp))
            for case in stored:
                header, entries = split_document(innoproc.dumps(case))
                conn.execute(
                    insert(cases).values(
                        reference=case.reference,
                        procedure=case.procedure_id,
                        state=case.state,
                        authority=case.authority,
                        revision=case.revision,
                        opened=case.history[0].at,
                        header=header,
                    )
                )
                for entry, fragment in zip(case.history, entries, strict=True):
                    conn.execute(
                        insert(history).values(
                            reference=case.reference,
                            seq=entry.seq,
                            kind=entry.kind,
                            name=entry.name,
                            actor=entry.by,
                            at=entry.at,
                            entry=fragment,
                        )
                    )
    finally:
        engine.dispose()


def _differences(store: CaseStore) -> list[Any]:
    """What differs between the database's tables and the store's metadata."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from innoproc.store._tables import VERSION_TABLE, metadata

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return list(compare_metadata(context, metadata))


class StoreContract:
    """What the store does, whatever the database: subclassed once per database."""

    @pytest.fixture
    def url(self) -> str:  # pragma: no cover - every subclass gives its own
        raise NotImplementedError

    @pytest.fixture
    def store(self, url: str) -> Iterator[CaseStore]:
        with CaseStore(url) as store:
            store.create_schema()
            yield store

    @pytest.fixture
    def other(self, url: str, store: CaseStore) -> Iterator[CaseStore]:
        """A second store on the same database, with connections of its own (another
        process, as far as the database can tell)."""
        with CaseStore(url) as other:
            yield other

    # -- add, get, save -------------------------------------------------------------------

    def test_round_trip(self, store: CaseStore, other: CaseStore) -> None:
        """A stored case reads back identical, through other connections."""
        case = in_tendering()
        result = store.add(case)
        assert (result.revision, len(result.entries)) == (case.revision, case.revision)
        again = other.get(case.reference)
        assert innoproc.dumps(again) == innoproc.dumps(case)
        assert other.export_case(case.reference) == innoproc.dumps(case)
        assert case.reference in other and "nothing" not in other and len(other) == 1

    def test_duplicate_reference(self, store: CaseStore) -> None:
        """Adding a second case under a stored reference is refused; the first stays."""
        store.add(in_needs())
        with pytest.raises(innoproc.DuplicateCase, match="already stored") as info:
            store.add(in_tendering())
        assert info.value.reference == "2024/0173"
        assert store.get("2024/0173").state == "needs"

    def test_add_many(self, store: CaseStore) -> None:
        """Many cases go in one transaction; a reference taken or given twice stores none."""
        seen: list[str] = []
        store.subscribe(lambda case, entry: seen.append(f"{case.reference}:{entry.seq}"))
        batch = [renamed(in_needs(), f"B-{i}") for i in range(3)]
        assert [r.revision for r in store.add_many(batch)] == [1, 1, 1]
        assert seen == ["B-0:1", "B-1:1", "B-2:1"]
        assert store.add_many([]) == ()
        again = [renamed(in_needs(), "B-3"), renamed(in_needs(), "B-1")]
        with pytest.raises(innoproc.DuplicateCase, match="'B-1'"):
            store.add_many(again)
        twice = [renamed(in_needs(), "B-4"), renamed(in_needs(), "B-4")]
        with pytest.raises(innoproc.DuplicateCase, match="'B-4'"):
            store.add_many(twice)
        assert [c.reference for c in store.find()] == ["B-0", "B-1", "B-2"]

    def test_unknown_reference(self, store: CaseStore) -> None:
        """Loading a reference that is not stored raises CaseNotFound."""
        with pytest.raises(innoproc.CaseNotFound, match="'2099/1'"):
            store.get("2099/1")
        case = in_needs()
        with pytest.raises(innoproc.CaseNotFound):
            store.save(case, expected_revision=0)

    def test_save_appends_history_rows(self, store: CaseStore) -> None:
        """A save writes one row per new entry, with the instant in UTC, and the case row."""
        case = in_needs()
        store.add(case)
        case.apply("start-market-dialogue", at=day(2), by=PM)
        result = store.save(case, expected_revision=1)
        assert [e.seq for e in result.entries] == [2]
        assert rows(store, "SELECT seq, kind, name, actor FROM innoproc_history ORDER BY seq") == [
            (1, "fact", "need-description", PM),
            (2, "step", "start-market-dialogue", PM),
        ]
        (found,) = store.find()
        assert (found.state, found.revision, found.procedure_version) == ("market-dialogue", 2, 2)
        assert found.opened == day(1)
        with store.engine.connect() as conn:
            from innoproc.store._tables import history

            ats = conn.execute(history.select().order_by(history.c.seq)).all()
        assert [r.at for r in ats] == [day(1), day(2)]
        assert all(r.at.tzinfo == UTC for r in ats)

    def test_second_writer_conflicts(self, store: CaseStore, other: CaseStore) -> None:
        """Two clerks read the same revision; the second save is a conflict and loses
        nothing of the first."""
        store.add(in_needs())
        anne, bjorn = store.get("2024/0173"), other.get("2024/0173")
        anne.apply("start-market-dialogue", at=day(2), by="Anne")
        store.save(anne, expected_revision=1)
        bjorn.apply("cancel", at=day(2), by="Bjørn", reason="Duplicate")
        with pytest.raises(innoproc.ConcurrencyConflict) as info:
            other.save(bjorn, expected_revision=1)
        assert (info.value.reference, info.value.expected, info.value.actual) == (
            "2024/0173",
            1,
            2,
        )
        stored = store.get("2024/0173")
        assert (stored.state, [e.by for e in stored.history]) == ("market-dialogue", [PM, "Anne"])
        assert rows(store, "SELECT COUNT(*) FROM innoproc_history") == [(2,)]

    def test_stale_revision_writes_nothing(self, store: CaseStore) -> None:
        """A save claiming an older revision than stored is refused and writes nothing."""
        case = in_needs()
        store.add(case)
        case.apply("start-market-dialogue", at=day(2), by=PM)
        store.save(case, expected_revision=1)
        case.apply("cancel", at=day(3), by=PM, reason="x")
        with pytest.raises(innoproc.ConcurrencyConflict):
            store.save(case, expected_revision=1)
        assert rows(store, "SELECT revision, state FROM innoproc_cases") == [(2, "market-dialogue")]
        assert rows(store, "SELECT MAX(seq) FROM innoproc_history") == [(2,)]

    def test_nothing_new(self, store: CaseStore) -> None:
        """Saving a case with nothing new writes nothing and calls no hook."""
        case = in_needs()
        store.add(case)
        calls: list[int] = []
        store.subscribe(lambda c, e: calls.append(e.seq))
        assert store.save(case, expected_revision=1).entries == ()
        assert calls == []

    @pytest.mark.parametrize("revision", [-1, 2, True, "1", None])
    def test_bad_expected_revision(self, store: CaseStore, revision: Any) -> None:
        """The revision read must be a whole number within the case's history."""
        case = in_needs()
        store.add(case)
        with pytest.raises(innoproc.InvalidPayload, match="'expected_revision'"):
            store.save(case, expected_revision=revision)

    def test_too_long_for_a_column(self, store: CaseStore) -> None:
        """A reference longer than the column is refused before anything is written."""
        case = innoproc.open_case("innovation-partnership", reference="x" * 256, authority="A")
        with pytest.raises(innoproc.InvalidPayload, match="at most 255 characters"):
            store.add(case)
        assert len(store) == 0

    # -- unit of work -----------------------------------------------------------------------

    def test_edit_commits(self, store: CaseStore, other: CaseStore) -> None:
        """Everything done in an edit block is saved together when it ends."""
        store.add(in_needs())
        with store.edit("2024/0173") as case:
            case.apply("start-market-dialogue", at=day(2), by=PM)
            case.record("market-dialogue-outcome", at=day(30), by=PM, solution_available=False)
        assert other.get("2024/0173").revision == 3

    def test_edit_refused_step_saves_nothing(self, store: CaseStore) -> None:
        """A refused step ends the block with its refusal, and nothing of it is saved."""
        store.add(in_needs())
        with pytest.raises(innoproc.PreconditionFailed) as info, store.edit("2024/0173") as case:
            case.apply("start-market-dialogue", at=day(2), by=PM)
            case.apply(
                "publish-notice",
                at=day(3),
                by=PM,
                **notice(notice_sent=day(3), request_deadline=day(40)),
            )
        assert "leadership-anchoring" in info.value.codes
        assert store.get("2024/0173").revision == 1

    def test_edit_conflicts(self, store: CaseStore, other: CaseStore) -> None:
        """An edit whose case was saved by someone else meanwhile raises a conflict."""
        store.add(in_needs())
        edit = store.edit("2024/0173")
        with pytest.raises(innoproc.ConcurrencyConflict), edit as case:
            case.apply("start-market-dialogue", at=day(2), by="Anne")
            with other.edit("2024/0173") as theirs:
                theirs.apply("cancel", at=day(2), by="Bjørn", reason="x")
        assert edit.result is None
        assert store.get("2024/0173").state == "cancelled"

    # -- delete, import, export, audit ------------------------------------------------------

    def test_delete_needs_a_rule(self, url: str, store: CaseStore) -> None:
        """Without the host's deletion rule nothing is deleted; with it, the case and its
        history go, and only at the revision read."""
        store.add(in_needs())
        with pytest.raises(innoproc.DeletionRefused, match="no rule"):
            store.delete("2024/0173", expected_revision=1)
        with CaseStore(url, deletable=lambda case: case.state == "cancelled") as ruled:
            with pytest.raises(innoproc.DeletionRefused, match="state 'needs'"):
                ruled.delete("2024/0173", expected_revision=1)
            with ruled.edit("2024/0173") as case:
                case.apply("cancel", at=day(2), by=PM, reason="Withdrawn need")
            with pytest.raises(innoproc.ConcurrencyConflict):
                ruled.delete("2024/0173", expected_revision=1)
            ruled.delete("2024/0173", expected_revision=2)
            assert "2024/0173" not in ruled
            assert rows(store, "SELECT COUNT(*) FROM innoproc_history") == [(0,)]
            with pytest.raises(innoproc.CaseNotFound):
                ruled.delete("2024/0173", expected_revision=2)

    def test_import_export(self, store: CaseStore) -> None:
        """A case document from another system is imported; a malformed one stores nothing."""
        text_ = innoproc.dumps(in_tendering())
        assert store.import_case(text_).revision == 7
        assert store.export_case("2024/0173") == text_
        doc = json.loads(text_)
        doc["reference"] = "2024/0174"
        doc["history"][6]["to"] = "negotiation"
        with pytest.raises(innoproc.CaseFormatError, match=r"\$\.history\[6\]\.to"):
            store.import_case(json.dumps(doc))
        assert len(store) == 1

    def test_audit(self, store: CaseStore) -> None:
        """Auditing the store reports a row changed by hand, and a row that no longer reads."""
        store.add(in_tendering())
        store.add(renamed(in_needs(), "2024/0174"))
        assert store.audit().ok
        execute(
            store,
            "UPDATE innoproc_history SET entry = REPLACE(entry, :old, :new) "
            "WHERE reference = '2024/0173' AND seq = 1",
            old='"functional":true',
            new='"functional":false',
        )
        execute(
            store,
            "UPDATE innoproc_cases SET header = REPLACE(header, 'innovation-partnership', "
            "'no-such-procedure') WHERE reference = '2024/0174'",
        )
        result = store.audit()
        assert (result.ok, result.checked) == (False, 2)
        assert [(r.reference, r.codes) for r in result.failed] == [
            ("2024/0173", ("need-described",))
        ]
        assert [ref for ref, _ in result.unreadable] == ["2024/0174"]
        assert "unknown procedure 'no-such-procedure'" in result.unreadable[0][1]
        assert result.explain().startswith(
            "2 cases checked: 1 with violations, 1 that could not be read."
        )
        assert str(result).splitlines()[1].startswith("Case 2024/0173 (Innovation partnership)")
        assert result.explain("nb").startswith("2 saker kontrollert")

    def test_own_procedures(self, url: str) -> None:
        """A store given a host's own procedure stores and loads its cases."""
        own = innoproc.pre_commercial_procurement(min_suppliers=3)
        with CaseStore(url, procedures=[own]) as store:
            store.create_schema()
            case = innoproc.open_case(own, reference="PCP-9", authority="Helse Vest")
            store.add(case)
            assert store.get("PCP-9").procedure is own

    # -- queries ----------------------------------------------------------------------------

    def test_find(self, store: CaseStore) -> None:
        """Cases are found by procedure, state and authority, by reference."""
        store.add(in_tendering())
        store.add(renamed(in_needs(), "2024/0002"))
        store.add(innoproc.open_case("triple-diamond", reference="TD-1", authority="Digdir"))
        assert [c.reference for c in store.find()] == ["2024/0002", "2024/0173", "TD-1"]
        assert [c.reference for c in store.find(procedure="innovation-partnership")] == [
            "2024/0002",
            "2024/0173",
        ]
        assert [c.reference for c in store.find(state="tendering")] == ["2024/0173"]
        assert [c.reference for c in store.find(authority="Digdir")] == ["TD-1"]
        assert store.find(procedure="triple-diamond", state="tendering") == []
        assert [c.reference for c in store.find(limit=1)] == ["2024/0002"]
        with pytest.raises(innoproc.InvalidPayload, match="'limit'"):
            store.find(limit=0)
        with pytest.raises(innoproc.InvalidPayload, match="'state'"):
            store.find(state=3)  # type: ignore[arg-type]

    def test_due_and_overdue(self, store: CaseStore) -> None:
        """Request deadlines, tender deadlines and follow-ups are found by their window,
        and drop out once dealt with."""
        store.add(tendering("IP-1", day(75)))
        store.add(tendering("IP-2", day(100)))
        store.add(renamed(in_needs(), "IP-3"))
        app = funded("F-1", datetime(2018, 1, 10, 10, tzinfo=innoproc.OSLO))
        store.add(app)
        due = store.due(within=timedelta(days=14), at=day(70))
        assert [(c.reference, c.next_due, c.next_due_code) for c in due] == [
            ("IP-1", day(75), "request-deadline")
        ]
        assert due[0].next_due.tzinfo is innoproc.OSLO  # type: ignore[union-attr]
        partnerships = {"procedure": "innovation-partnership"}
        assert [c.reference for c in store.overdue(at=day(80), **partnerships)] == ["IP-1"]
        assert [c.reference for c in store.overdue(at=day(80))] == ["F-1", "IP-1"]
        assert [c.reference for c in store.due(within=timedelta(days=30), at=day(80))] == ["IP-2"]
        assert [c.reference for c in store.due(at=day(75))] == ["IP-1"]  # inclusive
        with store.edit("IP-1") as case:
            case.apply("invite-candidates", at=day(76), by=PM, qualified=5, invited=3)
        assert store.overdue(at=day(80), **partnerships) == []
        kickoff = datetime(2018, 2, 10, 10, tzinfo=innoproc.OSLO)
        (found,) = store.due(at=kickoff - timedelta(days=1), procedure=app.procedure_id)
        assert (found.reference, found.next_due, found.next_due_code) == ("F-1", kickoff, "kickoff")
        assert store.due(at=kickoff - timedelta(days=1), authority="Someone else") == []

    def test_due_arguments(self, store: CaseStore) -> None:
        """The window's start must be aware and its length a timedelta of zero or more."""
        with pytest.raises(innoproc.NaiveDatetimeError, match="'at'"):
            store.due(at=datetime(2024, 1, 1))
        with pytest.raises(innoproc.InvalidPayload, match="'within'"):
            store.due(within=timedelta(days=-1))
        with pytest.raises(innoproc.InvalidPayload, match="'at'"):
            store.overdue(at="2024-01-01")  # type: ignore[arg-type]

    def test_refresh_time_limits(self, store: CaseStore) -> None:
        """Recomputing the next time limits restores a value changed behind the store's back."""
        store.add(tendering("IP-1", day(75)))
        assert store.refresh_time_limits() == 0
        execute(store, "UPDATE innoproc_cases SET next_due = NULL, next_due_code = NULL")
        assert store.overdue(at=day(80)) == []
        assert store.refresh_time_limits() == 1
        assert [c.reference for c in store.overdue(at=day(80))] == ["IP-1"]

    # -- hooks ------------------------------------------------------------------------------

    def test_hooks_after_commit(self, store: CaseStore, other: CaseStore) -> None:
        """Hooks are called once per new entry, after the commit, narrowed by kind or name."""
        seen: list[tuple[str, int, int]] = []
        steps: list[str] = []
        store.subscribe(
            lambda case, entry: seen.append(
                (case.reference, entry.seq, other.get(case.reference).revision)
            )
        )
        store.subscribe(lambda case, entry: steps.append(entry.name), kind="step")
        names: list[str] = []
        store.subscribe(lambda case, entry: names.append(entry.name), names="cancel")
        store.add(in_needs())
        with store.edit("2024/0173") as case:
            case.apply("start-market-dialogue", at=day(2), by=PM)
            case.apply("cancel", at=day(3), by=PM, reason="x")
        assert seen == [("2024/0173", 1, 1), ("2024/0173", 2, 3), ("2024/0173", 3, 3)]
        assert steps == ["start-market-dialogue", "cancel"]
        assert names == ["cancel"]

    def test_failing_hook(self, store: CaseStore, caplog: pytest.LogCaptureFixture) -> None:
        """A failing hook is logged and reported, the commit stands and later hooks run."""
        after: list[int] = []

        def broken(case: Case, entry: innoproc.HistoryEntry) -> None:
            raise RuntimeError("search index is down")

        store.subscribe(broken)
        store.subscribe(lambda case, entry: after.append(entry.seq))
        with caplog.at_level(logging.ERROR, logger="innoproc.store"):
            result = store.add(in_needs())
        assert isinstance(result, SaveResult) and not result.ok
        (failure,) = result.hook_failures
        assert (failure.hook, failure.entry.seq, str(failure.error)) == (
            broken,
            1,
            "search index is down",
        )
        assert "the save is committed" in caplog.records[0].getMessage()
        assert after == [1]
        assert store.get("2024/0173").revision == 1
        store.unsubscribe(broken)
        case = store.get("2024/0173")
        case.apply("start-market-dialogue", at=day(2), by=PM)
        assert store.save(case, expected_revision=1).ok

    def test_no_hook_on_conflict(self, store: CaseStore, other: CaseStore) -> None:
        """A save that conflicts calls no hook."""
        store.add(in_needs())
        calls: list[int] = []
        store.subscribe(lambda case, entry: calls.append(entry.seq))
        mine, theirs = store.get("2024/0173"), other.get("2024/0173")
        theirs.apply("cancel", at=day(2), by=PM, reason="x")
        other.save(theirs, expected_revision=1)
        mine.apply("start-market-dialogue", at=day(2), by=PM)
        with pytest.raises(innoproc.ConcurrencyConflict):
            store.save(mine, expected_revision=1)
        assert calls == []

    def test_bad_subscriptions(self, store: CaseStore) -> None:
        """Hooks must be callable and kinds 'step' or 'fact'."""
        with pytest.raises(innoproc.InvalidPayload, match="'hook'"):
            store.subscribe("not a hook")  # type: ignore[arg-type]
        with pytest.raises(innoproc.InvalidPayload, match="'kind'"):
            store.subscribe(print, kind="entry")  # type: ignore[arg-type]

    # -- schema -------------------------------------------------------------------------------

    def test_schema_is_explicit(self, url: str, store: CaseStore) -> None:
        """Creating the schema twice is harmless; a store refuses a database without it."""
        store.create_schema()
        assert store.schema_version() == innoproc.store.SCHEMA_VERSION == 2
        self.drop(url)
        with CaseStore(url) as bare:
            assert bare.schema_version() is None
            with pytest.raises(innoproc.SchemaVersionError, match="no case store tables"):
                bare.get("x")

    def test_newer_schema_refused(self, store: CaseStore) -> None:
        """A database at a schema version newer than this innoproc's is not touched."""
        execute(store, "UPDATE innoproc_schema_version SET version_num = '0099'")
        with pytest.raises(innoproc.SchemaVersionError, match="newer") as info:
            store.upgrade_schema()
        assert (info.value.found, info.value.expected) == (99, 2)
        with pytest.raises(innoproc.SchemaVersionError):
            store.create_schema()

    def test_schema_matches_tables(self, store: CaseStore) -> None:
        """The migrations build exactly the tables the store's metadata declares."""
        assert _differences(store) == []

    def test_upgrade_from_schema_1(self, url: str) -> None:
        """A database created at schema version 1 is upgraded with its cases: they keep
        loading, and their procedure version and next time limit are filled in."""
        self.drop(url)
        stored = [
            tendering("IP-1", day(75)),
            renamed(in_needs(), "IP-2"),
            funded("F-1", datetime(2018, 1, 10, 10, tzinfo=innoproc.OSLO)),
        ]
        store_at_schema_1(url, stored)
        with CaseStore(url) as store:
            assert store.schema_version() == 1
            with pytest.raises(innoproc.SchemaVersionError, match="version 1, this innoproc"):
                store.find()
            with pytest.raises(innoproc.SchemaVersionError):
                store.create_schema()
            store.upgrade_schema()
            assert store.schema_version() == 2
            for case in stored:
                assert innoproc.dumps(store.get(case.reference)) == innoproc.dumps(case)
            assert [(c.reference, c.procedure_version, c.next_due_code) for c in store.find()] == [
                ("F-1", 1, "kickoff"),
                ("IP-1", 2, "request-deadline"),
                ("IP-2", 2, None),
            ]
            assert [c.reference for c in store.overdue(at=day(80))] == ["F-1", "IP-1"]
            with store.edit("IP-2") as case:
                case.apply("start-market-dialogue", at=day(2), by=PM)
            assert store.audit().ok
            assert _differences(store) == []

    def drop(self, url: str) -> None:  # pragma: no cover - every subclass gives its own
        raise NotImplementedError


class TestSQLite(StoreContract):
    """The store on SQLite, in a database file."""

    @pytest.fixture
    def url(self, tmp_path: Any) -> str:
        return f"sqlite:///{tmp_path / 'cases.db'}"

    def drop(self, url: str) -> None:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                for name in ("innoproc_history", "innoproc_cases", "innoproc_schema_version"):
                    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
        finally:
            engine.dispose()

    def test_due_is_an_index_lookup(self, store: CaseStore) -> None:
        """The due query reads the index on the next time limit, not every case."""
        plan = rows(
            store,
            "EXPLAIN QUERY PLAN SELECT reference FROM innoproc_cases "
            "WHERE next_due >= :a AND next_due <= :b ORDER BY next_due",
            a="2024-01-01",
            b="2024-01-15",
        )
        assert any("USING INDEX ix_innoproc_cases_next_due" in str(r[-1]) for r in plan)


@pytest.mark.postgres
class TestPostgreSQL(StoreContract):
    """The store on a real PostgreSQL server."""

    @pytest.fixture
    def url(self, postgres_url: str) -> str:
        drop_everything(postgres_url)
        return postgres_url

    def drop(self, url: str) -> None:
        drop_everything(url)

    def test_due_is_an_index_lookup(self, store: CaseStore) -> None:
        """The due query can read the index on the next time limit, not every case."""
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.execute(
                text(
                    "EXPLAIN SELECT reference FROM innoproc_cases "
                    "WHERE next_due >= :a AND next_due <= :b ORDER BY next_due"
                ),
                {"a": day(0), "b": day(14)},
            ).scalars()
            assert any("ix_innoproc_cases_next_due" in line for line in plan)

    def test_timestamps_are_timestamptz(self, store: CaseStore) -> None:
        """Instants are kept as PostgreSQL 'timestamp with time zone'."""
        found = rows(
            store,
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'innoproc_history' AND column_name = 'at'",
        )
        assert found == [("timestamp with time zone",)]


class TestWithoutTheExtra:
    def test_import_innoproc_does_not_import_sqlalchemy(self) -> None:
        """A host that does not use the store never loads SQLAlchemy."""
        code = "import sys, innoproc; print('sqlalchemy' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "False"

    def test_store_without_sqlalchemy(self) -> None:
        """Without SQLAlchemy, innoproc works and the store says which extra to install."""
        code = (
            "import sys; sys.modules['sqlalchemy'] = None\n"
            "import innoproc\n"
            "print(innoproc.open_case('triple-diamond', reference='1', authority='A').state)\n"
            "try:\n"
            "    innoproc.store\n"
            "except innoproc.MissingDependency as exc:\n"
            "    print(isinstance(exc, ImportError), exc)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.splitlines() == [
            "proposal",
            "True innoproc.store needs SQLAlchemy 2 and Alembic, which is not installed: "
            "pip install 'innoproc[store]'",
        ]

    def test_bad_database(self) -> None:
        """The database must be a URL or an engine."""
        with pytest.raises(innoproc.InvalidPayload, match="'database'"):
            CaseStore("not a url")
        with pytest.raises(innoproc.InvalidPayload, match="'database'"):
            CaseStore(42)  # type: ignore[arg-type]
