"""Texts in every supported language, and legal or programme sources.

A ``Text`` is written in English, as a template with ``{named}`` placeholders, and
translated through the message catalogues (``innoproc._i18n``); its values are said as a
person would say them in the language asked for. Translations given inline
(``Text("Market dialogue", nb="Markedsdialog")``) take precedence, for a host's own
procedures.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from innoproc import _i18n
from innoproc._errors import shown

#: The languages innoproc ships complete texts in: English (``"en"``), Norwegian bokmål
#: (``"nb"``) and nynorsk (``"nn"``). Catalogues of your own add more (``add_catalogues``).
LANGUAGES: tuple[str, ...] = _i18n.BUILTIN_LANGUAGES

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


def _nonempty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name!r} must be a non-empty string, got {value!r}"
        raise TypeError(msg)


class Text:
    """A text shown to people: an English template, translated for the language asked for.

    ``params`` fill the template's ``{named}`` placeholders, each said in the language of the
    text: amounts as "31 500 000 kr", dates as "25. mars 2024", lists as "A, B og C".
    ``nb`` and ``nn`` give translations inline (they win over the catalogues); ``context``
    tells two uses of the same English apart in the catalogues.

    ```pycon
    >>> from decimal import Decimal
    >>> t = Text("Market dialogue", nb="Markedsdialog")
    >>> t.get("nb")
    'Markedsdialog'
    >>> Text("The price {price} exceeds the maximum.", price=Decimal("31500000")).get("en")
    'The price NOK\xa031,500,000 exceeds the maximum.'

    ```
    """

    __slots__ = ("context", "en", "nb", "nn", "params", "plural")

    en: str
    nb: str | None
    nn: str | None
    context: str | None
    plural: str | None
    params: Mapping[str, Any]

    def __init__(
        self,
        en: str,
        nb: str | None = None,
        nn: str | None = None,
        *,
        context: str | None = None,
        plural: str | None = None,
        params: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> None:
        if not isinstance(en, str) or not en.strip():
            raise TypeError(f"'en' must be a non-empty string, got {shown(en)}")
        for name, value in (("nb", nb), ("nn", nn)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise TypeError(f"{name!r} must be a non-empty string or None, got {shown(value)}")
        object.__setattr__(self, "en", en)
        object.__setattr__(self, "nb", nb)
        object.__setattr__(self, "nn", nn)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "plural", plural)
        merged = {**(params or {}), **values}
        object.__setattr__(self, "params", MappingProxyType(merged) if merged else _NO_PARAMS)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Text is immutable; cannot set {name!r}")

    def template(self, lang: str | None = None) -> str:
        """The template in ``lang`` before its values are filled in (for a text with a
        ``plural``, the form for the value ``n``)."""
        lang = _i18n.resolve(lang)
        english = self.en
        if self.plural is not None:
            n = self.params.get("n", 1)
            english = self.en if n == 1 else self.plural
        for candidate in (lang, *_i18n.FALLBACKS.get(lang, ())):
            if candidate == "en":
                return english
            inline = self.nb if candidate == "nb" else self.nn if candidate == "nn" else None
            if inline is not None:
                return inline
            if self.plural is not None:
                found = _i18n.translate_plural(
                    self.en, self.plural, int(self.params.get("n", 1)), candidate, self.context
                )
            else:
                found = _i18n.translate(self.en, candidate, self.context)
            if found is not None and found != english:
                return found
        return english

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (``None``: the process's default language); raises
        ``UnknownLanguage`` for a language innoproc has no texts in."""
        lang = _i18n.resolve(lang)
        return _i18n.render(self.template(lang), self.params, lang)

    def with_values(self, **values: Any) -> Text:
        """The same text with more ``values`` for its placeholders."""
        return Text(  # i18n: a copy
            self.en,
            self.nb,
            self.nn,
            context=self.context,
            plural=self.plural,
            params={**self.params, **values},
        )

    def __str__(self) -> str:
        return self.get()

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value in (("nb", self.nb), ("nn", self.nn), ("context", self.context))
            if value is not None
        )
        values = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Text({self.en!r}{extra}{values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self.en, self.nb, self.nn, self.context, self.plural, dict(self.params)) == (
            other.en,
            other.nb,
            other.nn,
            other.context,
            other.plural,
            dict(other.params),
        )

    def __hash__(self) -> int:
        return hash((self.en, self.nb, self.nn, self.context))

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (self.en, self.nb, self.nn, self.context, self.plural, dict(self.params)),
        )


def _rebuild(
    en: str,
    nb: str | None,
    nn: str | None,
    context: str | None,
    plural: str | None,
    params: dict[str, Any],
) -> Text:
    return Text(en, nb, nn, context=context, plural=plural, params=params)  # i18n: a copy


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

    def cite(self, lang: str | None = None) -> str:
        """The citation in ``lang``: the instrument and the provision as a case worker looks
        them up (Norwegian instruments keep their Norwegian names), marked where not
        confirmed."""
        lang = _i18n.resolve(lang)
        text = _i18n.translate(self.instrument, lang, "source")
        if self.provision:
            text += " " + _i18n.translate(self.provision, lang, "source")
        if not self.verified:
            text += " " + _i18n.translate("(unverified)", lang)
        return text

    def __str__(self) -> str:
        return self.cite()
