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

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Literal

import attrs

from innoproc._errors import InvalidPayload, NaiveDatetimeError

Kind = Literal["text", "integer", "boolean", "amount", "date", "datetime", "texts"]
KINDS: tuple[str, ...] = ("text", "integer", "boolean", "amount", "date", "datetime", "texts")

#: A payload as kept in history entries: a read-only mapping from field name to value.
Payload = Mapping[str, Any]

EMPTY: Payload = MappingProxyType({})


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidPayload(f"field {name!r} must be text (str), got {value!r}", name)
    return value


def _check_integer(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPayload(f"field {name!r} must be an integer, got {value!r}", name)
    return value


def _check_boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidPayload(f"field {name!r} must be True or False, got {value!r}", name)
    return value


def _check_amount(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise InvalidPayload(
            f"field {name!r} must be an amount (int or decimal.Decimal), got {value!r}", name
        )
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidPayload(f"field {name!r} must be a finite amount, got {value!r}", name)
    return amount


def _check_date(name: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidPayload(f"field {name!r} must be a date (datetime.date), got {value!r}", name)
    return value


def _check_datetime(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidPayload(f"field {name!r} must be an aware datetime, got {value!r}", name)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(name, value)
    return value


def _check_texts(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidPayload(
            f"field {name!r} must be a list or tuple of texts, got {value!r}", name
        )
    for item in value:
        if not isinstance(item, str):
            raise InvalidPayload(
                f"field {name!r} must contain only texts (str), got {item!r}", name
            )
    return tuple(value)


_CHECKS: dict[str, Callable[[str, object], Any]] = {
    "text": _check_text,
    "integer": _check_integer,
    "boolean": _check_boolean,
    "amount": _check_amount,
    "date": _check_date,
    "datetime": _check_datetime,
    "texts": _check_texts,
}


def _valid_kind(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _CHECKS:
        msg = f"field kind must be one of {', '.join(KINDS)}, got {value!r}"
        raise TypeError(msg)


@attrs.frozen
class Field:
    """A named, typed entry of an event's or a fact's payload.

    ```pycon
    >>> from datetime import date
    >>> Field("notice_sent", "date").validate(date(2024, 3, 1))
    datetime.date(2024, 3, 1)

    ```
    """

    name: str
    kind: str = attrs.field(validator=_valid_kind)
    required: bool = True
    doc: str = ""

    def validate(self, value: object) -> Any:
        """Return ``value`` normalised to this field's kind, or raise ``InvalidPayload``."""
        return _CHECKS[self.kind](self.name, value)

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
        """The Python value for a JSON value; raises ``InvalidPayload`` or ValueError."""
        kind = self.kind
        if kind == "amount":
            if not isinstance(raw, str):
                raise InvalidPayload(f"field {self.name!r} must be a decimal string", self.name)
            try:
                return self.validate(Decimal(raw))
            except InvalidOperation:
                raise InvalidPayload(
                    f"field {self.name!r} is not a decimal number: {raw!r}", self.name
                ) from None
        if kind == "date":
            if not isinstance(raw, str):
                raise InvalidPayload(f"field {self.name!r} must be an ISO date", self.name)
            return date.fromisoformat(raw)
        if kind == "datetime":
            if not isinstance(raw, str):
                raise InvalidPayload(f"field {self.name!r} must be an ISO datetime", self.name)
            return self.validate(datetime.fromisoformat(raw))
        return self.validate(raw)


def validate_payload(
    fields: Mapping[str, Field], payload: Mapping[str, object], owner: str
) -> tuple[Payload, tuple[str, ...]]:
    """Check ``payload`` against ``fields``.

    Returns the normalised, read-only payload and the names of required fields that are
    missing. Unknown keys and wrong types raise ``InvalidPayload`` (bad input); missing
    fields are reported, not raised, so that ``check`` can explain what is still needed.
    """
    clean: dict[str, Any] = {}
    for key, value in payload.items():
        spec = fields.get(key)
        if spec is None:
            known = ", ".join(fields) or "none"
            raise InvalidPayload(f"{owner} takes no field {key!r}; its fields are: {known}", key)
        if value is None and not spec.required:
            continue
        clean[key] = spec.validate(value)
    missing = tuple(name for name, spec in fields.items() if spec.required and name not in clean)
    return (MappingProxyType(clean) if clean else EMPTY), missing
