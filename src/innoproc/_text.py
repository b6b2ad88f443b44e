"""Bilingual texts (English and Norwegian bokmål) and legal or programme sources."""

from __future__ import annotations

from datetime import date
from typing import Literal

import attrs

from innoproc._errors import UnknownLanguage

#: The languages innoproc writes messages in: English (``"en"``) and Norwegian bokmål (``"nb"``).
LANGUAGES: tuple[str, ...] = ("en", "nb")

Lang = Literal["en", "nb"]


def _nonempty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name!r} must be a non-empty string, got {value!r}"
        raise TypeError(msg)


@attrs.frozen
class Text:
    """A short text in English and Norwegian bokmål.

    ```pycon
    >>> t = Text(en="Market dialogue", nb="Markedsdialog")
    >>> t.get("nb")
    'Markedsdialog'
    >>> str(t)
    'Market dialogue'

    ```
    """

    en: str = attrs.field(validator=_nonempty)
    nb: str = attrs.field(validator=_nonempty)

    def get(self, lang: str = "en") -> str:
        """The text in ``lang`` (``"en"`` or ``"nb"``); raises ``UnknownLanguage``."""
        if lang == "en":
            return self.en
        if lang == "nb":
            return self.nb
        raise UnknownLanguage(lang, LANGUAGES)

    def __str__(self) -> str:
        return self.en


@attrs.frozen
class Source:
    """The legal or programme source of a rule: an instrument and, where known, a provision.

    ``verified`` is ``False`` where the project's domain notes could not confirm the exact
    provision; such rules are configurable defaults and say so in their docs. ``publisher``,
    ``published`` (a date) and ``url`` say who published the instrument, when, and where a
    case worker can read it.

    ```pycon
    >>> str(Source("Directive 2014/24/EU", "art. 31(1)"))
    'Directive 2014/24/EU art. 31(1)'
    >>> str(Source("FOA", "del III", verified=False))
    'FOA del III (unverified)'

    ```
    """

    instrument: str = attrs.field(validator=_nonempty)
    provision: str = ""
    url: str | None = None
    verified: bool = True
    publisher: str | None = attrs.field(default=None, kw_only=True)
    published: date | None = attrs.field(default=None, kw_only=True)

    def at(self, provision: str, *, verified: bool | None = None) -> Source:
        """The same instrument, citing another ``provision``."""
        return attrs.evolve(
            self, provision=provision, verified=self.verified if verified is None else verified
        )

    def __str__(self) -> str:
        text = f"{self.instrument} {self.provision}".strip()
        return text if self.verified else f"{text} (unverified)"
