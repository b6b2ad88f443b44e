"""Case documents cut into rows and put back together, and what a case needs attention for.

The store keeps the JSON that ``innoproc.dumps`` writes, without reading its meaning: the
header (everything but the history) in the case row, each history entry's JSON in its own
row. Putting them back together gives a document for ``innoproc.loads``, so validation and
replay stay in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from innoproc._engine.case import Case
from innoproc._time_limits import time_limits

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def split_document(text: str) -> tuple[str, list[str]]:
    """The header of a case document and the JSON of each history entry."""
    doc = json.loads(text)
    entries = doc.pop("history")
    return _encode(doc), [_encode(entry) for entry in entries]


def join_document(header: str, entries: Iterable[str]) -> str:
    """The case document made of a header and the JSON of its history entries."""
    return header[:-1] + ',"history":[' + ",".join(entries) + "]}"


def attention(case: Case) -> tuple[datetime | None, str | None]:
    """The earliest time limit of ``case`` not yet done (instant and code), or ``(None,
    None)`` when there is none or the case is closed."""
    if case.closed:
        return None, None
    for limit in time_limits(case):
        if not limit.done:
            return limit.due, limit.code
    return None, None


def procedure_version(case: Case) -> int:
    """The version of the procedure ``case`` follows now (after any upgrade)."""
    return case.version
