"""Reading and writing cases as JSON.

The document is a small header and the history; loading replays the history through the
procedure, so the stored state must follow from it. Format version 2::

    {"format": "innoproc-case", "version": 2, "procedure": "innovation-partnership",
     "procedure_version": 2, "reference": "...", "authority": "...", "details": {...},
     "state": "development", "revision": 12,
     "history": [{"seq": 1, "kind": "fact", "name": "need-description",
                  "at": "2024-01-08T09:00:00+01:00", "by": "...", "payload": {...}},
                 {"seq": 2, "kind": "step", "name": "start-market-dialogue",
                  "from": "needs", "to": "market-dialogue", "at": "...", "by": "...",
                  "payload": {...}},
                 {"seq": 3, "kind": "upgrade", "from": 1, "to": 2, "at": "...", "by": "..."}],
     "seal": "hmac-sha256:..."}

``procedure_version`` is the version the case was opened under; ``upgrade`` entries move it
to later versions. An entry entered late carries ``"entered"`` (when it was entered) beside
``"at"`` (when it took effect). ``"seal"`` is present only when the host sealed the document
with its key. Version 1 documents (no ``procedure_version``, no upgrades) are read as cases
opened under version 1 of their procedure.

``loads`` never executes code from the input and raises only ``CaseFormatError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from innoproc import _limits
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._engine.fields import EMPTY, Field, Payload, parse_instant
from innoproc._engine.history import (
    FactRecord,
    HistoryEntry,
    StepRecord,
    UpgradeRecord,
    make_fact,
    make_step,
)
from innoproc._engine.upgrade import assess_upgrade
from innoproc._errors import CaseFormatError, InnoprocError, InvalidArgument, shown
from innoproc._limits import MAX_DEPTH, MAX_SIZE, thaw
from innoproc._procedures import find_version

FORMAT = "innoproc-case"
#: The format version ``dumps`` writes.
FORMAT_VERSION = 2

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_SIZE",
    "LoadProblem",
    "builtin_procedure",
    "dumps",
    "json_schema",
    "loads",
    "read_document",
]


# -- writing ------------------------------------------------------------------------------


def _encode_payload(fields: Mapping[str, Field], payload: Payload) -> dict[str, Any]:
    if not payload:
        return {}
    out: dict[str, Any] = {}
    for name, value in payload.items():
        kind = fields[name].kind
        out[name] = value if kind in _PLAIN else fields[name].encode(value)
    return out


def _entry_json(procedure: Procedure, entry: HistoryEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"seq": entry.seq, "kind": entry.kind}
    if isinstance(entry, StepRecord):
        fields = procedure._events[entry.event].field_map
        out.update(name=entry.event, **{"from": entry.source, "to": entry.target})
    elif isinstance(entry, FactRecord):
        fields = procedure._facts[entry.fact].field_map
        out["name"] = entry.fact
    else:
        out.update({"from": entry.from_version, "to": entry.to_version})
    out["at"] = entry.at.isoformat()
    if entry.entered_at is not entry.at:
        out["entered"] = entry.entered_at.isoformat()
    out["by"] = entry.by
    if not isinstance(entry, UpgradeRecord):
        out["payload"] = _encode_payload(fields, entry.payload)
    return out


def _entry_text(procedure: Procedure, entry: HistoryEntry) -> str:
    """The JSON of a history entry: ``_dump(_entry_json(procedure, entry))``, written
    directly (dumps writes every entry once; this is that once)."""
    at = entry.at
    entered = entry.entered_at
    times = (
        '"at":"' + at.isoformat() + '",'
        if entered is at
        else '"at":"' + at.isoformat() + '","entered":"' + entered.isoformat() + '",'
    )
    if isinstance(entry, FactRecord):
        head = '{"seq":' + str(entry.seq) + ',"kind":"fact","name":' + _string(entry.fact) + ","
        fields = procedure._facts[entry.fact].field_map
    elif isinstance(entry, StepRecord):
        head = (
            '{"seq":'
            + str(entry.seq)
            + ',"kind":"step","name":'
            + _string(entry.event)
            + ',"from":'
            + _string(entry.source)
            + ',"to":'
            + _string(entry.target)
            + ","
        )
        fields = procedure._events[entry.event].field_map
    else:
        return _dump(_entry_json(procedure, entry))
    payload = entry.payload
    if not payload:
        return head + times + '"by":' + _string(entry.by) + ',"payload":{}}'
    return (
        head
        + times
        + '"by":'
        + _string(entry.by)
        + ',"payload":'
        + _dump(_encode_payload(fields, payload))
        + "}"
    )


def json_schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of case documents of format ``version``.

    ```pycon
    >>> json_schema()["title"]
    'innoproc case, format version 2'

    ```
    """
    from importlib.resources import files

    if type(version) is not int or version not in (1, 2):
        raise InvalidArgument(f"no schema for format version {shown(version)}", "version")
    text = files("innoproc").joinpath(f"schemas/case-v{version}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_SEAL_PREFIX = "hmac-sha256:"


#: An HMAC-SHA-256 with each key already applied, copied for each document (the host's keys
#: are in its memory anyway; a few are kept).
_MACS: dict[bytes, Any] = {}
#: The hmac module, imported when a host first seals or checks a seal (few hosts do).
_hmac: Any = None


def _seal(key: bytes, body: str) -> str:
    global _hmac
    mac = _MACS.get(key)
    if mac is None:
        import hmac

        _hmac = hmac
        if len(_MACS) >= 8:
            _MACS.clear()
        mac = _MACS[key] = hmac.new(key, digestmod="sha256")
    mac = mac.copy()
    mac.update(body.encode("utf-8"))
    return _SEAL_PREFIX + str(mac.hexdigest())


def _key(key: object) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)) or len(key) < 16:
        raise InvalidArgument(
            "'key' must be bytes (or text) of at least 16 bytes, such as secrets.token_bytes(32)",
            "key",
        )
    return bytes(key)


def dumps(case: Case, *, key: bytes | str | None = None) -> str:
    """The case as JSON text (format version 2); ``loads`` reads it back.

    The output is deterministic: the same case always gives the same text, and it is a
    consistent snapshot even while other threads change the case. With ``key`` (bytes of at
    least 16, kept secret by the host) the document is sealed with an HMAC-SHA-256 over its
    text: ``loads`` with the same key then knows it is unchanged and reads it faster, and
    any edit made outside innoproc is detected (see "Sealed documents" in the guide to
    storing cases for what the seal does and does not protect against).
    """
    if not isinstance(case, Case):
        raise InvalidArgument(f"'case' must be a Case, got {shown(case)}", "case")
    secret = None if key is None else _key(key)
    if secret is not None and case._problems:
        raise InvalidArgument(
            f"case {case._reference!r} was read for an audit with {case._problems} problem(s) "
            "in its history; it is not sealed, since a sealed document is read without the "
            "checks that found them (store it without 'key')",
            "key",
        )
    with case._lock:
        state = case._state
        revision = len(case._history)
        cached = case._encoded
        count, written, loaded = cached
        fresh = case._history[count:revision] if count < revision else None
        versions = tuple(case._versions)
    details = thaw(case._details) if case._details else {}
    if loaded is not None:
        # Loaded from a sealed document and not written since: its history, as dumps wrote
        # it, is what follows the header it had then.
        head = _header(case, versions, details, loaded, count)[:-1] + ',"history":['
        if written.startswith(head) and written.endswith("]}"):
            written = written[len(head) : -2]
        else:
            count, written = 0, ""
            fresh = case._history[:revision]
        with case._lock:
            if case._encoded is cached:
                case._encoded = cached = (count, written, None)
    # History entries never change, so each one's JSON is written once and kept with the
    # case: a host that stores the case after every step encodes only the new entries.
    if fresh is not None:
        if len(versions) == 1:
            procedure = versions[0][1]
            joined = ",".join([_entry_text(procedure, entry) for entry in fresh])
        else:
            joined = ",".join([_entry_text(_procedure_at(versions, e.seq), e) for e in fresh])
        text = joined if not count else written + "," + joined
        with case._lock:
            if case._encoded is cached:
                case._encoded = (revision, text, None)
        written = text
    body = _header(case, versions, details, state, revision)[:-1] + ',"history":[' + written + "]}"
    if secret is None:
        return body
    return body[:-1] + ',"seal":"' + _seal(secret, body) + '"}'


def _header(
    case: Case,
    versions: tuple[tuple[int, Procedure], ...],
    details: Any,
    state: str,
    revision: int,
) -> str:
    return _dump(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "procedure": versions[0][1].id,
            "procedure_version": versions[0][1].version,
            "reference": case._reference,
            "authority": case._authority,
            "details": details,
            "state": state,
            "revision": revision,
        }
    )


def _procedure_at(versions: tuple[tuple[int, Procedure], ...], seq: int) -> Procedure:
    found = versions[0][1]
    for first, procedure in versions:
        if first > seq:
            break
        found = procedure
    return found


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# One C encoder for every call (what ``_ENCODER.encode`` builds anew for each): innoproc's own
# data hold no cycles, so the check for them (what needs a fresh encoder) is left out.
_c_encode = json.encoder.c_make_encoder  # type: ignore[attr-defined]
_ENCODE = (
    _c_encode(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    if _c_encode is not None
    else None
)
_string = json.encoder.encode_basestring


def _dump(value: Any) -> str:
    if _ENCODE is None:  # pragma: no cover - a Python without the C accelerator
        return _ENCODER.encode(value)
    return "".join(_ENCODE(value, 0))


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


def _text(value: object, path: str) -> str:
    try:
        return _limits.text(value, path)
    except InnoprocError as exc:
        raise CaseFormatError(str(exc), path) from None


def _entry_keys(raw: Mapping[str, Any], keys: frozenset[str], path: str) -> None:
    kind = raw.get("kind")
    if kind not in ("step", "fact", "upgrade"):
        if "kind" not in raw:
            raise CaseFormatError("missing key 'kind'", path)
        raise CaseFormatError(f"unknown entry kind {shown(kind)}", f"{path}.kind")
    missing = keys - raw.keys()
    if missing:
        raise CaseFormatError(f"missing key {sorted(missing)[0]!r}", path)
    extra = raw.keys() - keys - {"entered"}
    if extra:
        raise CaseFormatError(f"unknown key {shown(sorted(extra)[0])}", path)


def _instant(raw: object, path: str) -> datetime:
    if type(raw) is not str:
        raise CaseFormatError("a timestamp must be an ISO 8601 string", path)
    try:
        return parse_instant(raw)
    except (ValueError, InnoprocError) as exc:
        raise CaseFormatError(str(exc), path) from None


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
            raise fail(f"has no field {shown(key)}", key)
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
_UPGRADE_KEYS = frozenset({"seq", "kind", "from", "to", "at", "by"})
_KEYS = {"step": _STEP_KEYS, "fact": _FACT_KEYS, "upgrade": _UPGRADE_KEYS}
_HEADER_KEYS = frozenset(
    {
        "format",
        "version",
        "procedure",
        "procedure_version",
        "reference",
        "authority",
        "details",
        "state",
        "revision",
        "history",
    }
)


def builtin_procedure(procedure_id: str, version: int | None = None) -> Procedure | None:
    """A built-in procedure, or the application procedure of a built-in scheme, by id and
    version (the latest when ``None``)."""
    return find_version(procedure_id, version)


def _resolver(
    extra: Mapping[str, Procedure] | Iterable[Procedure] | None,
) -> Callable[[str, int], Procedure | None]:
    """Find a procedure by id and version: the caller's own first, then the built-in ones.

    A procedure of the caller's own replaces the built-in one with the same id and version
    (a host's stricter PCP, say); other versions are the built-in ones.
    """
    own: dict[tuple[str, int], Procedure] = {}
    if extra is not None:
        items = extra.values() if isinstance(extra, Mapping) else extra
        for p in items:
            if not isinstance(p, Procedure):
                raise InvalidArgument(
                    f"'procedures' must hold Procedure objects, got {shown(p)}", "procedures"
                )
            own[(p.id, p.version)] = p

    def resolve(procedure_id: str, version: int) -> Procedure | None:
        key = (procedure_id, version)
        found = own.get(key) if own else None
        if found is None:
            found = _BUILT_IN.get(key)
            if found is None:
                found = find_version(procedure_id, version)
                if found is not None and len(_BUILT_IN) < 1000:
                    _BUILT_IN[key] = found
        return found

    return resolve


#: The built-in procedures found so far, by id and version (they never change).
_BUILT_IN: dict[tuple[str, int], Procedure] = {}


#: Upgrades of earlier format versions, each from version ``n`` to ``n + 1``, applied to the
#: parsed document. Golden files of every released version keep being read.
def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    # Version 1 had no procedure versions: its cases were written under version 1 of their
    # procedure, and have no upgrade entries and no entry times apart from 'at'.
    history = doc.get("history")
    if type(history) is not list:
        history = ()  # not a list: the reader refuses it with its path after the migration
    for i, raw in enumerate(history):
        if type(raw) is dict and ("entered" in raw or raw.get("kind") == "upgrade"):
            raise CaseFormatError("format version 1 has no such entry", f"$.history[{i}]")
    if "procedure_version" in doc:
        raise CaseFormatError("unknown key 'procedure_version' in format version 1", "$")
    return {**doc, "procedure_version": 1, "version": 2}


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


@attrs.frozen
class LoadProblem:
    """Something ``loads`` accepts only for an audit: a step out of order, an entry out of
    time order or a header that does not follow from the history."""

    path: str
    seq: int | None
    code: str
    message: str


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_constants(name: str) -> Any:
    raise _Constant(name)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constants)
_raw_decode = json.JSONDecoder().raw_decode


class _Marked(dict):  # type: ignore[type-arg]
    """An object with a duplicated key, found by the slow pass that locates the culprit."""

    duplicate = ""


_BAD = object()


def _locate(text: str, target: Callable[[Any], bool]) -> str:
    """The JSON path of the first value ``target`` picks out, after a slow, marking parse.

    Only used on error, so that the fast parse stays fast and errors still name a path.
    """

    def mark(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            marked = _Marked(pairs)
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    marked.duplicate = key
                    break
                seen.add(key)
            return marked
        return result

    try:
        doc = json.JSONDecoder(object_pairs_hook=mark, parse_constant=lambda name: _BAD).decode(
            text
        )
    except (ValueError, RecursionError):
        return "$"
    stack: list[tuple[Any, str]] = [(doc, "$")]
    while stack:
        value, path = stack.pop()
        if target(value):
            return path
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}") for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return "$"


def _depth_path(text: str, limit: int) -> str:
    """The JSON path where ``text`` first nests deeper than ``limit`` (a scan done only on
    error: the parser itself gave up on the nesting)."""
    path: list[Any] = []
    key: str | None = None
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]', text):
        token = m.group()
        if token in "[{":
            if len(path) >= limit:
                break
            path.append(0 if token == "[" else key)
            key = None
        elif token in "]}":
            if path:
                path.pop()
        elif token == ",":
            if path and isinstance(path[-1], int):
                path[-1] += 1
        elif token == ":":
            pass
        elif path and not isinstance(path[-1], int):
            key = json.loads(token) if key is None else key
            path[-1] = key
    out = "$"
    for part in path[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _decode(text: str, max_depth: int) -> Any:
    try:
        return _DECODER.decode(text)
    except _Duplicate as dup:
        key = dup.key
        path = _locate(text, lambda v: isinstance(v, _Marked) and v.duplicate == key)
        raise CaseFormatError(f"duplicated key {shown(key)}", path) from None
    except _Constant as const:
        raise CaseFormatError(
            f"{const.name} is not allowed in a case document", _locate(text, lambda v: v is _BAD)
        ) from None
    except RecursionError:
        raise CaseFormatError(
            f"nesting deeper than {max_depth} levels", _depth_path(text, max_depth)
        ) from None
    except ValueError as exc:
        raise CaseFormatError(f"not valid JSON: {shown(str(exc), 200)}") from None


_SEAL = re.compile(r',"seal":"(hmac-sha256:[0-9a-f]{64})"\}\s*$')
_SEAL_KEY = ',"seal":"'


def _sealed_body(text: str, key: bytes) -> tuple[str | None, bool]:
    """The document without its seal, and whether the seal matches it (``None`` when the
    document has no seal). The seal is the last member of the document."""
    at = text.rfind(_SEAL_KEY)
    found = _SEAL.match(text, at) if at >= 0 else None
    if found is None:
        return None, False
    body = text[:at] + "}"
    expected = _seal(key, body)  # imports hmac, the first time
    return body, bool(_hmac.compare_digest(found.group(1), expected))


def _parse(
    text: object, max_size: int, max_depth: int, key: bytes | None, require_seal: bool
) -> tuple[dict[str, Any], str | None]:
    """The document, parsed; with it the sealed text when the seal matched (the document is
    then as ``dumps`` wrote it, and is returned as parsed, not yet checked)."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise CaseFormatError(f"expected JSON text, got {type(text).__name__}")
    if len(text) > max_size:
        raise CaseFormatError(f"document is larger than {max_size:,} characters")
    if not isinstance(text, str):
        try:
            text = bytes(text).decode(json.detect_encoding(bytes(text)))
        except (UnicodeDecodeError, LookupError) as exc:
            raise CaseFormatError(
                f"not valid JSON: the bytes are not UTF-8, UTF-16 or UTF-32 text ({exc})"
            ) from None
    if key is not None:
        body, matches = _sealed_body(text, key)
        if matches and body is not None:
            try:
                doc, end = _raw_decode(body)
            except (ValueError, RecursionError):
                doc = end = None
            if end != len(body):
                doc = None
            if type(doc) is dict and doc.get("version") == FORMAT_VERSION:
                return doc, body
            # Sealed by this host but not in the current format: read it the long way.
        elif require_seal:
            reason = "has no seal" if body is None else "has a seal that does not match its text"
            raise CaseFormatError(
                f"the document {reason}: it was not written by this host with this key, or it "
                "was changed afterwards",
                "$.seal",
            )
    elif require_seal:
        raise InvalidArgument("'require_seal' needs the 'key' to check the seal with", "key")
    doc = _decode(text, max_depth)
    if not isinstance(doc, dict):
        raise CaseFormatError("a case document must be a JSON object")
    # Validated in full below: the seal itself is not needed.
    if "seal" in doc and not isinstance(doc.pop("seal"), str):
        raise CaseFormatError("'seal' must be a string", "$.seal")
    extra = doc.keys() - _HEADER_KEYS
    if extra:
        raise CaseFormatError(f"unknown key {shown(sorted(extra)[0])}", "$")
    if doc.get("format") != FORMAT:
        raise CaseFormatError(
            f"not an innoproc case (format {shown(doc.get('format'))})", "$.format"
        )
    version = _get(doc, "version", int, "$")
    if version > FORMAT_VERSION or version < 1:
        raise CaseFormatError(
            f"unsupported format version {shown(version)} (this innoproc reads versions 1 to "
            f"{FORMAT_VERSION}; a newer innoproc may read it)",
            "$.version",
        )
    while version < FORMAT_VERSION:
        doc = _MIGRATIONS[version](doc)
        version += 1
    return doc, None


def read_document(
    text: str | bytes,
    *,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
    max_size: int = MAX_SIZE,
    max_depth: int = MAX_DEPTH,
    strict: bool = True,
    key: bytes | str | None = None,
    require_seal: bool = False,
) -> tuple[Case, tuple[LoadProblem, ...]]:
    """Parse and replay a document; with ``strict=False`` collect order problems instead."""
    for name, bound in (("max_size", max_size), ("max_depth", max_depth)):
        if type(bound) is not int or bound < 1:
            raise InvalidArgument(
                f"{name!r} must be a whole number of at least 1, got {shown(bound)}", name
            )
    secret = None if key is None else _key(key)
    doc, sealed = _parse(text, max_size, max_depth, secret, require_seal)
    resolve = _resolver(procedures)
    if sealed is not None:
        try:
            return _read_trusted(doc, resolve, sealed), ()
        except CaseFormatError:
            raise
        except Exception:
            # Sealed by this host, yet not what this innoproc reads (a procedure declaration
            # changed under the same version, say): read it the long way, which says why.
            doc, _ = _parse(sealed, max_size, max_depth, None, False)
    problems: list[LoadProblem] = []

    def problem(path: str, seq: int | None, code: str, message: str) -> None:
        if strict:
            raise CaseFormatError(message, path)
        problems.append(LoadProblem(path, seq, code, message))

    details = _get(doc, "details", dict, "$")
    try:
        details = _limits.json_data(details, "$.details", 2, max_depth) if details else details
    except InnoprocError as exc:
        raise CaseFormatError(str(exc), str(getattr(exc, "field", "$.details"))) from None
    procedure_id = _text(_get(doc, "procedure", str, "$"), "$.procedure")
    opened = _get(doc, "procedure_version", int, "$")
    procedure = resolve(procedure_id, opened)
    if procedure is None:
        raise CaseFormatError(
            f"unknown procedure {shown(procedure_id)} version {opened} (give your own "
            "procedures with 'procedures=')",
            "$.procedure",
        )
    try:
        case = Case._read(
            procedure,
            _get(doc, "reference", str, "$"),
            _get(doc, "authority", str, "$"),
            details,
        )
    except InnoprocError as exc:
        where = str(getattr(exc, "field", ""))
        raise CaseFormatError(
            str(exc), where if where.startswith("$") else f"$.{where}" if where else "$"
        ) from None
    history = _get(doc, "history", list, "$")
    last: datetime | None = None
    actors: dict[str, str] = {}
    for i, raw in enumerate(history):
        path = f"$.history[{i}]"
        if type(raw) is not dict:
            raise CaseFormatError("a history entry must be an object", path)
        kind = raw.get("kind")
        keys = _KEYS.get(kind) if isinstance(kind, str) else None
        if keys is None or (raw.keys() != keys and raw.keys() - {"entered"} != keys):
            _entry_keys(raw, keys or _FACT_KEYS, path)
        seq = raw["seq"]
        if type(seq) is not int or seq != i + 1:
            raise CaseFormatError(f"expected seq {i + 1}, got {shown(seq)}", f"{path}.seq")
        by = _text(raw["by"], f"{path}.by")
        if not by.strip():
            raise CaseFormatError("'by' must name the actor", f"{path}.by")
        by = actors.setdefault(by, by)  # one string per actor, not one per entry
        at = _instant(raw["at"], f"{path}.at")
        entered = at if "entered" not in raw else _instant(raw["entered"], f"{path}.entered")
        if at > entered:
            problem(
                f"{path}.entered",
                seq,
                "out-of-time-order",
                "entry takes effect after the moment it was entered",
            )
        if last is not None and entered < last:
            problem(
                f"{path}.at" if "entered" not in raw else f"{path}.entered",
                seq,
                "out-of-time-order",
                "entry is earlier than the one before it (entries are kept in the order "
                "they were entered)",
            )
        last = entered
        shown_entered = None if entered is at else entered
        entry: HistoryEntry
        current = case._procedure
        if kind == "upgrade":
            source, target = raw["from"], raw["to"]
            for name, value in (("from", source), ("to", target)):
                if type(value) is not int:
                    raise CaseFormatError(f"'{name}' must be a version number", f"{path}.{name}")
            new = resolve(current.id, target)
            if new is None:
                raise CaseFormatError(
                    f"unknown version {shown(target)} of {current.id!r}", f"{path}.to"
                )
            if source != current.version:
                problem(
                    f"{path}.from",
                    seq,
                    "upgrade-out-of-order",
                    f"upgrade starts from version {source} but the case is at version "
                    f"{current.version}",
                )
            report = assess_upgrade(current, new, case._state, case._facts)
            if not report.ok:
                problem(f"{path}.to", seq, "upgrade-refused", report.explain())
            entry = UpgradeRecord(seq, at, by, current.version, target, shown_entered)
            case._replay(entry, new)
            continue
        name = raw["name"]
        if type(name) is not str:
            raise CaseFormatError("'name' must be a string", f"{path}.name")
        if kind == "fact":
            fact = current._facts.get(name)
            if fact is None:
                raise CaseFormatError(f"unknown fact {shown(name)}", f"{path}.name")
            payload = _payload(fact.field_map, raw["payload"], i, "fact", name)
            entry = make_fact(seq, at, by, fact.name, payload, entered)
        else:
            event = current._events.get(name)
            if event is None:
                raise CaseFormatError(f"unknown event {shown(name)}", f"{path}.name")
            source, target = raw["from"], raw["to"]
            states = current._states
            for key_name, state in (("from", source), ("to", target)):
                if type(state) is not str or state not in states:
                    raise CaseFormatError(f"unknown state {shown(state)}", f"{path}.{key_name}")
            if source != case._state:
                problem(
                    f"{path}.from",
                    seq,
                    "step-out-of-order",
                    f"step starts from {source!r} but the case is in {case._state!r}",
                )
            declared = current.targets(source).get(name)
            if declared is None:
                problem(
                    f"{path}.name",
                    seq,
                    "step-out-of-order",
                    f"event {name!r} is not possible from state {source!r}",
                )
            elif target != declared:
                problem(
                    f"{path}.to",
                    seq,
                    "step-out-of-order",
                    f"event {name!r} leads to {declared!r}, not {target!r}",
                )
            payload = _payload(event.field_map, raw["payload"], i, "event", name)
            entry = make_step(
                seq,
                at,
                by,
                event.name,
                states[source].name,
                states[target].name,
                payload,
                entered,
            )
        case._replay(entry)
    stated = _get(doc, "state", str, "$")
    if stated != case._state:
        problem(
            "$.state",
            None,
            "state-mismatch",
            f"stated state {shown(stated)} does not follow from the history "
            f"(which ends in {case._state!r})",
        )
    revision = _get(doc, "revision", int, "$")
    if revision != case.revision:
        problem(
            "$.revision",
            None,
            "revision-mismatch",
            f"stated revision {shown(revision)} does not match the history "
            f"({case.revision} entries)",
        )
    case._problems = len(problems)
    return case, tuple(problems)


def _read_trusted(
    doc: dict[str, Any], resolve: Callable[[str, int], Procedure | None], body: str
) -> Case:
    """A sealed document the host wrote itself: decoded without re-validating its shape,
    order or header (the seal proves they are as ``dumps`` wrote them)."""
    procedure = resolve(doc["procedure"], doc["procedure_version"])
    if procedure is None:
        raise CaseFormatError(
            f"unknown procedure {shown(doc['procedure'])} version {doc['procedure_version']}",
            "$.procedure",
        )
    case = Case._trusted(procedure, doc["reference"], doc["authority"], doc["details"])
    history = doc["history"]
    current = procedure
    state = case._state
    kinds = _trusted_kinds(current)
    actors: dict[str, str] = {}
    pending: list[HistoryEntry] = []
    append = pending.append
    fromiso = _fromiso
    proxy = MappingProxyType
    for raw in history:
        at = fromiso(raw["at"])
        entered = fromiso(raw["entered"]) if "entered" in raw else at
        by = raw["by"]
        by = actors.setdefault(by, by)  # one string per actor, not one per entry
        table = kinds.get(raw["kind"])
        spec = table.get(raw["name"]) if table is not None else None
        if spec is not None:
            name, is_step, convert = spec
            payload = raw["payload"]
            if payload:
                for field, decode in convert:
                    value = payload.get(field)
                    if value is not None:
                        payload[field] = decode(value)
                payload = proxy(payload)
            else:
                payload = EMPTY
            if not is_step:
                append(make_fact(raw["seq"], at, by, name, payload, entered))
            else:
                states = current._states
                source = states[raw["from"]].name
                target = states[raw["to"]].name
                # Cheap, and it keeps a declaration changed since from being bypassed.
                if source != state or current.targets(source).get(name) != target:
                    raise ValueError("a step the procedure does not allow there")
                append(make_step(raw["seq"], at, by, name, source, target, payload, entered))
                state = target
            continue
        if raw["kind"] != "upgrade":
            raise KeyError(raw["kind"])  # an unknown fact or event: read the long way
        case._extend(pending)
        pending = []
        append = pending.append
        new = resolve(current.id, raw["to"])
        if new is None:
            raise CaseFormatError(
                f"unknown version {raw['to']} of {current.id!r}", f"$.history[{raw['seq'] - 1}]"
            )
        upgrade = UpgradeRecord(raw["seq"], at, by, raw["from"], raw["to"], entered)
        case._replay(upgrade, new)
        state = case._state
        current = new
        kinds = _trusted_kinds(current)
    case._extend(pending)
    if case._state != doc["state"] or len(history) != doc["revision"]:
        raise ValueError("the header does not follow from the history")
    # The document is kept, so that storing the case again need not write the entries it
    # holds again (dumps finds them after the header, written again, the first time).
    case._encoded = (len(history), body, doc["state"])
    return case


_fromiso = datetime.fromisoformat


_Converters = tuple[tuple[str, Callable[[Any], Any]], ...]
#: The facts and events of a procedure by kind of entry and name: the name as the declaration
#: spells it, whether it is an event, and the fields whose JSON is not their value, with their
#: decoders.
_Kinds = dict[str, dict[str, tuple[str, bool, _Converters]]]
#: Those of each procedure seen, by identity.
_KINDS: dict[int, tuple[Procedure, _Kinds]] = {}


def _trusted_kinds(procedure: Procedure) -> _Kinds:
    known = _KINDS.get(id(procedure))
    if known is not None and known[0] is procedure:
        return known[1]

    def converters(fields: Mapping[str, Field]) -> _Converters:
        return tuple((n, _TRUSTED[f.kind]) for n, f in fields.items() if f.kind in _TRUSTED)

    kinds: _Kinds = {
        "fact": {n: (f.name, False, converters(f.field_map)) for n, f in procedure._facts.items()},
        "step": {n: (e.name, True, converters(e.field_map)) for n, e in procedure._events.items()},
    }
    if len(_KINDS) < 1000:
        _KINDS[id(procedure)] = (procedure, kinds)
    return kinds


_TRUSTED: dict[str, Callable[[Any], Any]] = {
    "datetime": _fromiso,
    "date": date.fromisoformat,
    "amount": Decimal,
    "texts": tuple,
}


def loads(
    text: str | bytes,
    *,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
    max_size: int = MAX_SIZE,
    max_depth: int = MAX_DEPTH,
    for_audit: bool = False,
    key: bytes | str | None = None,
    require_seal: bool = False,
) -> Case:
    """Read a case written by ``dumps`` (any released format version).

    ``procedures`` adds your own procedure declarations to the built-in ones (and overrides
    one with the same id). The history is replayed: every step must leave the state it
    starts from and reach the state the procedure says, entries come in the order they were
    entered, and the stated state and revision must follow from the history. ``max_size``
    (characters) and ``max_depth`` (nesting) bound the input. Any problem raises
    ``CaseFormatError`` naming the JSON path; nothing in the input is ever executed.

    With ``key``, a document sealed by ``dumps(case, key=key)`` whose seal matches is read
    without re-validating what the seal vouches for; a document with no seal, or one that
    does not match, is validated in full, or refused when ``require_seal=True``.

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
        key=key,
        require_seal=require_seal,
    )
    return case
