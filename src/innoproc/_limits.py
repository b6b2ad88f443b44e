"""One set of limits, enforced on the way in and on loading.

Whatever ``open_case``, ``record`` and ``apply`` accept, ``dumps`` writes and ``loads`` reads
back under the same bounds. Values are also normalised to exact builtin types on the way in,
so that a subclass with a lying ``__eq__`` or a mutable ``tzinfo`` cannot change a stored case
afterwards.

=========================  ==============================================================
limit                      value
=========================  ==============================================================
document size              16 MiB of text (``MAX_SIZE``)
nesting                    32 levels of arrays and objects, the document itself being the
                           first (``MAX_DEPTH``): a case's ``details`` nest at most 31 deep
text                       1,000,000 characters per string, valid Unicode (no lone
                           surrogates: every text can be written as UTF-8)
integer                    a signed 64-bit integer (as in PostgreSQL's ``bigint``)
amount                     finite, at most 18 digits before the decimal point and 6 after
instant, date              years 1000 to 8999 (so that every time limit computed from them
                           stays a real date)
=========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from innoproc._errors import InvalidPayload, NaiveDatetimeError, shown

#: The largest document ``loads`` reads by default (characters).
MAX_SIZE = 16 * 1024 * 1024
#: The deepest nesting of arrays and objects in a document (the document is level 1).
MAX_DEPTH = 32
#: The longest text (characters) a case keeps in any one string.
MAX_TEXT = 1_000_000
#: The largest integer (in absolute value) a case keeps: a signed 64-bit integer.
MAX_INT = 2**63 - 1
#: Digits before and after the decimal point of an amount.
AMOUNT_DIGITS = 18
AMOUNT_PLACES = 6
#: The first and last year of an instant or date.
MIN_YEAR = 1000
MAX_YEAR = 8999

_AMOUNT_MAX = Decimal(10) ** AMOUNT_DIGITS


def _label(where: str) -> str:
    """``where`` as a message names it: a JSON path as it is, an argument or field quoted."""
    return where if where.startswith("$") or "." in where or "[" in where else repr(where)


def text(value: object, where: str) -> str:
    """``value`` as an exact ``str`` within the limits, or ``InvalidPayload`` naming ``where``."""
    if not isinstance(value, str):
        raise InvalidPayload(f"{_label(where)} must be text (str), got {shown(value)}", where)
    exact = "".join((value,))  # an exact str, whatever a subclass overrides
    if len(exact) > MAX_TEXT:
        raise InvalidPayload(
            f"{_label(where)} is longer than {MAX_TEXT:,} characters ({len(exact):,})", where
        )
    if not exact.isascii():
        try:
            exact.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidPayload(
                f"{_label(where)} is not valid Unicode text (it holds a lone surrogate): "
                f"{shown(value)}",
                where,
            ) from None
    return exact


def integer(value: object, where: str) -> int:
    """``value`` as an exact ``int`` within a signed 64-bit range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPayload(f"{_label(where)} must be an integer, got {shown(value)}", where)
    exact = int.__pos__(value)  # an exact int, whatever a subclass overrides
    if not -MAX_INT - 1 <= exact <= MAX_INT:
        raise InvalidPayload(f"{_label(where)} must fit in 64 bits, got {shown(value)}", where)
    return exact


def amount(value: object, where: str) -> Decimal:
    """``value`` (an int or Decimal) as an exact, finite ``Decimal`` within the limits."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise InvalidPayload(
            f"{_label(where)} must be an amount (int or decimal.Decimal), got {shown(value)}", where
        )
    # An exact Decimal, whatever a subclass overrides.
    exact = Decimal(integer(value, where)) if isinstance(value, int) else Decimal(value)
    if not exact.is_finite():
        raise InvalidPayload(f"{_label(where)} must be a finite amount, got {shown(value)}", where)
    exponent = exact.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if abs(exact) >= _AMOUNT_MAX or exponent < -AMOUNT_PLACES:
        raise InvalidPayload(
            f"{_label(where)} must have at most {AMOUNT_DIGITS} digits before the decimal point "
            f"and {AMOUNT_PLACES} after, got {shown(value)}",
            where,
        )
    if exponent > 0:
        # Decimal("1E+17") is the amount 100000000000000000: kept with exponent 0, so that it
        # is written and read back as digits (a stored amount never has an exponent).
        exact = exact.quantize(Decimal(1))
    return exact


def day(value: object, where: str) -> date:
    """``value`` as an exact ``date`` within the years allowed (a datetime is refused)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidPayload(
            f"{_label(where)} must be a date (datetime.date), got {shown(value)}", where
        )
    year = date.year.__get__(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidPayload(
            f"{_label(where)} must be a date between the years {MIN_YEAR} and {MAX_YEAR}, "
            f"got {shown(value)}",
            where,
        )
    return date(year, date.month.__get__(value), date.day.__get__(value))


def instant(value: object, where: str) -> datetime:
    """``value`` as an exact, aware ``datetime`` with a fixed UTC offset.

    The offset is the one ``value`` has at that moment, so the wall-clock time is kept,
    while a caller's time zone object (which might change later, or compare two instants by
    wall clock across a daylight-saving change) is not. Such an instant is exactly what
    ``loads`` gives back for a stored one.
    """
    if type(value) is datetime:
        # The common case, an exact datetime: only its zone may need replacing.
        tz = value.tzinfo
        if (
            type(tz) is timezone
            and MIN_YEAR <= value.year <= MAX_YEAR
            and _OFFSETS.get(tz.utcoffset(None)) is tz
        ):
            # Exact, immutable and with a fixed offset already: kept as it is when its zone is
            # the one shared by every instant with that offset (as loaded instants' are).
            return value
        if tz is not None:
            offset = tz.utcoffset(value)
            if (
                type(offset) is timedelta
                and -_DAY < offset < _DAY
                and MIN_YEAR <= value.year <= MAX_YEAR
            ):
                # The same wall-clock time in a fixed zone with the offset it has now.
                zone = _OFFSETS.get(offset)
                return value.astimezone(_fixed(offset) if zone is None else zone)
    elif not isinstance(value, datetime):
        raise InvalidPayload(
            f"{_label(where)} must be an aware datetime, got {shown(value)}", where
        )
    tz = value.tzinfo
    offset = None if tz is None else tz.utcoffset(value)
    if offset is None:
        raise NaiveDatetimeError(where, value)
    if not isinstance(offset, timedelta) or abs(offset) >= timedelta(days=1):
        raise InvalidPayload(f"{_label(where)} has an impossible UTC offset {shown(offset)}", where)
    year = date.year.__get__(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidPayload(
            f"{_label(where)} must be between the years {MIN_YEAR} and {MAX_YEAR}, "
            f"got {shown(value)}",
            where,
        )
    return datetime(
        year,
        date.month.__get__(value),
        date.day.__get__(value),
        datetime.hour.__get__(value),
        datetime.minute.__get__(value),
        datetime.second.__get__(value),
        datetime.microsecond.__get__(value),
        tzinfo=_fixed(offset),
    )


_OFFSETS: dict[timedelta, timezone] = {}
_DAY = timedelta(days=1)


def _fixed(offset: timedelta) -> timezone:
    """One shared fixed-offset zone per offset (instants of a case share few offsets)."""
    zone = _OFFSETS.get(offset)
    if zone is None:
        zone = timezone.utc if not offset else timezone(offset)
        if len(_OFFSETS) < 1000:
            _OFFSETS[offset] = zone
    return zone


_fixed(timedelta(0))  # UTC, the zone of every instant given in UTC


def json_data(value: object, where: str, depth: int, limit: int = MAX_DEPTH) -> Any:
    """Free JSON data (a case's details) checked against the limits and made read-only all
    the way down (objects become read-only mappings, arrays tuples, every value an exact
    builtin); ``depth`` is the nesting level ``value`` sits at in the document, ``limit`` the
    deepest level allowed.

    One pass, iterative (hostile nesting gives ``InvalidPayload``, never ``RecursionError``),
    linear in the size of the data; paths for messages are built only on error.
    """
    results: list[Any] = []
    append = results.append
    # Work items: (value, depth, path link) to visit, or (_EXIT, keys or None, count) to
    # assemble a container from the last results. A path link is (parent link, key).
    work: list[tuple[Any, Any, Any]] = [(value, depth, None)]
    pop = work.pop
    push = work.append
    while work:
        item, level, link = pop()
        kind = type(item)
        if kind is str:
            append(
                item if len(item) <= MAX_TEXT and item.isascii() else text(item, _path(where, link))
            )
        elif item is _EXIT:
            n = link
            values = results[-n:]
            del results[-n:]
            append(
                tuple(values)
                if level is None
                else MappingProxyType(dict(zip(level, values, strict=True)))
            )
        elif kind is dict or kind is list or kind is tuple:
            if not item:
                append(_EMPTY if kind is dict else ())
                continue
            if level >= limit:
                raise _too_deep(where, link, limit)
            inner = level + 1
            if kind is dict:
                keys = list(item)
                for k in keys:
                    if type(k) is not str or not (len(k) <= MAX_TEXT and k.isascii()):
                        _key(k, where, link)
                push((_EXIT, keys, len(keys)))
                for k in reversed(keys):
                    push((item[k], inner, (link, k)))
            else:
                push((_EXIT, None, len(item)))
                for i in range(len(item) - 1, -1, -1):
                    push((item[i], inner, (link, i)))
        elif item is None or item is True or item is False:
            append(item)
        elif kind is int:
            if not -MAX_INT - 1 <= item <= MAX_INT:
                integer(item, _path(where, link))
            append(item)
        elif kind is float:
            if item != item or item in (_INF, -_INF):
                raise InvalidPayload(
                    f"{_path(where, link)} must be a finite number, got {shown(item)}",
                    _path(where, link),
                )
            append(item)
        elif isinstance(item, str):
            append(text(item, _path(where, link)))
        elif isinstance(item, int):
            append(integer(item, _path(where, link)))
        elif isinstance(item, float):
            push((float.__pos__(item), level, link))
        elif isinstance(item, (list, tuple)):
            push((list(item), level, link))
        elif isinstance(item, Mapping):
            push((dict(item.items()), level, link))
        else:
            raise InvalidPayload(
                f"{_path(where, link)} must be JSON data (str, int, float, bool, None, list, "
                f"dict), got {shown(item)}",
                _path(where, link),
            )
    return results[0]


def _too_deep(where: str, link: Any, limit: int) -> InvalidPayload:
    # ``level`` counts the document as 1: an object at level ``limit`` may hold only values.
    path = _path(where, link)
    return InvalidPayload(
        f"{path}: nesting deeper than {limit} levels (the deepest a case document allows)", path
    )


def _key(key: object, where: str, link: Any) -> None:
    if not isinstance(key, str):
        path = _path(where, link)
        raise InvalidPayload(f"{path} keys must be str, got {shown(key)}", path)
    text(key, _path(where, link))


_EXIT = object()
_INF = float("inf")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _path(where: str, link: Any) -> str:
    parts: list[Any] = []
    while link is not None:
        link, key = link
        parts.append(key)
    out = where
    for part in reversed(parts):
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def thaw(value: Any) -> Any:
    """Read-only JSON data back to plain JSON data (lists and dicts)."""
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    return value
