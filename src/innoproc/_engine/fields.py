"""Typed fields of event and fact payloads, with their JSON encoding.

A payload is a flat mapping of declared fields. Each field has a *kind*; values are
checked when a step is checked or applied and kept as immutable Python values:

========== ======================= ===============================
kind       Python value            JSON
========== ======================= ===============================
text       ``str``                 string
integer    ``int`` (not ``bool``)  number
boolean    ``bool``                ``true`` / ``false``
amount     ``decimal.Decimal``     string (``"1250000.00"``)
date       ``datetime.date``       ``"2024-03-01"``
datetime   aware ``datetime``      ``"2024-03-01T12:00:00+01:00"``
texts      ``tuple[str, ...]``     array of strings
========== ======================= ===============================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Literal

import attrs

from innoproc import _limits
from innoproc._errors import InvalidPayload, shown

Kind = Literal["text", "integer", "boolean", "amount", "date", "datetime", "texts"]
KINDS: tuple[str, ...] = ("text", "integer", "boolean", "amount", "date", "datetime", "texts")

#: A payload as kept in history entries: a read-only mapping from field name to value.
Payload = Mapping[str, Any]

EMPTY: Payload = MappingProxyType({})


def _check_text(name: str, value: object) -> str:
    return _limits.text(value, name)


def _check_integer(name: str, value: object) -> int:
    return _limits.integer(value, name)


def _check_boolean(name: str, value: object) -> bool:
    if value is not True and value is not False:
        raise InvalidPayload(f"field {name!r} must be True or False, got {shown(value)}", name)
    return value


def _check_amount(name: str, value: object) -> Decimal:
    return _limits.amount(value, name)


def _check_date(name: str, value: object) -> date:
    return _limits.day(value, name)


def _check_datetime(name: str, value: object) -> datetime:
    return _limits.instant(value, name)


def _check_texts(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidPayload(
            f"field {name!r} must be a list or tuple of texts, got {shown(value)}", name
        )
    items = list(value)
    if len(items) > _limits.MAX_TEXT:
        raise InvalidPayload(f"field {name!r} holds too many texts ({len(items):,})", name)
    return tuple(_limits.text(item, f"{name}[{i}]") for i, item in enumerate(items))


_CHECKS: dict[str, Callable[[str, object], Any]] = {
    "text": _check_text,
    "integer": _check_integer,
    "boolean": _check_boolean,
    "amount": _check_amount,
    "date": _check_date,
    "datetime": _check_datetime,
    "texts": _check_texts,
}

# The one textual form of each kind in a stored document (the JSON Schema says the same).
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTANT = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)"
    r"(Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
)
_AMOUNT = re.compile(rf"-?\d{{1,{_limits.AMOUNT_DIGITS}}}(?:\.\d{{1,{_limits.AMOUNT_PLACES}}})?")


_FRACTION = re.compile(r"\.(\d{1,6})$")


def _six_digits(m: re.Match[str]) -> str:
    return "." + m.group(1).ljust(6, "0")


def parse_instant(raw: str) -> datetime:
    """An instant as stored (``2024-03-01T12:00:00+01:00``, or ``Z``); ValueError otherwise.

    Only the extended ISO 8601 form with seconds and an offset is read, on every supported
    Python, as the case format's JSON Schema says (3.11's ``fromisoformat`` alone would also
    take ``20240108T090000+0100``).
    """
    m = INSTANT.fullmatch(raw)
    if m is None:
        problem = "without a time zone" if _LOCAL.fullmatch(raw) else "in another form"
        raise ValueError(
            f"not an ISO 8601 instant with seconds and a UTC offset ({problem}): {shown(raw)}"
        )
    body, zone = m.groups()
    # Python 3.10's fromisoformat reads a fraction of 3 or 6 digits only: pad it to 6.
    body = _FRACTION.sub(_six_digits, body)
    zone = "+00:00" if zone == "Z" else _FRACTION.sub(_six_digits, zone)
    try:
        value = datetime.fromisoformat(body + zone)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 instant: {shown(raw)} ({exc})") from None
    return _limits.instant(value, "instant")


_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def _valid_kind(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _CHECKS:
        msg = f"field kind must be one of {', '.join(KINDS)}, got {value!r}"
        raise TypeError(msg)


def _choices(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else ()


@attrs.frozen
class Field:
    """A named, typed entry of an event's or a fact's payload.

    ``choices`` limits a text field to the values listed (an enumeration a form can offer).
    ``title`` is the field's short label in English (translated through the catalogues; the
    name, made readable, when empty) and ``doc`` its help text.

    ```pycon
    >>> from datetime import date
    >>> Field("notice_sent", "date").validate(date(2024, 3, 1))
    datetime.date(2024, 3, 1)
    >>> Field("partners", "text", choices=("one", "several")).validate("many")
    Traceback (most recent call last):
    ...
    innoproc._errors.InvalidPayload: field 'partners' must be one of: one, several; got 'many'

    ```
    """

    name: str
    kind: str = attrs.field(validator=_valid_kind)
    required: bool = True
    doc: str = ""
    choices: tuple[str, ...] = attrs.field(default=(), converter=_choices)
    title: str = ""

    @property
    def label(self) -> str:
        """The field's short label in English: ``title``, or the name made readable."""
        return self.title or self.name.replace("_", " ").capitalize()

    def __attrs_post_init__(self) -> None:
        if self.choices and self.kind not in ("text", "texts"):
            raise TypeError(f"field {self.name!r}: only text fields can have choices")

    def validate(self, value: object) -> Any:
        """Return ``value`` normalised to this field's kind, or raise ``InvalidPayload``."""
        clean = _CHECKS[self.kind](self.name, value)
        if self.choices:
            for item in clean if self.kind == "texts" else (clean,):
                if item not in self.choices:
                    raise InvalidPayload(
                        f"field {self.name!r} must be one of: {', '.join(self.choices)}; "
                        f"got {shown(item)}",
                        self.name,
                    )
        return clean

    def encode(self, value: Any) -> Any:
        """The JSON value for a validated ``value``."""
        kind = self.kind
        if kind == "amount":
            return str(value)
        if kind in ("date", "datetime"):
            return value.isoformat()
        if kind == "texts":
            return list(value)
        return value

    def decode(self, raw: object) -> Any:
        """The Python value for a JSON value; raises ``InvalidPayload``."""
        kind = self.kind
        if kind in ("amount", "date", "datetime"):
            if type(raw) is not str:
                raise InvalidPayload(
                    f"field {self.name!r} must be a string ({kind}), got {shown(raw)}", self.name
                )
            try:
                if kind == "amount":
                    if _AMOUNT.fullmatch(raw) is None:
                        raise ValueError("not a decimal number")
                    value: Any = Decimal(raw)
                elif kind == "date":
                    if _DATE.fullmatch(raw) is None:
                        raise ValueError("not a date (YYYY-MM-DD)")
                    value = date.fromisoformat(raw)  # ValueError for 2024-02-30
                else:
                    value = parse_instant(raw)
            except (ValueError, InvalidOperation) as exc:
                raise InvalidPayload(
                    f"field {self.name!r} is not a valid {kind}: {shown(raw)} ({exc})", self.name
                ) from None
            return self.validate(value)
        return self.validate(raw)


def validate_payload(
    fields: Mapping[str, Field], payload: Mapping[str, object], kind: str, name: str
) -> tuple[Payload, tuple[str, ...]]:
    """Check ``payload`` against ``fields`` (those of the ``kind`` "event" or "fact" called
    ``name``, as messages say).

    Returns the normalised, read-only payload and the names of required fields that are
    missing. Unknown keys and wrong types raise ``InvalidPayload`` (bad input); missing
    fields are reported, not raised, so that ``check`` can explain what is still needed.
    """
    if not payload:
        missing = tuple(name for name, spec in fields.items() if spec.required)
        return EMPTY, missing
    clean: dict[str, Any] = {}
    for key, value in payload.items():
        spec = fields.get(key)
        if spec is None:
            known = ", ".join(fields) or "none"
            raise InvalidPayload(
                f"{kind} {name!r} takes no field {shown(key)}; its fields are: {known}", key
            )
        if value is None and not spec.required:
            continue
        clean[key] = _CHECKS[spec.kind](key, value) if not spec.choices else spec.validate(value)
    if len(clean) == len(fields):
        return MappingProxyType(clean), ()
    missing = tuple(name for name, spec in fields.items() if spec.required and name not in clean)
    return (MappingProxyType(clean) if clean else EMPTY), missing
