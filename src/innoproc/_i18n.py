"""Languages: message catalogues, the process's default language, and values said as a person
would say them.

Every text innoproc shows is written in English in the code, beside the rule or step it
belongs to, and translated through gettext catalogues managed with Babel
(``src/innoproc/locale/<lang>/LC_MESSAGES/innoproc.po``, compiled to ``.mo`` and shipped in
the package). Norwegian bokmål (``nb``) and nynorsk (``nn``) are complete; a language of your
own (Northern Sami, Swedish...) is added by dropping in a catalogue (``add_catalogues``).

Values in a text are formatted for its language with Babel: amounts with the locale's
grouping and currency ("31 500 000 kr"), dates and instants in words ("25. mars 2024
kl. 09.00"), lists ("A, B og C"), spans of time ("5 minutter").
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from innoproc._errors import InvalidArgument, UnknownLanguage, shown

#: The languages innoproc ships complete catalogues for: English, Norwegian bokmål, nynorsk.
BUILTIN_LANGUAGES: tuple[str, ...] = ("en", "nb", "nn")
#: Where a language's catalogue lacks a text, the languages tried next (then English).
FALLBACKS: dict[str, tuple[str, ...]] = {"nn": ("nb",), "se": ("nb",)}
#: The Babel locale each language formats values with.
LOCALES: dict[str, str] = {"en": "en_GB", "nb": "nb_NO", "nn": "nn_NO"}

DOMAIN = "innoproc"
_HERE = Path(__file__).parent / "locale"

_lock = threading.Lock()
_default = "en"
_catalogues: dict[str, gettext.NullTranslations] = {}
_extra_dirs: list[Path] = []
_extra_languages: list[str] = []


def languages() -> tuple[str, ...]:
    """The languages texts can be asked for: the built-in ones and any added catalogue's."""
    return BUILTIN_LANGUAGES + tuple(lang for lang in _extra_languages)


def check_language(lang: object) -> str:
    """``lang`` if it is a language innoproc has texts in, else ``UnknownLanguage``."""
    if isinstance(lang, str) and (lang in BUILTIN_LANGUAGES or lang in _extra_languages):
        return lang
    raise UnknownLanguage(shown(lang) if not isinstance(lang, str) else lang, languages())


def set_language(lang: str) -> None:
    """Set the process's default language for every text innoproc produces (``"en"``,
    ``"nb"``, ``"nn"`` or a language added with ``add_catalogues``).

    A host sets it once, at start-up; every ``lang`` argument overrides it for one call.
    """
    global _default
    _default = check_language(lang)


def language() -> str:
    """The process's default language (``"en"`` unless ``set_language`` changed it)."""
    return _default


def resolve(lang: str | None) -> str:
    """``lang``, or the default language when ``None``; ``UnknownLanguage`` if unknown."""
    return _default if lang is None else check_language(lang)


def add_catalogues(
    directory: str | os.PathLike[str], *, fallback: Sequence[str] = ()
) -> tuple[str, ...]:
    """Add the catalogues found in ``directory`` (``<lang>/LC_MESSAGES/innoproc.mo``, as
    ``pybabel compile`` writes them) and return the languages added.

    A language added this way may be asked for anywhere a ``lang`` is taken. Where its
    catalogue lacks a text, the languages in ``fallback`` are tried, then English. The
    directories named in the environment variable ``INNOPROC_LOCALE_PATH`` (separated by
    ``os.pathsep``) are added the first time a text is translated.
    """
    if not isinstance(directory, (str, os.PathLike)):
        raise InvalidArgument(
            f"'directory' must be a path to a folder, got {shown(directory)}", "directory"
        )
    try:
        root = Path(directory)
        is_dir = root.is_dir()
    except (OSError, ValueError, TypeError):  # a name too long, a NUL byte, a bad PathLike
        is_dir = False
    if not is_dir:
        raise InvalidArgument(f"'directory' must be a folder, got {shown(directory)}", "directory")
    if not isinstance(fallback, (list, tuple)) or not all(isinstance(f, str) for f in fallback):
        raise InvalidArgument(
            f"'fallback' must be a sequence of language codes, got {shown(fallback)}", "fallback"
        )
    found: list[str] = []
    for mo in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
        lang = mo.parent.parent.name
        if lang in BUILTIN_LANGUAGES:
            continue
        found.append(lang)
    with _lock:
        _extra_dirs.insert(0, root)
        for lang in found:
            if lang not in _extra_languages:
                _extra_languages.append(lang)
            _catalogues.pop(lang, None)
            if fallback:
                FALLBACKS[lang] = tuple(check_language(f) for f in fallback)
    return tuple(found)


_env_read = False


def _read_environment() -> None:
    global _env_read
    if _env_read:
        return
    _env_read = True
    for part in os.environ.get("INNOPROC_LOCALE_PATH", "").split(os.pathsep):
        if part and Path(part).is_dir():
            add_catalogues(part)


def _catalogue(lang: str) -> gettext.NullTranslations:
    found = _catalogues.get(lang)
    if found is None:
        with _lock:
            found = _catalogues.get(lang)
            if found is None:
                found = gettext.NullTranslations()
                for directory in (*_extra_dirs, _HERE):
                    mo = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
                    if mo.is_file():
                        with mo.open("rb") as fh:
                            found = gettext.GNUTranslations(fh)
                        break
                _catalogues[lang] = found
    return found


def translate(message: str, lang: str, context: str | None = None) -> str:
    """``message`` (English) in ``lang``, from its catalogue, falling back as ``FALLBACKS``
    says and then to the English."""
    if lang == "en":
        return message
    _read_environment()
    for candidate in (lang, *FALLBACKS.get(lang, ())):
        if candidate == "en":
            break
        catalogue = _catalogue(candidate)
        key = message if context is None else f"{context}\x04{message}"
        if _has(catalogue, key):
            return (
                catalogue.gettext(message)
                if context is None
                else catalogue.pgettext(context, message)
            )
    return message


def translate_plural(
    singular: str, plural: str, n: int, lang: str, context: str | None = None
) -> str | None:
    """The form of a text with a plural for the number ``n`` in ``lang``'s own catalogue,
    or ``None`` when that catalogue lacks it."""
    if lang == "en":
        return singular if n == 1 else plural
    _read_environment()
    catalogue = _catalogue(lang)
    key = singular if context is None else f"{context}\x04{singular}"
    messages = getattr(catalogue, "_catalog", None)
    if messages is None or (key, 0) not in messages:
        return None
    if context is None:
        return catalogue.ngettext(singular, plural, n)
    return catalogue.npgettext(context, singular, plural, n)


def _has(catalogue: gettext.NullTranslations, key: str) -> bool:
    messages = getattr(catalogue, "_catalog", None)
    return messages is not None and key in messages


# -- values said as a person would -----------------------------------------------------------


def _items(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _joined(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("and", "or", "semicolon", "sentences"):
        raise ValueError(f"joined must be 'and', 'or', 'semicolon' or 'sentences', got {value!r}")


@attrs.frozen
class Series:
    """Items to be said as a list: ``"A, B and C"`` (``joined="and"``), ``"A, B or C"``
    (``"or"``), ``"A; B; C"`` (``"semicolon"``) or whole sentences one after the other
    (``"sentences"``), each item formatted for the language."""

    items: tuple[Any, ...] = attrs.field(converter=_items)
    joined: str = attrs.field(default="and", validator=_joined)


@attrs.frozen
class Day:
    """A day to be named with its weekday and, where it has one, the public holiday it is:
    ``"Sunday 31 March 2024 (Easter Sunday)"``, ``"søndag 31. mars 2024 (1. påskedag)"``."""

    day: date
    holiday: str | None = None


@attrs.frozen
class Local:
    """An instant to be said as wall-clock time in ``tz`` rather than in Europe/Oslo."""

    value: datetime
    tz: tzinfo


@attrs.frozen
class Short:
    """A day to be said in a table's short form: "08.01.2024" (Norwegian), "08 Jan 2024"."""

    day: date


class Plain:
    """A value to be shown as it is (a code, a reference, a number that is not an amount)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plain) and self.value == other.value

    def __hash__(self) -> int:
        return hash(repr(self.value))

    def __repr__(self) -> str:
        return f"Plain({self.value!r})"


def number(value: float | Decimal | int, lang: str, decimals: int = 0) -> str:
    """A number with thousands grouped as ``lang`` writes it ("1 234 567,5")."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=LOCALES.get(lang, "en_GB"))


def percent(share: float, lang: str) -> str:
    """A share as a percentage with one decimal, as ``lang`` writes it ("12,5 %")."""
    from babel.numbers import format_percent

    pattern = "#,##0.0%" if lang == "en" else "#,##0.0\N{NO-BREAK SPACE}%"
    return format_percent(share, pattern, locale=LOCALES.get(lang, "en_GB"))


def _locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


_END_OF_DAY = time(23, 59, 59, 999999)


def say(value: Any, lang: str) -> str:
    """``value`` formatted for a text in ``lang``."""
    from innoproc._text import Text

    if isinstance(value, str):
        return value
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, bool):
        return translate("yes", lang) if value else translate("no", lang)
    if isinstance(value, Plain):
        return str(value.value)
    if isinstance(value, int):
        from babel.numbers import format_decimal

        return format_decimal(value, locale=_locale(lang))
    if isinstance(value, Decimal):
        return _amount(value, lang)
    if isinstance(value, datetime):
        return _instant(value, lang)
    if isinstance(value, Short):
        from babel.dates import format_date

        pattern = "dd MMM y" if lang == "en" else "dd.MM.y"
        return format_date(value.day, pattern, locale=_locale(lang))
    if isinstance(value, Local):
        return _instant(value.value, lang, value.tz)
    if isinstance(value, date):
        return _date(value, lang)
    if isinstance(value, Day):
        return _day(value, lang)
    if isinstance(value, timedelta):
        return _span(value, lang)
    if isinstance(value, Series):
        return _series(value, lang)
    if isinstance(value, (list, tuple)):
        return _series(Series(value), lang)
    if isinstance(value, float):
        from babel.numbers import format_decimal

        return format_decimal(value, locale=_locale(lang))
    if value is None:
        return translate("none", lang)
    return str(value)


def _amount(value: Decimal, lang: str) -> str:
    from babel.numbers import format_currency

    if not value.is_finite() or abs(value.adjusted()) > 30:
        # not an amount innoproc stores (a bad value being reported): said as it is, cut short
        return _limited(str(value))

    whole = value == value.to_integral_value()
    if lang == "en":
        pattern = "¤\xa0#,##0" if whole else "¤\xa0#,##0.00"
    else:
        pattern = "#,##0\xa0¤" if whole else "#,##0.00\xa0¤"
    return format_currency(
        value, "NOK", format=pattern, currency_digits=False, locale=_locale(lang)
    )


def _limited(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _date(value: date, lang: str) -> str:
    from babel.dates import format_date

    pattern = "d MMMM y" if lang == "en" else "d. MMMM y"
    return format_date(value, pattern, locale=_locale(lang))


def _instant(value: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """An instant as local wall-clock time in ``tz`` (default Europe/Oslo): the end of a day
    reads 24:00."""
    from innoproc._time import OSLO

    local = value.astimezone(tz or OSLO) if value.tzinfo is not None else value
    day = _date(local.date(), lang)
    if local.time() == _END_OF_DAY:
        clock = "24:00" if lang == "en" else "24.00"
    elif local.second or local.microsecond:
        clock = local.strftime("%H:%M:%S" if lang == "en" else "%H.%M.%S")
    else:
        clock = local.strftime("%H:%M" if lang == "en" else "%H.%M")
    return translate("{day} at {clock}", lang).format(day=day, clock=clock)


def _day(value: Day, lang: str) -> str:
    from babel.dates import format_date

    pattern = "EEEE d MMMM y" if lang == "en" else "EEEE d. MMMM y"
    text = format_date(value.day, pattern, locale=_locale(lang))
    if value.holiday:
        from innoproc._holiday_names import holiday_name

        text += f" ({holiday_name(value.holiday).get(lang)})"
    return text


def _span(value: timedelta, lang: str) -> str:
    from babel.dates import format_timedelta

    seconds = abs(value.total_seconds())
    granularity: Literal["second", "minute", "hour"] = (
        "second" if seconds < 60 else "minute" if seconds < 86400 else "hour"
    )
    return format_timedelta(
        value, granularity=granularity, threshold=1.5, format="long", locale=_locale(lang)
    )


def _series(value: Series, lang: str) -> str:
    items = [say(item, lang) for item in value.items]
    if not items:
        return translate("none", lang)
    if value.joined == "semicolon":
        return "; ".join(items)
    if value.joined == "sentences":
        return " ".join(items)
    from babel.lists import format_list

    style: Literal["or", "standard"] = "or" if value.joined == "or" else "standard"
    return format_list(items, style=style, locale=_locale(lang))


def render(template: str, params: Mapping[str, Any], lang: str) -> str:
    """``template`` with each ``{name}`` replaced by ``params[name]`` said in ``lang``."""
    if not params:
        return template
    return template.format_map({k: _said(v, lang) for k, v in params.items()})


def _said(value: Any, lang: str) -> str:
    """``say``, or, for a value that cannot be said (a host's object whose ``str`` fails, an
    integer too long to write out), the value shown in part: a text is always produced."""
    try:
        return say(value, lang)
    except Exception:  # a hostile or oversized value must not hide the text it is part of
        return shown(value)
