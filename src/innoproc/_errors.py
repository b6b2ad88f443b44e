"""The exception hierarchy of innoproc: every error derives from ``InnoprocError``.

Each exception also subclasses the builtin it resembles (``ValueError``, ``LookupError``), so
code that already catches those keeps working. Messages say what was expected and what was
received; the objects involved are kept as attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.assessment import Assessment, Finding


class InnoprocError(Exception):
    """Root of every error raised by innoproc."""


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
    """No procedure with this id is known (neither built in nor passed by the caller)."""

    def __init__(self, procedure_id: str, known: tuple[str, ...]) -> None:
        super().__init__(procedure_id, known)
        self.procedure_id = procedure_id
        self.known = known

    def __str__(self) -> str:
        return f"unknown procedure {self.procedure_id!r}; known: {', '.join(self.known) or 'none'}"


class UnknownScheme(InnoprocError, LookupError):
    """No funding scheme with this id is known, or a case is not an application."""

    def __init__(self, scheme_id: str, known: tuple[str, ...]) -> None:
        super().__init__(scheme_id, known)
        self.scheme_id = scheme_id
        self.known = known

    def __str__(self) -> str:
        return f"unknown scheme {self.scheme_id}; known: {', '.join(self.known) or 'none'}"


class UnknownEvent(InnoprocError, LookupError):
    """The procedure declares no event with this name."""

    def __init__(self, event: str, procedure_id: str, known: tuple[str, ...]) -> None:
        super().__init__(event, procedure_id, known)
        self.event = event
        self.procedure_id = procedure_id
        self.known = known

    def __str__(self) -> str:
        return (
            f"procedure {self.procedure_id!r} has no event {self.event!r}; "
            f"its events are: {', '.join(self.known)}"
        )


class UnknownFact(InnoprocError, LookupError):
    """The procedure declares no fact with this name, so it cannot be recorded."""

    def __init__(self, fact: str, procedure_id: str, known: tuple[str, ...]) -> None:
        super().__init__(fact, procedure_id, known)
        self.fact = fact
        self.procedure_id = procedure_id
        self.known = known

    def __str__(self) -> str:
        return (
            f"procedure {self.procedure_id!r} has no fact {self.fact!r}; "
            f"its facts are: {', '.join(self.known)}"
        )


class UnknownLanguage(InnoprocError, LookupError):
    """A message was asked for in a language innoproc has no text for."""

    def __init__(self, lang: str, known: tuple[str, ...]) -> None:
        super().__init__(lang, known)
        self.lang = lang
        self.known = known

    def __str__(self) -> str:
        return f"no texts in language {self.lang!r}; available: {', '.join(self.known)}"


class InvalidPayload(InnoprocError, ValueError):
    """An event's or fact's payload (or a case's details) has an unknown key or a wrong type."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, field)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class NaiveDatetimeError(InnoprocError, ValueError):
    """A datetime without a time zone was given; ``argument`` names where it was passed."""

    def __init__(self, argument: str, value: object) -> None:
        super().__init__(argument, value)
        self.argument = argument
        self.value = value

    def __str__(self) -> str:
        return (
            f"{self.argument!r} must be a timezone-aware datetime "
            f"(for example with tzinfo=ZoneInfo('Europe/Oslo')), got naive {self.value!r}"
        )


class ChronologyError(InnoprocError, ValueError):
    """A history entry would be dated before the last entry of the case."""

    def __init__(self, at: object, last: object) -> None:
        super().__init__(at, last)
        self.at = at
        self.last = last

    def __str__(self) -> str:
        return (
            f"'at' ({self.at}) is earlier than the last entry of the case's history "
            f"({self.last}); history is kept in time order"
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
            f"case {self.reference!r} is at revision {self.actual}, not {self.expected} as "
            "expected: it was changed by someone else; reload it and try again"
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


class CaseFormatError(InnoprocError, ValueError):
    """A serialised case could not be read; ``path`` is the JSON path of the problem."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message, path)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.message} (at {self.path})"


class CaseNotFound(InnoprocError, LookupError):
    """No case with this reference is stored."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference

    def __str__(self) -> str:
        return f"no case with reference {self.reference!r} is stored"


class DuplicateCase(InnoprocError, ValueError):
    """A case with this reference is already stored; nothing was written."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference

    def __str__(self) -> str:
        return (
            f"a case with reference {self.reference!r} is already stored; load that case, "
            "or give the new case another reference"
        )


class DeletionRefused(InnoprocError):
    """The store's deletion rule does not allow deleting this case; nothing was deleted."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(reference, reason)
        self.reference = reference
        self.reason = reason

    def __str__(self) -> str:
        return f"case {self.reference!r} may not be deleted: {self.reason}"


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
