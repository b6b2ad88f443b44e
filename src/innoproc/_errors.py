"""The exception hierarchy of innoproc: every error derives from ``InnoprocError``.

Each exception also subclasses the builtin it resembles (``ValueError``, ``LookupError``), so
code that already catches those keeps working. Messages say what was expected and what was
received; the objects involved are kept as attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.assessment import Assessment, Finding
    from innoproc._engine.upgrade import UpgradeReport
    from innoproc._text import Text

#: How much of a bad value an error message repeats (characters of its repr).
SHOWN = 80


def shown(value: object, limit: int = SHOWN) -> str:
    """``repr(value)`` cut to ``limit`` characters, so that a huge bad value never makes a huge
    message (a 13 MB document gives a one-line error, not a 14 MB one)."""
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"<{type(value).__name__} object>"
    if len(text) > limit:
        text = f"{text[: limit - 1]}… ({len(text)} characters)"
    return text


def _named(value: object) -> str:
    """A name the caller gave, as an error keeps it: the text itself if it is one (cut to a
    readable length), else how it is shown (a huge number or a hostile object never makes
    the error fail)."""
    if type(value) is str:
        return value if len(value) <= SHOWN else shown(value)
    return shown(value)


def _require(value: object, kind: type, argument: str) -> None:
    """``InvalidArgument`` naming ``argument`` unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        raise InvalidArgument(
            f"{argument!r} must be a {kind.__name__}, got {shown(value)}", argument
        )


class InnoprocError(Exception):
    """Root of every error raised by innoproc.

    ``str(error)`` is a message for the developer, in English. ``error.explain(lang)`` is the
    message for the person using a host's forms, in their language: the errors a case worker
    can meet (a refused step, a value that cannot be used, a case changed by someone else, a
    stored case that cannot be read, a reference not found) say in words what went wrong;
    errors of programming (a bad definition or argument) give their English message.
    """

    def explain(self, lang: str | None = None) -> str:
        """The error for a reader, in ``lang`` (``None``: the process's default language)."""
        text = self._reader_text()
        if text is None:
            from innoproc._i18n import resolve

            resolve(lang)  # an unknown language is an error here too
            return str(self)
        return text.get(lang)

    def _reader_text(self) -> Text | None:
        return None


class InvalidDefinition(InnoprocError, ValueError):
    """A procedure declaration is inconsistent (unknown state, unreachable state, trap state...).

    ``culprit`` names the offending state, event, fact or precondition.
    """

    def __init__(self, message: str, culprit: str) -> None:
        super().__init__(message, culprit)
        self.message = message
        self.culprit = culprit

    def __str__(self) -> str:
        return self.message


class UnknownProcedure(InnoprocError, LookupError):
    """No procedure with this id (or no such version of it) is known.

    ``known`` lists the ids known, or, when ``version`` is given, the versions of the
    procedure that are known.
    """

    def __init__(
        self, procedure_id: str, known: tuple[str, ...], version: int | None = None
    ) -> None:
        super().__init__(procedure_id, known, version)
        self.procedure_id = procedure_id
        self.known = known
        self.version = version

    def __str__(self) -> str:
        if self.version is not None:
            return (
                f"procedure {shown(self.procedure_id)} has no version {shown(self.version)}; "
                f"its versions are: {', '.join(self.known) or 'none'}"
            )
        known = ", ".join(self.known) or "none"
        return f"unknown procedure {shown(self.procedure_id)}; known: {known}"


class UnknownScheme(InnoprocError, LookupError):
    """No funding scheme with this id is known, or a case is not an application."""

    def __init__(self, scheme_id: str, known: tuple[str, ...]) -> None:
        super().__init__(scheme_id, known)
        self.scheme_id = scheme_id
        self.known = known

    def __str__(self) -> str:
        return f"unknown scheme {shown(self.scheme_id)}; known: {', '.join(self.known) or 'none'}"


class UnknownEvent(InnoprocError, LookupError):
    """The procedure declares no event with this name."""

    def __init__(self, event: str, procedure_id: str, known: tuple[str, ...]) -> None:
        super().__init__(event, procedure_id, known)
        self.event = event
        self.procedure_id = procedure_id
        self.known = known

    def __str__(self) -> str:
        return (
            f"procedure {self.procedure_id!r} has no event {shown(self.event)}; "
            f"its events are: {', '.join(self.known)}"
        )

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text("There is no step “{event}” in this procedure.", event=Plain(self.event))


class UnknownFact(InnoprocError, LookupError):
    """The procedure declares no fact with this name, so it cannot be recorded."""

    def __init__(self, fact: str, procedure_id: str, known: tuple[str, ...]) -> None:
        super().__init__(fact, procedure_id, known)
        self.fact = fact
        self.procedure_id = procedure_id
        self.known = known

    def __str__(self) -> str:
        return (
            f"procedure {self.procedure_id!r} has no fact {shown(self.fact)}; "
            f"its facts are: {', '.join(self.known)}"
        )

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text("This procedure records nothing called “{fact}”.", fact=Plain(self.fact))


class UnknownLanguage(InnoprocError, LookupError):
    """A message was asked for in a language innoproc has no text for."""

    def __init__(self, lang: str, known: tuple[str, ...]) -> None:
        super().__init__(lang, known)
        self.lang = lang
        self.known = known

    def __str__(self) -> str:
        return f"no texts in language {shown(self.lang)}; available: {', '.join(self.known)}"

    def explain(self, lang: str | None = None) -> str:
        """The error in ``lang`` (English when ``lang`` is itself unknown)."""
        from innoproc._i18n import Plain, resolve
        from innoproc._text import Text

        try:
            lang = resolve(lang)
        except UnknownLanguage:
            lang = "en"
        return Text(
            "There are no texts in the language “{lang}”; choose one of: {known}.",
            lang=Plain(self.lang),
            known=Plain(", ".join(self.known)),
        ).get(lang)


class InvalidPayload(InnoprocError, ValueError):
    """An event's or fact's payload (or a case's details) has an unknown key or a wrong type.

    ``field`` names the field at fault; ``text``, where given, says what is wrong for a reader
    (``explain(lang)``).
    """

    def __init__(self, message: str, field: str, text: Text | None = None) -> None:
        super().__init__(message, field)
        self.message = message
        self.field = field
        self.text = text

    def __str__(self) -> str:
        return self.message

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        if self.text is not None:
            return self.text
        return Text("The value given for “{field}” cannot be used.", field=Plain(self.field))


class InvalidArgument(InnoprocError, TypeError, ValueError):
    """An argument of a public function has the wrong type or an impossible value.

    It is both a ``TypeError`` and a ``ValueError``, so code that catches either keeps
    working; ``argument`` names the argument.
    """

    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message, argument)
        self.message = message
        self.argument = argument

    def __str__(self) -> str:
        return self.message


class NaiveDatetimeError(InnoprocError, ValueError):
    """A datetime without a time zone was given; ``argument`` names where it was passed."""

    def __init__(self, argument: str, value: object) -> None:
        super().__init__(argument, value)
        self.argument = argument
        self.value = value

    def _reader_text(self) -> Text:
        from innoproc._text import Text

        return Text("A time was given without a time zone, so it cannot be placed in time.")

    def __str__(self) -> str:
        return (
            f"{self.argument!r} must be a timezone-aware datetime "
            f"(for example with tzinfo=ZoneInfo('Europe/Oslo')), got naive {shown(self.value)}"
        )


class ChronologyError(InnoprocError, ValueError):
    """A history entry would be entered before the last entry of the case, or would take
    effect after the moment it is entered.

    ``at`` is the new entry's time and ``last`` the time it conflicts with; ``argument``
    names the argument at fault (``'at'`` or ``'entered_at'``); ``reason`` is ``"order"``
    (entered before the last entry) or ``"effective"`` (takes effect after it is entered).
    """

    def __init__(
        self, at: object, last: object, argument: str = "at", reason: str = "order"
    ) -> None:
        super().__init__(at, last, argument, reason)
        self.at = at
        self.last = last
        self.argument = argument
        self.reason = reason

    def __str__(self) -> str:
        if self.reason == "effective":
            return (
                f"'at' ({self.at}) is later than 'entered_at' ({self.last}): an entry cannot "
                "take effect after the moment it is entered"
            )
        return (
            f"{self.argument!r} ({self.at}) is earlier than the last entry of the case's history "
            f"({self.last}); entries are entered in time order (to enter a decision late, give "
            "its own date as 'at' and the moment of entry as 'entered_at')"
        )

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        at = self.at if not isinstance(self.at, str) else Plain(self.at)
        last = self.last if not isinstance(self.last, str) else Plain(self.last)
        if self.reason == "effective":
            return Text(
                "A decision cannot take effect ({at}) after it is entered ({entered}).",
                at=at,
                entered=last,
            )
        return Text(
            "The time given ({at}) is before the case's latest entry ({last}). Entries are kept "
            "in the order they are entered; to enter a decision late, give the day it was made "
            "as the day it takes effect.",
            at=at,
            last=last,
        )


class ConcurrencyConflict(InnoprocError):
    """The case changed since the caller read it (optimistic concurrency); nothing was written.

    ``expected`` is the revision the caller read, ``actual`` the case's revision now. Reload
    the case, look again, and retry if the step still makes sense.
    """

    def __init__(self, reference: str, expected: int, actual: int) -> None:
        super().__init__(reference, expected, actual)
        self.reference = reference
        self.expected = expected
        self.actual = actual

    def __str__(self) -> str:
        return (
            f"case {shown(self.reference)} is at revision {shown(self.actual)}, "
            f"not {shown(self.expected)} as "
            "expected: it was changed by someone else; reload it and try again"
        )

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text(
            "Case {ref} was changed by someone else while you had it open. Nothing was saved: "
            "open the case again, look at what changed, and do the step again if it still "
            "makes sense.",
            ref=Plain(self.reference),
        )


class StepRefused(InnoprocError):
    """Base of the two reasons a step is refused; the case is left exactly as it was."""

    assessment: Assessment


class TransitionNotAllowed(StepRefused):
    """The event exists but is not possible from the case's current state."""

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(assessment)
        self.assessment = assessment
        self.event = assessment.event
        self.state = assessment.state

    def __str__(self) -> str:
        return self.assessment.explain()

    def explain(self, lang: str | None = None) -> str:
        """Why the step was refused, in ``lang``."""
        return self.assessment.explain(lang)


class PreconditionFailed(StepRefused):
    """The event is possible from this state but preconditions are unmet; see ``unmet``."""

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(assessment)
        self.assessment = assessment
        self.unmet: tuple[Finding, ...] = assessment.unmet

    @property
    def codes(self) -> tuple[str, ...]:
        """The stable codes of every unmet precondition, in declaration order."""
        return tuple(f.code for f in self.unmet)

    def __str__(self) -> str:
        return self.assessment.explain()

    def explain(self, lang: str | None = None) -> str:
        """Why the step was refused: every unmet rule with its source, in ``lang``."""
        return self.assessment.explain(lang)


class UnknownThreshold(InnoprocError, LookupError):
    """No EEA threshold is known for the day asked for (it is before the first period known)."""

    def __init__(self, day: object, first: object) -> None:
        super().__init__(day, first)
        self.day = day
        self.first = first

    def __str__(self) -> str:
        return (
            f"no EEA threshold is known for {shown(self.day)}; the first known period "
            f"starts {self.first}"
        )


class UpgradeRefused(InnoprocError):
    """A case cannot be moved to another version of its procedure; nothing was changed.

    ``report`` lists what in the case does not fit the new version (``report.unmet``).
    """

    def __init__(self, report: UpgradeReport) -> None:
        super().__init__(report)
        self.report = report

    def __str__(self) -> str:
        return self.report.explain()

    def explain(self, lang: str | None = None) -> str:
        """Why the case cannot be moved, in ``lang``."""
        return self.report.explain(lang)


class CaseFormatError(InnoprocError, ValueError):
    """A serialised case could not be read; ``path`` is the JSON path of the problem."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message, path)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.message} (at {self.path})"

    def _reader_text(self) -> Text:
        from innoproc._text import Text

        return Text(
            "The stored case cannot be read: it is damaged or in a form this system does not "
            "know. Nothing was changed; the details are in the system's log."
        )


class InvalidParameter(InnoprocError, ValueError):
    """An argument or a simulation parameter has a value out of its range or of the wrong
    type (a probability above 1, a negative number of runs); ``argument`` names it.

    ``expected`` says what was expected (a ``Text``), ``value`` what was given.
    """

    def __init__(self, argument: str, value: object, expected: Text) -> None:
        super().__init__(argument, value, expected)
        self.argument = argument
        self.value = value
        self.expected = expected

    def __str__(self) -> str:
        return f"{self.argument!r} must be {self.expected.get('en')}, got {shown(self.value)}"


class UnknownParameter(InnoprocError, TypeError):
    """A scenario was given a parameter it does not have; ``known`` lists the valid ones."""

    def __init__(self, name: str, scenario: str, known: tuple[str, ...]) -> None:
        super().__init__(name, scenario, known)
        self.name = name
        self.scenario = scenario
        self.known = known

    def __str__(self) -> str:
        return (
            f"scenario {shown(self.scenario)} has no parameter {shown(self.name)}; "
            f"its parameters are: {', '.join(self.known) or 'none'}"
        )


class UnknownScenario(InnoprocError, LookupError):
    """No ready-made scenario has this id (a procedure, a scheme, or a scheme's application
    procedure); ``known`` lists the ids there are."""

    def __init__(self, scenario_id: str, known: tuple[str, ...]) -> None:
        super().__init__(scenario_id, known)
        self.scenario_id = scenario_id
        self.known = known

    def __str__(self) -> str:
        return f"no scenario {shown(self.scenario_id)}; known: {', '.join(self.known)}"


class MissingDependency(InnoprocError, ImportError):
    """An optional feature needs a package that is not installed; ``extra`` is the innoproc
    extra that installs it (``pip install 'innoproc[EXTRA]'``)."""

    def __init__(self, feature: str, package: str, extra: str) -> None:
        super().__init__(feature, package, extra)
        self.feature = feature
        self.package = package
        self.extra = extra

    def __str__(self) -> str:
        return (
            f"{self.feature} needs {self.package}, which is not installed: "
            f"pip install 'innoproc[{self.extra}]'"
        )


class NoticeFormatError(InnoprocError, ValueError):
    """An eForms notice could not be read: not XML, refused as unsafe, or not a notice.

    ``where`` says where the problem is: ``"line 3, column 7"`` for a parse error, or the
    XPath of the element concerned (as the eForms SDK writes it, for example
    ``/*/cbc:IssueDate``).
    """

    def __init__(self, message: str, where: str = "/*") -> None:
        super().__init__(message, where)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.message} (at {self.where})"


class UnsupportedNotice(InnoprocError, ValueError):
    """A notice was read, but cannot be used for what was asked (``reason`` says why)."""

    def __init__(self, notice_id: str, reason: str) -> None:
        super().__init__(notice_id, reason)
        self.notice_id = notice_id
        self.reason = reason

    def __str__(self) -> str:
        return f"notice {self.notice_id}: {self.reason}"


class CaseNotFound(InnoprocError, LookupError):
    """No case with this reference is stored."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference

    def __str__(self) -> str:
        return f"no case with reference {shown(self.reference)} is stored"

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text("There is no case {ref}.", ref=Plain(self.reference))


class DuplicateCase(InnoprocError, ValueError):
    """A case with this reference is already stored; nothing was written."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference

    def __str__(self) -> str:
        return (
            f"a case with reference {shown(self.reference)} is already stored; load that case, "
            "or give the new case another reference"
        )

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text(
            "There is already a case {ref}: open it, or give the new case another reference.",
            ref=Plain(self.reference),
        )


class DeletionRefused(InnoprocError):
    """The store's deletion rule does not allow deleting this case; nothing was deleted."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(reference, reason)
        self.reference = reference
        self.reason = reason

    def __str__(self) -> str:
        return f"case {shown(self.reference)} may not be deleted: {self.reason}"

    def _reader_text(self) -> Text:
        from innoproc._i18n import Plain
        from innoproc._text import Text

        return Text("Case {ref} may not be deleted.", ref=Plain(self.reference))


class SchemaVersionError(InnoprocError, RuntimeError):
    """The database's case store schema is missing, older or newer than this innoproc's.

    ``found`` is the database's schema version (``None`` when there is no schema),
    ``expected`` the version this innoproc uses.
    """

    def __init__(self, found: int | None, expected: int) -> None:
        super().__init__(found, expected)
        self.found = found
        self.expected = expected

    def __str__(self) -> str:
        if self.found is None:
            return (
                f"the database has no case store tables (expected schema version "
                f"{self.expected}); create the schema before using the store"
            )
        if self.found < self.expected:
            return (
                f"the case store schema is at version {self.found}, this innoproc needs "
                f"version {self.expected}; upgrade the schema before using the store"
            )
        return (
            f"the case store schema is at version {self.found}, newer than version "
            f"{self.expected} that this innoproc knows; upgrade innoproc"
        )


class Translatable(Protocol):
    """A text that can be given in a language (``innoproc.Text`` is one)."""

    def get(self, lang: str) -> str:  # pragma: no cover - a protocol
        """The text in ``lang``."""
        ...


class FormError(InnoprocError, ValueError):
    """Values posted by a form could not be read (``innoproc.forms.parse``); nothing was done.

    ``field`` names the first field at fault (its name in the payload) and ``value`` what was
    posted for it; ``message(lang)`` says, naming the field by its label in ``lang``, what was
    expected. ``errors`` holds one ``FormError`` per field at fault, this one first, so that a
    form can show every problem at once; ``str()`` gives them all in ``lang``, the language
    the form was read in.
    """

    def __init__(
        self,
        field: str,
        text: Translatable,
        value: object = None,
        lang: str = "en",
        others: tuple[FormError, ...] = (),
    ) -> None:
        super().__init__(field, text, value, lang, others)
        self.field = field
        self.value = value
        self.lang = lang
        self.text = text
        self.errors: tuple[FormError, ...] = (self, *others)

    def message(self, lang: str | None = None) -> str:
        """What is wrong with this field, in ``lang`` (the form's language when ``None``)."""
        return self.text.get(self.lang if lang is None else lang)

    def __str__(self) -> str:
        return "; ".join(error.message(self.lang) for error in self.errors)
