"""Reading and writing cases as JSON.

The document is a small header and the history; loading replays the history through the
procedure, so the stored state must follow from it. Format version 1::

    {"format": "innoproc-case", "version": 1, "procedure": "innovation-partnership",
     "reference": "...", "authority": "...", "details": {...},
     "state": "development", "revision": 12,
     "history": [{"seq": 1, "kind": "fact", "name": "need-description",
                  "at": "2024-01-08T09:00:00+01:00", "by": "...", "payload": {...}},
                 {"seq": 2, "kind": "step", "name": "start-market-dialogue",
                  "from": "needs", "to": "market-dialogue", "at": "...", "by": "...",
                  "payload": {...}}]}

``loads`` never executes code from the input and raises only ``CaseFormatError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from innoproc._engine.case import Case, thaw
from innoproc._engine.declare import Procedure
from innoproc._engine.fields import EMPTY, Field, Payload
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord
from innoproc._errors import CaseFormatError, InnoprocError
from innoproc._procedures import procedures as _builtin_procedures

FORMAT = "innoproc-case"
#: The format version ``dumps`` writes.
FORMAT_VERSION = 1
#: The largest document ``loads`` reads by default (characters).
MAX_SIZE = 16 * 1024 * 1024


def _encode_payload(fields: Mapping[str, Field], payload: Payload) -> dict[str, Any]:
    if not payload:
        return {}
    out: dict[str, Any] = {}
    for name, value in payload.items():
        kind = fields[name].kind
        out[name] = value if kind in _PLAIN else fields[name].encode(value)
    return out


def _entry_json(case: Case, entry: HistoryEntry) -> dict[str, Any]:
    if isinstance(entry, StepRecord):
        fields = case.procedure._events[entry.event].field_map
        return {
            "seq": entry.seq,
            "kind": "step",
            "name": entry.event,
            "from": entry.source,
            "to": entry.target,
            "at": entry.at.isoformat(),
            "by": entry.by,
            "payload": _encode_payload(fields, entry.payload),
        }
    fields = case.procedure._facts[entry.fact].field_map
    return {
        "seq": entry.seq,
        "kind": "fact",
        "name": entry.fact,
        "at": entry.at.isoformat(),
        "by": entry.by,
        "payload": _encode_payload(fields, entry.payload),
    }


def json_schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of case documents of format ``version``.

    ```pycon
    >>> json_schema()["title"]
    'innoproc case, format version 1'

    ```
    """
    from importlib.resources import files

    if version != FORMAT_VERSION:
        raise ValueError(f"no schema for format version {version!r}")
    text = files("innoproc").joinpath(f"schemas/case-v{version}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def dumps(case: Case) -> str:
    """The case as JSON text (format version 1); ``loads`` reads it back.

    The output is deterministic: the same case always gives the same text.
    """
    state, history = case.snapshot()
    # History entries never change, so each one's JSON is written once and kept with the
    # case: a host that stores the case after every step encodes only the new entries.
    fragments = case._encoded
    if len(fragments) < len(history):
        fresh = [_dump(_entry_json(case, e)) for e in history[len(fragments) :]]
        with case._lock:
            if len(case._encoded) == len(fragments):
                case._encoded = fragments = fragments + fresh
            else:  # another thread extended it meanwhile: use what it wrote
                fragments = case._encoded
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "procedure": case.procedure_id,
        "reference": case.reference,
        "authority": case.authority,
        "details": thaw(case.details),
        "state": state,
        "revision": len(history),
    }
    return _dump(header)[:-1] + ',"history":[' + ",".join(fragments[: len(history)]) + "]}"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_dump = _ENCODER.encode


# -- loading ----------------------------------------------------------------------------


def _get(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
    if key not in obj:
        raise CaseFormatError(f"missing key {key!r}", path)
    value = obj[key]
    if isinstance(value, bool) and kind is not bool:
        raise CaseFormatError(f"{key!r} has the wrong type (got a boolean)", f"{path}.{key}")
    if not isinstance(value, kind):
        raise CaseFormatError(
            f"{key!r} has the wrong type (got {type(value).__name__})", f"{path}.{key}"
        )
    return value


def _entry_keys(raw: Mapping[str, Any], keys: frozenset[str], path: str) -> None:
    kind = raw.get("kind")
    if kind not in ("step", "fact"):
        if "kind" not in raw:
            raise CaseFormatError("missing key 'kind'", path)
        raise CaseFormatError(f"unknown entry kind {kind!r}", f"{path}.kind")
    missing = keys - raw.keys()
    if missing:
        raise CaseFormatError(f"missing key {sorted(missing)[0]!r}", path)
    extra = raw.keys() - keys
    raise CaseFormatError(f"unknown key {sorted(extra)[0]!r}", path)


def _instant(raw: object, i: int) -> datetime:
    if type(raw) is not str:
        raise CaseFormatError("a timestamp must be an ISO 8601 string", f"$.history[{i}].at")
    try:
        # 'Z' is read on every supported Python (3.10's fromisoformat does not know it).
        value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
    except ValueError:
        raise CaseFormatError(f"not an ISO 8601 timestamp: {raw!r}", f"$.history[{i}].at") from None
    if value.tzinfo is None:
        raise CaseFormatError(f"timestamp without a time zone: {raw!r}", f"$.history[{i}].at")
    return value


def _payload(fields: Mapping[str, Field], raw: object, i: int, kind: str, name: str) -> Payload:
    """Decode an entry's payload; error messages and paths are built only on error."""

    def fail(message: str, key: str | None = None) -> CaseFormatError:
        path = f"$.history[{i}].payload" + (f".{key}" if key is not None else "")
        return CaseFormatError(f"{kind} {name!r} {message}", path)

    if type(raw) is not dict:
        raise fail("needs a payload object")
    if not raw:
        for field_name, spec in fields.items():
            if spec.required:
                raise fail(f"requires field {field_name!r}")
        return EMPTY
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        found = fields.get(key)
        if found is None:
            raise fail(f"has no field {key!r}", key)
        plain = _PLAIN.get(found.kind)
        if plain is not None and type(value) is plain:
            clean[key] = value  # text, integer, boolean: already the right Python value
            continue
        try:
            clean[key] = found.decode(value)
        except (InnoprocError, ValueError, TypeError) as exc:
            raise fail(f"has a bad value for field {key!r}: {exc}", key) from None
    if len(clean) < len(fields):
        for field_name, spec in fields.items():
            if spec.required and field_name not in clean:
                raise fail(f"requires field {field_name!r}")
    return MappingProxyType(clean)


_PLAIN: dict[str, type] = {"text": str, "integer": int, "boolean": bool}
_STEP_KEYS = frozenset({"seq", "kind", "name", "from", "to", "at", "by", "payload"})
_FACT_KEYS = frozenset({"seq", "kind", "name", "at", "by", "payload"})
_HEADER_KEYS = frozenset(
    {
        "format",
        "version",
        "procedure",
        "reference",
        "authority",
        "details",
        "state",
        "revision",
        "history",
    }
)


def builtin_procedure(procedure_id: str) -> Procedure | None:
    """A built-in procedure, or the application procedure of a built-in scheme, by id."""
    found = _builtin_procedures().get(procedure_id)
    if found is not None:
        return found
    from innoproc._schemes import schemes as _builtin_schemes

    for scheme in _builtin_schemes().values():
        if scheme.application.id == procedure_id:
            return scheme.application
    return None


def _resolve(
    procedure_id: str, extra: Mapping[str, Procedure] | Iterable[Procedure] | None
) -> Procedure:
    known: dict[str, Procedure] = dict(_builtin_procedures())
    if procedure_id not in known:
        from innoproc._schemes import schemes as _builtin_schemes

        known.update({s.application.id: s.application for s in _builtin_schemes().values()})
    if extra is not None:
        items = extra.values() if isinstance(extra, Mapping) else extra
        known.update({p.id: p for p in items})
    found = known.get(procedure_id)
    if found is None:
        raise CaseFormatError(
            f"unknown procedure {procedure_id!r} (known: {', '.join(sorted(known))})",
            "$.procedure",
        )
    return found


#: The deepest nesting of arrays and objects ``loads`` accepts by default.
MAX_DEPTH = 32

#: Upgrades of earlier format versions, each from version ``n`` to ``n + 1``. Version 1 is
#: the first released format, so there is nothing to upgrade yet; a future version 2 adds
#: ``1: _v1_to_v2`` here and golden files of version 1 keep being read.
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@attrs.frozen
class LoadProblem:
    """Something ``loads`` accepts only for an audit: a step out of order or a header
    that does not follow from the history."""

    path: str
    seq: int | None
    code: str
    message: str


def _no_constants(name: str) -> Any:
    raise CaseFormatError(f"{name} is not allowed in a case document")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise CaseFormatError(f"duplicated key {key!r}")
            seen.add(key)
    return result


def _depth(doc: Any, limit: int, start: int = 1) -> None:
    stack: list[tuple[Any, int]] = [(doc, start)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                raise CaseFormatError(f"nesting deeper than {limit} levels")
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constants)


def _parse(text: object, max_size: int, max_depth: int) -> dict[str, Any]:
    if not isinstance(text, (str, bytes, bytearray)):
        raise CaseFormatError(f"expected JSON text, got {type(text).__name__}")
    if len(text) > max_size:
        raise CaseFormatError(f"document is larger than {max_size} characters")
    try:
        if not isinstance(text, str):
            text = text.decode(json.detect_encoding(text), "surrogatepass")
        doc = _DECODER.decode(text)
    except CaseFormatError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CaseFormatError(f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise CaseFormatError("a case document must be a JSON object")
    # Every part of the document but 'details' has a fixed shape, checked key by key below;
    # 'details' is free JSON, so its nesting is bounded here.
    _depth(doc.get("details"), max_depth, start=2)
    extra = doc.keys() - _HEADER_KEYS
    if extra:
        raise CaseFormatError(f"unknown key {sorted(extra)[0]!r}", "$")
    if doc.get("format") != FORMAT:
        raise CaseFormatError(f"not an innoproc case (format {doc.get('format')!r})", "$.format")
    version = _get(doc, "version", int, "$")
    if version > FORMAT_VERSION or version < 1:
        raise CaseFormatError(
            f"unsupported format version {version!r} (this innoproc reads versions 1 to "
            f"{FORMAT_VERSION}; a newer innoproc may read it)",
            "$.version",
        )
    upgraded: dict[str, Any] = doc
    while version < FORMAT_VERSION:  # pragma: no cover - no earlier version exists yet
        upgraded = _MIGRATIONS[version](upgraded)
        version += 1
    return upgraded


def read_document(
    text: str | bytes,
    *,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
    max_size: int = MAX_SIZE,
    max_depth: int = MAX_DEPTH,
    strict: bool = True,
) -> tuple[Case, tuple[LoadProblem, ...]]:
    """Parse and replay a document; with ``strict=False`` collect order problems instead."""
    doc = _parse(text, max_size, max_depth)
    problems: list[LoadProblem] = []

    def problem(path: str, seq: int | None, code: str, message: str) -> None:
        if strict:
            raise CaseFormatError(message, path)
        problems.append(LoadProblem(path, seq, code, message))

    procedure = _resolve(_get(doc, "procedure", str, "$"), procedures)
    details = _get(doc, "details", dict, "$")
    try:
        case = Case(
            procedure,
            reference=_get(doc, "reference", str, "$"),
            authority=_get(doc, "authority", str, "$"),
            details=details,
        )
    except InnoprocError as exc:
        raise CaseFormatError(str(exc), "$") from None
    history = _get(doc, "history", list, "$")
    last: datetime | None = None
    events, facts, states = procedure._events, procedure._facts, procedure._states
    for i, raw in enumerate(history):
        if type(raw) is not dict:
            raise CaseFormatError("a history entry must be an object", f"$.history[{i}]")
        kind = raw.get("kind")
        keys = _STEP_KEYS if kind == "step" else _FACT_KEYS
        if raw.keys() != keys:
            _entry_keys(raw, keys, f"$.history[{i}]")
        seq, name, by = raw["seq"], raw["name"], raw["by"]
        if type(seq) is not int or seq != i + 1:
            raise CaseFormatError(f"expected seq {i + 1}, got {seq!r}", f"$.history[{i}].seq")
        if type(name) is not str:
            raise CaseFormatError("'name' must be a string", f"$.history[{i}].name")
        if type(by) is not str or not by.strip():
            raise CaseFormatError("'by' must name the actor", f"$.history[{i}].by")
        at = _instant(raw["at"], i)
        if last is not None and at < last:
            problem(
                f"$.history[{i}].at",
                seq,
                "out-of-time-order",
                "entry is earlier than the one before it",
            )
        last = at
        entry: HistoryEntry
        if kind == "fact":
            fact = facts.get(name)
            if fact is None:
                raise CaseFormatError(f"unknown fact {name!r}", f"$.history[{i}].name")
            payload = _payload(fact.field_map, raw["payload"], i, "fact", name)
            entry = FactRecord(seq, at, by, name, payload)
        else:
            path = f"$.history[{i}]"
            event = events.get(name)
            if event is None:
                raise CaseFormatError(f"unknown event {name!r}", f"{path}.name")
            source, target = raw["from"], raw["to"]
            for key, state in (("from", source), ("to", target)):
                if type(state) is not str or state not in states:
                    raise CaseFormatError(f"unknown state {state!r}", f"{path}.{key}")
            if source != case.state:
                problem(
                    f"{path}.from",
                    seq,
                    "step-out-of-order",
                    f"step starts from {source!r} but the case is in {case.state!r}",
                )
            if source not in event.source:
                problem(
                    f"{path}.name",
                    seq,
                    "step-out-of-order",
                    f"event {name!r} is not possible from state {source!r}",
                )
            elif target != (event.dest or source):
                problem(
                    f"{path}.to",
                    seq,
                    "step-out-of-order",
                    f"event {name!r} leads to {event.dest or source!r}, not {target!r}",
                )
            payload = _payload(event.field_map, raw["payload"], i, "event", name)
            entry = StepRecord(seq, at, by, name, source, target, payload)
        case._replay(entry)
    stated = _get(doc, "state", str, "$")
    if stated != case.state:
        problem(
            "$.state",
            None,
            "state-mismatch",
            f"stated state {stated!r} does not follow from the history "
            f"(which ends in {case.state!r})",
        )
    revision = _get(doc, "revision", int, "$")
    if revision != case.revision:
        problem(
            "$.revision",
            None,
            "revision-mismatch",
            f"stated revision {revision!r} does not match the history ({case.revision} entries)",
        )
    return case, tuple(problems)


def loads(
    text: str | bytes,
    *,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
    max_size: int = MAX_SIZE,
    max_depth: int = MAX_DEPTH,
    for_audit: bool = False,
) -> Case:
    """Read a case written by ``dumps`` (any released format version).

    ``procedures`` adds your own procedure declarations to the built-in ones (and overrides
    one with the same id). The history is replayed: every step must leave the state it
    starts from and reach the state the procedure says, entries come in time order, and the
    stated state and revision must follow from the history. ``max_size`` (characters) and
    ``max_depth`` (nesting) bound the input. Any problem raises ``CaseFormatError``
    naming the JSON path; nothing in the input is ever executed.

    ``for_audit=True`` loads a document whose steps are out of order or whose header does not
    follow from its history (an import from another system, or a tampered file) so that
    ``innoproc.audit`` can report on it; the case's state is then the fold of its
    history. Malformed documents are refused all the same.
    """
    case, _ = read_document(
        text,
        procedures=procedures,
        max_size=max_size,
        max_depth=max_depth,
        strict=not for_audit,
    )
    return case
