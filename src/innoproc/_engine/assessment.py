"""Findings (one unmet precondition) and assessments (the verdict on one event)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from innoproc._errors import InvalidDefinition
from innoproc._text import Source, Text

#: What a rule is: a legal requirement, a requirement of a funding programme, or good
#: practice. Legal and programme requirements block a step when unmet; good practice is
#: reported as advice and never blocks.
FindingKind = Literal["legal", "programme", "practice"]
KINDS: tuple[str, ...] = ("legal", "programme", "practice")

KIND_LABELS: dict[str, Text] = {
    "legal": Text(en="legal requirement", nb="lovkrav"),
    "programme": Text(en="programme requirement", nb="krav i programmet"),
    "practice": Text(en="good practice", nb="god praksis"),
}


def check_kind(owner: str, kind: object) -> str:
    """``kind`` if it is one of ``KINDS``, else ``InvalidDefinition`` naming ``owner``."""
    if kind not in KINDS:
        raise InvalidDefinition(
            f"{owner}: kind must be one of {', '.join(KINDS)}, got {kind!r}", owner
        )
    return str(kind)


_NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


def _freeze(details: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(details)) if details else _NO_DETAILS


class Shortfall:
    """What a precondition's test returns when the rule is not met, with the particulars.

    ``en`` and ``nb`` explain this case's shortfall (the rule itself is stated by the
    precondition; ``nb`` defaults to ``en``); ``details`` carries the figures a program may
    want (dates, counts). ``source`` cites the finding where it rests on another source than
    the rule's own (for example the framework in force on the day, for a dated rule).

    ```pycon
    >>> Shortfall("only 2 candidates invited", "bare 2 kandidater invitert", invited=2).details
    mappingproxy({'invited': 2})

    ```
    """

    __slots__ = ("details", "en", "nb", "source")

    def __init__(
        self, en: str = "", nb: str = "", /, source: Source | None = None, **details: Any
    ) -> None:
        self.en = en
        self.nb = nb or en
        self.source = source
        self.details: Mapping[str, Any] = _freeze(details)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Shortfall):
            return NotImplemented
        return (type(self), self.en, self.nb, self.source, dict(self.details)) == (
            type(other),
            other.en,
            other.nb,
            other.source,
            dict(other.details),
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.en!r}, {self.nb!r}, **{dict(self.details)!r})"


class Advice(Shortfall):
    """What a rule's test returns to advise without blocking: the step may go ahead, and the
    advice is reported with it (``Assessment.advice``), as good practice.
    """

    __slots__ = ()


@attrs.frozen
class Finding:
    """One unmet precondition: its stable ``code``, the rule, its ``source`` and particulars.

    ``kind`` says what the rule is: ``"legal"`` (a legal requirement), ``"programme"`` (a
    funding programme's requirement) or ``"practice"`` (good practice, which never blocks).
    ``message(lang)`` gives a plain-language sentence in English (``"en"``) or Norwegian
    bokmål (``"nb"``).
    """

    code: str
    rule: Text
    source: Source
    explanation: Text | None = None
    details: Mapping[str, Any] = attrs.field(default=_NO_DETAILS, converter=_freeze)
    kind: str = "legal"

    @property
    def blocking(self) -> bool:
        """True when the finding blocks the step (a legal or programme requirement)."""
        return self.kind != "practice"

    def message(self, lang: str = "en") -> str:
        """The rule, followed by what is wrong in this case, in ``lang``."""
        text = self.rule.get(lang)
        if self.explanation is not None:
            text = f"{text} {self.explanation.get(lang)}"
        return text

    def __str__(self) -> str:
        return f"[{self.code}] {self.message()} ({self.source})"

    def label(self, lang: str = "en") -> str:
        """What kind of rule this is, in ``lang`` (``"legal requirement"``...)."""
        return KIND_LABELS[self.kind].get(lang)


_TEXTS = {
    "en": {
        "ok": "{event!r} may be applied in state {state!r}.",
        "wrong_state": (
            "{event!r} is not possible in state {state!r}; it is possible from: {sources}."
        ),
        "refused": "{event!r} cannot be applied in state {state!r}:",
        "unmet": "{n} unmet precondition(s):",
        "missing": "missing field(s): {fields}",
        "unassessed": "not assessed until those fields are given: {codes}",
        "source": "Source",
        "none": "none (a final state)",
        "advice": "advice (does not block):",
    },
    "nb": {
        "ok": "{event!r} kan utføres i tilstanden {state!r}.",
        "wrong_state": (
            "{event!r} er ikke mulig i tilstanden {state!r}; det er mulig fra: {sources}."
        ),
        "refused": "{event!r} kan ikke utføres i tilstanden {state!r}:",
        "unmet": "{n} vilkår er ikke oppfylt:",
        "missing": "mangler felt: {fields}",
        "unassessed": "vurderes først når feltene er oppgitt: {codes}",
        "source": "Kilde",
        "none": "ingen (en sluttilstand)",
        "advice": "råd (hindrer ikke steget):",
    },
}


@attrs.frozen(repr=False)
class Assessment:
    """The verdict on one event for one case at one moment.

    ``ok`` is true only when the event is possible from the current state (``allowed``),
    every precondition is met (``unmet`` is empty) and no required field is ``missing``.
    ``unmet`` lists *every* unmet blocking precondition (legal and programme requirements),
    never only the first; ``advice`` lists findings that do not block (good practice).
    """

    procedure_id: str
    event: str
    state: str
    allowed: bool
    target: str | None
    possible_from: tuple[str, ...]
    met: tuple[str, ...] = ()
    unmet: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    unassessed: tuple[str, ...] = ()
    advice: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the event may be applied now."""
        return self.allowed and not self.unmet and not self.missing

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the unmet preconditions."""
        return tuple(f.code for f in self.unmet)

    @property
    def status(self) -> str:
        """What a screen should show for the step: ``"ok"`` (may be applied now),
        ``"needs-input"`` (allowed and nothing unmet, but required fields are still to be
        given: offer the form), ``"refused"`` (a blocking rule is unmet) or ``"not-possible"``
        (the step does not start from the case's state)."""
        if not self.allowed:
            return "not-possible"
        if self.unmet:
            return "refused"
        return "needs-input" if self.missing else "ok"

    def __bool__(self) -> bool:
        return self.ok

    def explain(self, lang: str = "en") -> str:
        """A plain-language explanation, one line per unmet precondition, in ``lang``."""
        texts = _TEXTS.get(lang)
        if texts is None:
            Text("x", "x").get(lang)  # raises UnknownLanguage with the known languages
            raise AssertionError("unreachable")  # pragma: no cover
        if not self.allowed:
            sources = ", ".join(repr(s) for s in self.possible_from) or texts["none"]
            return texts["wrong_state"].format(event=self.event, state=self.state, sources=sources)
        if self.ok:
            lines = [texts["ok"].format(event=self.event, state=self.state)]
        else:
            lines = [texts["refused"].format(event=self.event, state=self.state)]
        if self.unmet:
            lines.append("  " + texts["unmet"].format(n=len(self.unmet)))
            lines.extend(_finding_lines(self.unmet, lang, texts["source"]))
        if self.missing:
            lines.append("  - " + texts["missing"].format(fields=", ".join(self.missing)))
        if self.unassessed:
            lines.append("  - " + texts["unassessed"].format(codes=", ".join(self.unassessed)))
        if self.advice:
            lines.append("  " + texts["advice"])
            lines.extend(_finding_lines(self.advice, lang, texts["source"]))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def __repr__(self) -> str:
        """Short: the event, the state, the verdict and the unmet codes (``explain()`` for
        the rules in full)."""
        if not self.allowed:
            verdict = f"not possible (possible from: {', '.join(self.possible_from) or '-'})"
        elif self.ok:
            verdict = "may be applied"
        else:
            parts = []
            if self.unmet:
                parts.append(f"unmet {', '.join(self.codes)}")
            if self.missing:
                parts.append(f"missing {', '.join(self.missing)}")
            verdict = "refused, " + "; ".join(parts)
        return f"<Assessment {self.event} in {self.state}: {verdict}>"

    def _repr_html_(self) -> str:
        from innoproc._display import assessment_html

        return assessment_html(self)


def _finding_lines(findings: tuple[Finding, ...], lang: str, source: str) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(f"  - [{finding.code}] ({finding.label(lang)}) {finding.message(lang)}")
        lines.append(f"    {source}: {finding.source}")
    return lines
