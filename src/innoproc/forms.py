"""Forms from the procedure: a JSON Schema per event and per fact, and form values parsed.

A host builds its forms from the procedure instead of repeating each step's fields by hand.
``event_schema`` and ``fact_schema`` give a JSON Schema (draft 2020-12) with the types,
required fields, choices, titles and help texts in the chosen language; ``parse`` reads the
strings an HTML form posts ("31 500 000,50", "11.03.2024 kl. 09.00", "ja") into the payload
``case.apply`` and ``case.record`` take, or refuses them with a ``FormError`` that names each
field by its label, in the form's language, and says what was expected; ``form_values`` is
the way back, a payload as the strings that pre-fill a form.

```pycon
>>> import innoproc
>>> from innoproc import forms
>>> schema = forms.event_schema("innovation-partnership", "publish-notice", lang="nb")
>>> schema["title"], schema["required"]
('Kunngjør konkurransen', ['notice_sent', 'request_deadline', 'partners'])
>>> schema["properties"]["partners"]["enum"]
['one', 'several']
>>> payload = forms.parse("innovation-partnership", "publish-notice", {
...     "notice_sent": "11.03.2024 kl. 09.00", "request_deadline": "2024-04-15T12:00",
...     "partners": "one", "max_candidates": "5"}, lang="nb")
>>> payload["notice_sent"].isoformat(), payload["max_candidates"], sorted(payload)
('2024-03-11T09:00:00+01:00', 5, ['max_candidates', 'notice_sent', 'partners', 'request_deadline'])
>>> try:
...     forms.parse("innovation-partnership", "award", {"maximum_cost": "1.250"}, lang="nb")
... except innoproc.FormError as refused:
...     print(refused.field, "-", refused.message("en"))
maximum_cost - Maximum cost: «1.250» can be read two ways (1 250 or 1,25); write the number
without the point: 1 250 or 1,25

```

How each kind is read (``lang`` decides the decimal sign where it matters):

========== =========================================================================
kind       accepted
========== =========================================================================
text       any text, stripped; an empty text is left out
integer    ``1234``, ``1 234``, ``-12`` (and ``1,234`` in English); no decimals
boolean    ``ja``/``nei``, ``yes``/``no``, ``true``/``false``, ``on``/``off``,
           ``1``/``0``, ``sann``/``usann``. A *required* boolean that is not posted is
           ``False`` (an unticked checkbox posts nothing); an optional one is left out
amount     ``31 500 000,50``, ``31500000.50``, ``31 500 000 kr``, ``kr 1 250 000,-``,
           ``NOK 1,250,000``, ``1.250.000,50``. One separator followed by exactly three
           digits (``1.250``, ``1,250``) is read as the language writes numbers
           (``1,250`` is 1250 in English and 1.25 in Norwegian); where the language
           cannot tell (``1.250`` in Norwegian) it is refused as ambiguous
date       ``2024-03-11``, ``11.03.2024``, ``11. mars 2024``, ``11 March 2024``
datetime   ``2024-03-11T09:00+01:00``, ``2024-03-11T09:00`` and
           ``11.03.2024 kl. 09.00`` (Norwegian time, Europe/Oslo); a date without a
           time of day is refused, and so is a time the clocks skip in spring
texts      a list of values, or one text with one value per line; empty lines dropped
========== =========================================================================

A required field left empty is left out of the result: ``case.check`` then lists it in
``missing``, next to every unmet rule, so that a form can show both at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from innoproc import _i18n, _limits
from innoproc._engine.case import Case
from innoproc._engine.declare import Event, FactType, Procedure
from innoproc._engine.fields import INSTANT, Field
from innoproc._errors import (
    FormError,
    InnoprocError,
    InvalidArgument,
    UnknownEvent,
    UnknownFact,
    UnknownProcedure,
    _named,
    shown,
)
from innoproc._i18n import Plain, Series
from innoproc._text import Text
from innoproc._time import OSLO

__all__ = ["DIALECT", "FormError", "event_schema", "fact_schema", "form_values", "parse"]

#: The JSON Schema dialect of every schema this module gives.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# -- texts --------------------------------------------------------------------------------------
#
# User-facing texts of this module are English templates with {named} placeholders, translated
# by innoproc's catalogues like every other text.


def _quoted(value: str) -> str:
    """A posted value as a message quotes it: «…», cut to a readable length."""
    text = value if len(value) <= 60 else value[:59] + "…"
    return f"«{text}»"


_UNKNOWN = Text("The form has a field {name} that “{owner}” does not take; its fields are: {known}")
_ONE_VALUE = Text("{label}: one value was expected, {count} were given")
_TOO_LONG = Text("{label} is longer than {limit} characters")
_CHOICE = Text("{label} must be one of: {choices}; got {value}")
_INTEGER = Text("{label} must be a whole number, such as 12 or 1 234; got {value}")
_RANGE = Text("{label} must be between {low} and {high}; got {value}")
_BOOLEAN = Text("{label} must be yes or no; got {value}")
_AMOUNT = Text(
    "{label} must be an amount in kroner, such as 31 500 000,50 or 31500000.50; got {value}"
)
_AMBIGUOUS = Text(
    "{label}: {value} can be read two ways ({one} or {other}); write the number without "
    "the point: {one} or {other}"
)
_DIGITS = Text(
    "{label} can have at most {digits} digits before the decimal point and {places} "
    "after; got {value}"
)
_DATE = Text("{label} must be a date, such as 2024-03-11, 11.03.2024 or 11 March 2024; got {value}")
_DATE_ONLY = Text("{label} must be a date without a time of day; got {value}")
_DATETIME = Text(
    "{label} must be a date and a time of day, such as 2024-03-11T09:00 or 11.03.2024 kl."
    " 09.00 (Norwegian time); got {value}"
)
_NEEDS_TIME = Text(
    "{label} needs a time of day as well as the date, such as 11.03.2024 kl. 09.00; got {value}"
)
_NO_SUCH_TIME = Text(
    "{label}: {value} does not exist in Norwegian time (the clocks skip that hour when "
    "summer time starts)"
)
_YEARS = Text("{label} must be between the years {low} and {high}; got {value}")
_YES = Text("yes")
_NO = Text("no")


# -- what the form is for ------------------------------------------------------------------------


def _procedure(subject: object) -> Procedure:
    if isinstance(subject, Case):
        return subject.procedure
    if isinstance(subject, Procedure):
        return subject
    if isinstance(subject, str):
        from innoproc._procedures import find_version, procedures

        found = find_version(subject)
        if found is None:
            raise UnknownProcedure(subject, tuple(procedures()))
        return found
    raise InvalidArgument(
        f"'procedure_or_case' must be a Case, a Procedure or a procedure id, got {shown(subject)}",
        "procedure_or_case",
    )


def _spec(procedure: Procedure, name: object, kind: object) -> Event | FactType:
    if kind == "event":
        event = procedure.events.get(name) if isinstance(name, str) else None
        if event is None:
            raise UnknownEvent(_named(name), procedure.id, tuple(procedure.events))
        return event
    if kind == "fact":
        fact = procedure.facts.get(name) if isinstance(name, str) else None
        if fact is None:
            raise UnknownFact(_named(name), procedure.id, tuple(procedure.facts))
        return fact
    raise InvalidArgument(f"'kind' must be 'event' or 'fact', got {shown(kind)}", "kind")


def _lang(lang: object) -> str:
    return _i18n.resolve(lang)  # type: ignore[arg-type]


# -- schemas --------------------------------------------------------------------------------------

_AMOUNT_PATTERN = rf"^-?[0-9]{{1,{_limits.AMOUNT_DIGITS}}}(\.[0-9]{{1,{_limits.AMOUNT_PLACES}}})?$"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INSTANT_PATTERN = "^" + INSTANT.pattern.replace(r"\d", "[0-9]") + "$"


def _property(field: Field, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"title": _i18n.translate(field.label, lang)}
    if field.doc:
        out["description"] = _i18n.translate(field.doc, lang)
    kind = field.kind
    text: dict[str, Any] = {"type": "string", "maxLength": _limits.MAX_TEXT}
    if field.choices:
        text["enum"] = list(field.choices)
    if kind == "text":
        out.update(text)
    elif kind == "integer":
        out.update(type="integer", minimum=-_limits.MAX_INT - 1, maximum=_limits.MAX_INT)
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "amount":
        out.update(type="string", pattern=_AMOUNT_PATTERN)
    elif kind == "date":
        out.update(type="string", format="date", pattern=_DATE_PATTERN)
    elif kind == "datetime":
        out.update(type="string", format="date-time", pattern=_INSTANT_PATTERN)
    else:  # texts
        out.update(type="array", items=text)
    out["x-kind"] = kind
    return out


def _schema(procedure: Procedure, spec: Event | FactType, kind: str, lang: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:innoproc:{procedure.id}:{procedure.version}:{kind}:{spec.name}",
        "title": spec.title.get(lang),
    }
    if spec.doc:
        schema["description"] = _i18n.translate(spec.doc, lang)
    schema.update(
        {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in spec.fields if f.required],
            "properties": {f.name: _property(f, lang) for f in spec.fields},
            "x-procedure": procedure.id,
            "x-version": procedure.version,
            f"x-{kind}": spec.name,
        }
    )
    return schema


def event_schema(
    procedure_or_case: Case | Procedure | str, event: str, *, lang: str | None = None
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``event``'s payload, titled in ``lang``.

    The schema describes the payload as JSON (as ``innoproc.dumps`` writes it): ``title`` is
    the event's title, ``required`` its required fields and ``properties`` one entry per
    field, in declaration order, with the field's label as ``title``, its help text as
    ``description``, and its kind as ``x-kind`` (``"text"``, ``"integer"``, ``"boolean"``,
    ``"amount"``, ``"date"``, ``"datetime"``, ``"texts"``): text is a string (with ``enum``
    where the field has choices), an integer a 64-bit integer, an amount a decimal string, a
    date and a datetime strings of ``format`` ``date`` and ``date-time``, texts an array of
    strings. ``lang`` is ``"en"``, ``"nb"`` or ``"nn"`` (the process default when ``None``).
    For a case, the schema is of the procedure version the case follows.
    """
    language = _lang(lang)
    procedure = _procedure(procedure_or_case)
    return _schema(procedure, _spec(procedure, event, "event"), "event", language)


def fact_schema(
    procedure_or_case: Case | Procedure | str, fact: str, *, lang: str | None = None
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``fact``'s payload, titled in ``lang``; as
    ``event_schema``."""
    language = _lang(lang)
    procedure = _procedure(procedure_or_case)
    return _schema(procedure, _spec(procedure, fact, "fact"), "fact", language)


# -- parsing --------------------------------------------------------------------------------------


class _Refused(Exception):
    """One field could not be read: the message to show."""

    def __init__(self, message: Text) -> None:
        super().__init__(message)
        self.message = message


_TRUE = frozenset({"ja", "j", "yes", "y", "true", "t", "sann", "sant", "on", "1"})
_FALSE = frozenset({"nei", "n", "no", "false", "f", "usann", "usant", "off", "0"})
_SPACE = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_MINUS = "-\u2212\u2013"
_PREFIX = re.compile(r"^(?:kr\.?|nok)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(?:kr\.?|nok|,-|,\u2013|\.-)$", re.IGNORECASE)
_BODY = re.compile(r"[0-9]+(?:[ .,][0-9]+)*")


def _symbols(lang: str) -> tuple[str, str]:
    """The decimal sign and the group separator of ``lang``, from Babel's locale data."""
    from babel.core import UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = _i18n.LOCALES.get(lang, lang)
    try:
        return get_decimal_symbol(locale), get_group_symbol(locale)
    except (UnknownLocaleError, ValueError):
        return ".", ","


def _number(raw: str, lang: str, label: Text, *, money: bool) -> Decimal:
    """A number as people write it; ``_Refused`` when it cannot be read one way only."""
    bad = (_AMOUNT if money else _INTEGER).with_values(label=label, value=_quoted(raw))
    text = _SPACE.sub(" ", raw).strip()
    if money:
        for _ in range(2):
            text = _SUFFIX.sub("", _PREFIX.sub("", text))
    negative = False
    if text[:1] in _MINUS:
        negative, text = True, text[1:].lstrip()
    elif text[:1] == "+":
        text = text[1:].lstrip()
    if _BODY.fullmatch(text) is None:
        raise _Refused(bad)
    decimal_sign, group_sign = _symbols(lang)
    marks = [c for c in text if c in ".,"]
    spaced = " " in text
    point: str | None = None  # the decimal sign used, if any
    if "." in marks and "," in marks:
        point = marks[-1]
        if marks.count(point) != 1:
            raise _Refused(bad)
    elif marks:
        mark = marks[0]
        after = text.rsplit(mark, 1)[1]
        if len(marks) > 1:
            point = None
        elif spaced or mark == decimal_sign or len(after) != 3:
            point = mark
        elif mark == group_sign:
            point = None
        else:
            whole, part = text.split(mark)
            one = _render_number(Decimal(whole + part), lang)
            trimmed = part.rstrip("0")
            other = _render_number(Decimal(f"{whole}.{trimmed}" if trimmed else whole), lang)
            raise _Refused(
                _AMBIGUOUS.with_values(label=label, value=_quoted(raw), one=one, other=other)
            )
    if point is None:
        whole, places = text, ""
    else:
        whole, places = text.rsplit(point, 1)
        if not places.isdigit():
            raise _Refused(bad)
    groups = re.split(r"[ .,]", whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise _Refused(bad)
    if places and not money:
        raise _Refused(bad)
    digits = "".join(groups)
    value = Decimal(f"{'-' if negative else ''}{digits}{'.' + places if places else ''}")
    return value


def _integer(raw: str, lang: str, label: Text) -> int:
    value = int(_number(raw, lang, label, money=False))
    if not -_limits.MAX_INT - 1 <= value <= _limits.MAX_INT:
        raise _Refused(
            _RANGE.with_values(
                label=label,
                low=-_limits.MAX_INT - 1,
                high=_limits.MAX_INT,
                value=_quoted(raw),
            )
        )
    return value


def _amount(raw: str, lang: str, label: Text) -> Decimal:
    value = _number(raw, lang, label, money=True)
    try:
        return _limits.amount(value, "amount")
    except InnoprocError:
        raise _Refused(
            _DIGITS.with_values(
                label=label,
                digits=_limits.AMOUNT_DIGITS,
                places=_limits.AMOUNT_PLACES,
                value=_quoted(raw),
            )
        ) from None


def _boolean(raw: str, label: Text) -> bool:
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Refused(_BOOLEAN.with_values(label=label, value=_quoted(raw)))


# A date alone, in the forms ``parse_deadline`` reads (ISO, 11.03.2024, 11. mars 2024,
# March 11, 2024): told apart from a date with a time of day.
_DATE_ALONE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{1,2}\.\s?[0-9]{1,2}\.\s?[0-9]{4}"
    r"|[0-9]{1,2}\.?\s+[^\W\d_]+\.?\s+[0-9]{4}"
    r"|[^\W\d_]+\.?\s+[0-9]{1,2},?\s+[0-9]{4}"
)


def _read_instant(text: str) -> datetime:
    from innoproc.deadlines import parse_deadline

    return parse_deadline(text, tz=OSLO)


def _date(raw: str, label: Text) -> date:
    text = " ".join(raw.split())
    if _DATE_ALONE.fullmatch(text) is None:
        try:
            _read_instant(text)
        except InnoprocError:
            raise _Refused(_DATE.with_values(label=label, value=_quoted(raw))) from None
        raise _Refused(_DATE_ONLY.with_values(label=label, value=_quoted(raw)))
    try:
        day = _read_instant(text).date()
    except InnoprocError:
        raise _Refused(_DATE.with_values(label=label, value=_quoted(raw))) from None
    try:
        return _limits.day(day, "date")
    except InnoprocError:
        raise _Refused(_years(label, raw)) from None


def _years(label: Text, raw: str) -> Text:
    """The message for a date outside the years innoproc stores."""
    return _YEARS.with_values(
        label=label,
        low=Plain(_limits.MIN_YEAR),
        high=Plain(_limits.MAX_YEAR),
        value=_quoted(raw),
    )


def _datetime(raw: str, label: Text) -> datetime:
    text = " ".join(raw.split())
    if _DATE_ALONE.fullmatch(text) is not None:
        raise _Refused(_NEEDS_TIME.with_values(label=label, value=_quoted(raw)))
    try:
        value = _read_instant(text)
    except (InnoprocError, ValueError, OverflowError):
        raise _Refused(_DATETIME.with_values(label=label, value=_quoted(raw))) from None
    if value.tzinfo is OSLO:  # Norwegian wall-clock time: it must exist
        there_and_back = value.astimezone(timezone.utc).astimezone(OSLO)
        if there_and_back.replace(tzinfo=None) != value.replace(tzinfo=None):
            raise _Refused(_NO_SUCH_TIME.with_values(label=label, value=_quoted(raw)))
    try:
        return _limits.instant(value, "datetime")
    except InnoprocError:
        raise _Refused(_years(label, raw)) from None


def _text(raw: str, field: Field, label: Text) -> str:
    value = raw.strip()
    if len(value) > _limits.MAX_TEXT:
        raise _Refused(_TOO_LONG.with_values(label=label, limit=_limits.MAX_TEXT))
    try:
        return _limits.text(value, field.name)
    except InnoprocError:
        raise _Refused(_TOO_LONG.with_values(label=label, limit=_limits.MAX_TEXT)) from None


def _choice(value: str, field: Field, label: Text) -> str:
    if field.choices and value not in field.choices:
        raise _Refused(
            _CHOICE.with_values(label=label, choices=", ".join(field.choices), value=_quoted(value))
        )
    return value


def _posted(values: Mapping[str, Any], key: str) -> list[str]:
    """Every value posted for ``key``: a multi-dict's list, a list, or one string."""
    getlist = getattr(values, "getlist", None)
    raw: Any = getlist(key) if callable(getlist) else values[key]
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Sequence) and all(isinstance(item, str) for item in raw):
        return list(raw)
    raise InvalidArgument(
        f"'values' must map each field to a string or a list of strings, as a form posts "
        f"them; {key!r} has {shown(raw)}",
        "values",
    )


def _read(field: Field, posted: list[str], lang: str) -> Any:
    """The value of one field from what was posted; ``_NOTHING`` when it is left out."""
    label = Text(field.label)  # i18n: from Field
    kind = field.kind
    if kind == "texts":
        items = [line.strip() for raw in posted for line in raw.splitlines()]
        items = [_choice(_text(item, field, label), field, label) for item in items if item]
        return tuple(items) if items else _NOTHING
    given = [raw for raw in posted if raw.strip()]
    if kind == "boolean":
        if not given:
            return False if field.required else _NOTHING
        return _boolean(given[-1], label)  # a hidden "no" before a ticked box: the box wins
    if not given:
        return _NOTHING
    if len(given) > 1:
        raise _Refused(_ONE_VALUE.with_values(label=label, count=len(given)))
    raw = given[0]
    if kind == "text":
        return _choice(_text(raw, field, label), field, label)
    if kind == "integer":
        return _integer(raw, lang, label)
    if kind == "amount":
        return _amount(raw, lang, label)
    if kind == "date":
        return _date(raw, label)
    return _datetime(raw, label)


_NOTHING = object()


def parse(
    procedure_or_case: Case | Procedure | str,
    event_or_fact: str,
    values: Mapping[str, str | Sequence[str]],
    *,
    kind: str = "event",
    lang: str | None = None,
) -> dict[str, Any]:
    """The payload for ``case.apply`` (or ``case.record`` with ``kind="fact"``) from the
    strings a form posted, each read by its field's kind (see the module's table).

    ``values`` maps field names to a string or a list of strings; a multi-dict with
    ``getlist`` (Werkzeug's ``request.form``, Starlette's ``FormData``, Django's
    ``QueryDict``) is read with it, so a multiple choice keeps every value. ``lang`` ("en",
    "nb", "nn"; the process default when ``None``) is the language the form is in: it
    decides how a number such as ``1,250`` is read and the language of the errors.

    Fields left empty are left out (a required boolean not posted is ``False``). A key that
    is not a field, or a value that cannot be read, raises ``FormError``, which lists every
    field at fault (``errors``), each naming the field by its label and saying what was
    expected. Whether the step may be taken is not judged here: ``case.check`` and
    ``case.apply`` do that with the result.
    """
    language = _lang(lang)
    procedure = _procedure(procedure_or_case)
    spec = _spec(procedure, event_or_fact, kind)
    if not isinstance(values, Mapping):
        raise InvalidArgument(
            f"'values' must be a mapping of field names to posted strings, got {shown(values)}",
            "values",
        )
    fields = spec.field_map
    problems: list[FormError] = []
    owner = spec.title.get(language)
    for key in values:
        if key not in fields:
            labels = [Text(f.label) for f in fields.values()]  # i18n: from Field
            known = Series(labels) if labels else "-"
            text = _UNKNOWN.with_values(name=_quoted(str(key)), owner=owner, known=known)
            problems.append(FormError(str(key), text, None, language))
    result: dict[str, Any] = {}
    for name, field in fields.items():
        posted = _posted(values, name) if name in values else []
        try:
            value = _read(field, posted, language)
        except _Refused as refused:
            shown_value: object = posted[0] if len(posted) == 1 else posted
            problems.append(FormError(name, refused.message, shown_value, language))
            continue
        if value is not _NOTHING:
            result[name] = value
    if problems:
        first, *others = problems
        raise FormError(first.field, first.text, first.value, language, tuple(others))
    return result


# -- the way back: a payload as a form shows it ----------------------------------------------


def _render_number(value: Decimal, lang: str) -> str:
    decimal_sign, group_sign = _symbols(lang)
    if group_sign.isspace():  # a no-break space in the locale's data: a plain one in a form
        group_sign = " "
    text = format(abs(value), "f")
    whole, _, places = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    number = group_sign.join(groups) + (decimal_sign + places if places else "")
    return ("-" if value < 0 else "") + number


def _render_instant(value: datetime) -> str:
    wall = value.astimezone(OSLO).replace(tzinfo=None, fold=0)
    # Wall-clock time says which moment it is unless the clocks went back that night.
    if wall.replace(tzinfo=OSLO).astimezone(timezone.utc) == value.astimezone(timezone.utc):
        timespec = "minutes" if not wall.second and not wall.microsecond else "auto"
        return wall.isoformat(timespec=timespec)
    return value.astimezone(OSLO).isoformat()


def form_values(
    procedure_or_case: Case | Procedure | str,
    event_or_fact: str,
    payload: Mapping[str, Any],
    *,
    kind: str = "event",
    lang: str | None = None,
) -> dict[str, str | list[str]]:
    """``payload`` (as ``apply`` or ``record`` take it, or a history entry's) as the strings
    a form shows: what pre-fills a form, and what ``parse`` reads back to the same payload.

    Numbers are grouped as ``lang`` writes them (``1 234 567,5`` in Norwegian), booleans are
    the word for yes or no, dates are ISO 8601, instants are Norwegian wall-clock time
    (``2024-03-11T09:00``; with their offset where wall-clock time would not say which
    moment), texts a list. ``None`` values are left out.

    ```pycon
    >>> from decimal import Decimal
    >>> from innoproc import forms
    >>> forms.form_values("innovation-partnership", "purchase",
    ...                   {"price": Decimal("31500000.50"), "performance_levels_met": True},
    ...                   lang="nb")
    {'price': '31 500 000,50', 'performance_levels_met': 'ja'}

    ```
    """
    language = _lang(lang)
    procedure = _procedure(procedure_or_case)
    spec = _spec(procedure, event_or_fact, kind)
    if not isinstance(payload, Mapping):
        raise InvalidArgument(f"'payload' must be a mapping, got {shown(payload)}", "payload")
    from innoproc._engine.fields import validate_payload

    clean, _missing = validate_payload(spec.field_map, payload, kind, spec.name)
    out: dict[str, str | list[str]] = {}
    for name, value in clean.items():
        field = spec.field_map[name]
        if field.kind == "texts":
            out[name] = list(value)
        elif field.kind == "boolean":
            out[name] = (_YES if value else _NO).get(language)
        elif field.kind in ("integer", "amount"):
            out[name] = _render_number(Decimal(value), language)
        elif field.kind == "date":
            out[name] = value.isoformat()
        elif field.kind == "datetime":
            out[name] = _render_instant(value)
        else:
            out[name] = value
    return out
