"""Several processes doing read-modify-write on shared cases: no update is lost.

Each worker process loads a case, records a fact with the revision it read, and saves with
that revision. First in lock-step rounds (every worker reads the same revision of one case,
then all save at once: exactly one may win), then freely on three shared cases. Afterwards
each case's history must hold exactly the successful writes, once each, and every other
attempt must have ended in ``ConcurrencyConflict`` naming the revision it read.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
from _builders import day, in_needs
from test_store import drop_everything, renamed

import innoproc
from innoproc.store import CaseStore

WORKERS = 4
ROUNDS = 5
FREE = 15
REFERENCES = ("LOAD-1", "LOAD-2", "LOAD-3")


Outcome = tuple[str, str, bool, int, int, int]


def attempt(
    store: CaseStore, reference: str, token: str, index: int, *, wait: Any = None
) -> Outcome:
    """One read-modify-write: (reference, token, saved, revision read, and the conflict's
    expected and actual revisions, or -1). ``wait`` is called between reading and saving."""
    case = store.get(reference)
    read = case.revision
    if wait is not None:
        wait()
    case.record(
        "need-description",
        at=day(2),
        by=f"worker {index}",
        summary=token,
        functional=True,
        expected_revision=read,
    )
    try:
        store.save(case, expected_revision=read)
    except innoproc.ConcurrencyConflict as exc:
        return reference, token, False, read, exc.expected, exc.actual
    return reference, token, True, read, -1, -1


def worker(url: str, index: int, barrier: Any, results: Any) -> None:
    """A clerk's process: lock-step rounds on the first case, then free-running writes."""
    outcomes: list[Outcome] = []
    with CaseStore(url) as store:
        for r in range(ROUNDS):
            # Everyone reads the same revision, then everyone saves.
            wait = lambda: barrier.wait(timeout=60)  # noqa: E731
            outcomes.append(
                attempt(store, REFERENCES[0], f"round {r} worker {index}", index, wait=wait)
            )
            barrier.wait(timeout=60)  # everyone has saved or lost
        rng = random.Random(index)
        for k in range(FREE):
            reference = rng.choice(REFERENCES)
            outcomes.append(attempt(store, reference, f"free {k} worker {index}", index))
    results.put((index, outcomes))


def run(url: str) -> dict[str, Any]:
    """Run the workers against ``url`` and check the stored histories."""
    with CaseStore(url) as store:
        store.create_schema()
        for reference in REFERENCES:
            store.add(renamed(in_needs(), reference))
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    started = time.perf_counter()
    processes = [
        ctx.Process(target=worker, args=(url, i, barrier, results)) for i in range(WORKERS)
    ]
    for p in processes:
        p.start()
    collected = dict(results.get(timeout=120) for _ in processes)
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0
    elapsed = time.perf_counter() - started
    results.close()
    results.join_thread()

    outcomes = [o for i in sorted(collected) for o in collected[i]]
    assert len(outcomes) == WORKERS * (ROUNDS + FREE)
    for r in range(ROUNDS):
        round_wins = [o for o in outcomes if o[1].startswith(f"round {r} ") and o[2]]
        assert len(round_wins) == 1, f"round {r}: {round_wins}"
    for _, token, saved, read, expected, actual in outcomes:
        assert saved or (expected == read and actual > read), (token, read, expected, actual)
    with CaseStore(url) as store:
        for reference in REFERENCES:
            case = store.get(reference)
            written = [e.payload["summary"] for e in case.history[1:]]
            won = {o[1] for o in outcomes if o[0] == reference and o[2]}
            assert len(written) == len(set(written)) == len(won)
            assert set(written) == won
            assert case.revision == 1 + len(won)
        assert store.audit().ok
    wins = sum(1 for o in outcomes if o[2])
    figures = {
        "processes": WORKERS,
        "attempts": len(outcomes),
        "saved": wins,
        "conflicts": len(outcomes) - wins,
        "seconds": round(elapsed, 2),
    }
    print(f"\n{url.split(':')[0]}: {figures}")
    return figures


@pytest.fixture
def sqlite_url(tmp_path: Any) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'load.db'}"


class TestLoad:
    def test_sqlite(self, sqlite_url: str) -> None:
        """On a SQLite database file, every loser gets a conflict and no save is lost."""
        figures = run(sqlite_url)
        assert figures["conflicts"] >= ROUNDS * (WORKERS - 1)

    @pytest.mark.postgres
    def test_postgres(self, postgres_url: str) -> None:
        """On PostgreSQL, every loser gets a conflict and no save is lost."""
        drop_everything(postgres_url)
        figures = run(postgres_url)
        assert figures["conflicts"] >= ROUNDS * (WORKERS - 1)
