"""The case store's throughput on SQLite and PostgreSQL, and its "due soon" query.

    .venv/bin/python benchmarks/store.py                                   # SQLite only
    bash .ci/with-postgres .venv/bin/python benchmarks/store.py            # and PostgreSQL

With ``INNOPROC_TEST_POSTGRES_URL`` set (``.ci/with-postgres`` sets it to a throw-away
database) the same measures run on PostgreSQL; the store's tables in that database are
dropped first. For each database:

- import: 10,000 cases (innovation partnerships in 'needs' and in 'tendering' with request
  deadlines spread over a year, PCP calls with tender deadlines, funded applications with
  follow-ups) stored with ``add_many`` in one transaction;
- steps/s: read-modify-write cycles ``with store.edit(ref) as case: case.apply(...)``, each
  loading a case, applying one guarded step and saving it in its own transaction;
- the "due in the next 14 days" query (``store.due``) and the "overdue" query over the
  10,000 cases (median of repeated runs), and for comparison what a host without the
  indexed column would do: load every case and compute its time limits.

Figures are medians; the machine's speed varies between runs. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _builders import PM, day, in_market_dialogue, in_needs
from sqlalchemy import create_engine

import innoproc
from innoproc.store import CaseStore

OSLO = innoproc.OSLO
FUND = "municipal-innovation-fund"


def template_documents() -> dict[str, str]:
    """One document per kind of case; references and dates are varied in the text."""
    tendering = in_market_dialogue()
    tendering.apply(
        "publish-notice",
        at=day(40),
        by=PM,
        notice_sent=day(40),
        request_deadline=datetime(2024, 3, 23, 9, 0, tzinfo=OSLO),
    )
    pcp = innoproc.open_case("pre-commercial-procurement", reference="X", authority="Helse Vest")
    pcp.record("need-description", at=day(1), by=PM, summary="x", functional=True)
    at = datetime(2024, 1, 10, 10, tzinfo=OSLO)
    app = innoproc.open_application(
        FUND, reference="X", applicant="Unit", kind="municipal-unit", at=at, by="Clerk"
    )
    app.apply("submit", at=at, by="Clerk")
    app.apply("confirm-eligibility", at=at, by="Officer")
    app.record("criteria-assessment", at=at, by="Panel", service_development=3)
    app.apply("assess", at=at, by="Panel")
    app.apply("fund", at=at, by="Board", amount=100_000, project_end=date(2024, 12, 15))
    return {
        "needs": innoproc.dumps(in_needs()),
        "tendering": innoproc.dumps(tendering),
        "application": innoproc.dumps(app),
        "pcp": innoproc.dumps(pcp),
    }


def population(n: int) -> list[innoproc.Case]:
    """``n`` cases: a quarter of each kind, deadlines spread over a year."""
    docs = template_documents()
    cases = []
    for i in range(n):
        kind = ("needs", "tendering", "application", "pcp")[i % 4]
        doc = json.loads(docs[kind])
        doc["reference"] = f"{kind.upper()}-{i:05d}"
        if kind == "tendering":
            step = doc["history"][-1]
            deadline = day(75 + (i * 7919) % 365)
            step["payload"]["request_deadline"] = deadline.isoformat()
        cases.append(innoproc.loads(json.dumps(doc)))
    return cases


def median_time(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(label: str, url: str, cases: int, steps: int) -> dict[str, Any]:
    with CaseStore(url) as store:
        store.create_schema()
        population_ = population(cases)
        started = time.perf_counter()
        store.add_many(population_)
        imported = time.perf_counter() - started

        needs = [c.reference for c in population_ if c.state == "needs"][:steps]
        started = time.perf_counter()
        for reference in needs:
            with store.edit(reference) as case:
                case.apply("start-market-dialogue", at=day(2), by=PM)
        per_second = len(needs) / (time.perf_counter() - started)

        at = datetime(2024, 6, 1, 9, 0, tzinfo=OSLO)
        found = store.due(within=timedelta(days=14), at=at)
        due = median_time(lambda: store.due(within=timedelta(days=14), at=at), 50)
        late = store.overdue(at=at)
        overdue = median_time(lambda: store.overdue(at=at), 10)

        def scan() -> int:
            hits = 0
            for summary in store.find():
                limits = innoproc.time_limits(store.get(summary.reference))
                hits += any(not t.done and at <= t.due <= at + timedelta(days=14) for t in limits)
            return hits

        scanned = median_time(scan, 1)
        assert scan() == len(found)
    return {
        "database": label,
        "cases": cases,
        "import s": imported,
        "steps/s": per_second,
        "due ms": due * 1000,
        "due found": len(found),
        "overdue ms": overdue * 1000,
        "overdue found": len(late),
        "scan s": scanned,
    }


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DROP TABLE IF EXISTS innoproc_history, innoproc_cases, innoproc_schema_version"
            )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(measure("SQLite file", f"sqlite:///{tmp}/cases.db", args.cases, args.steps))
        wal = f"sqlite:///{tmp}/wal.db"
        engine = create_engine(wal)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
        results.append(measure("SQLite file, WAL", wal, args.cases, args.steps))
    url = os.environ.get("INNOPROC_TEST_POSTGRES_URL")
    if url:
        reset_postgres(url)
        engine = create_engine(url)
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
        results.append(measure(f"PostgreSQL {version}", url, args.cases, args.steps))
    else:
        print("(PostgreSQL not measured: INNOPROC_TEST_POSTGRES_URL is not set)")
    print(f"Python {sys.version.split()[0]}, innoproc {innoproc.__version__}")
    print()
    print(
        "| database | import 10,000 cases | steps/s (load, apply, save) | due in 14 days "
        "| overdue | load every case and compute |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['database']} | {r['import s']:.1f} s | {r['steps/s']:,.0f} "
            f"| {r['due ms']:.2f} ms ({r['due found']} cases) "
            f"| {r['overdue ms']:.1f} ms ({r['overdue found']} cases) | {r['scan s']:.1f} s |"
        )


if __name__ == "__main__":
    main()
