"""Applications to funding schemes, portfolios of them, and the link to procedure cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

from innoproc import _limits
from innoproc._api import open_case
from innoproc._engine.assessment import Assessment, Finding
from innoproc._engine.case import Case
from innoproc._engine.history import StepRecord
from innoproc._errors import (
    InvalidArgument,
    InvalidPayload,
    MissingDependency,
    PreconditionFailed,
    TransitionNotAllowed,
    UnknownProcedure,
    UnknownScheme,
    _require,
    shown,
)
from innoproc._schemes import schemes
from innoproc._schemes.model import Scheme
from innoproc._text import Text
from innoproc._time_limits import funded_schedule


def _scheme(scheme: str | Scheme) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    found = schemes().get(scheme)
    if found is None:
        raise UnknownScheme(scheme, tuple(schemes()))
    return found


def scheme_of(application: Case) -> Scheme:
    """The scheme an application case belongs to."""
    _require(application, Case, "application")
    origin = application.procedure.origin
    if not isinstance(origin, Scheme):
        raise UnknownScheme(f"(case {application.reference!r} is not an application)", ())
    return origin


def open_application(
    scheme: str | Scheme,
    *,
    reference: str,
    applicant: str,
    kind: str,
    at: datetime,
    by: str,
    round: str | None = None,
    publicly_funded: bool | None = None,
    public_tasks: bool | None = None,
    procurement_rules: bool | None = None,
    amount_sought: Decimal | int | None = None,
    title: str | None = None,
    **details: Any,
) -> Case:
    """Open an application to ``scheme`` (an id of ``innoproc.schemes`` or your own).

    The applicant's particulars are recorded as the fact ``application`` at ``at`` (they are
    what eligibility is judged on); ``details`` are kept with the case. The application
    starts as a draft: ``apply("submit", ...)`` checks the round's deadline.

    ```pycon
    >>> from datetime import datetime
    >>> import innoproc
    >>> app = innoproc.open_application(
    ...     "innovation-norway-partnership-2020", reference="IN-17", applicant="Bodø kommune",
    ...     kind="municipality", publicly_funded=True, public_tasks=True,
    ...     procurement_rules=True, at=datetime(2020, 4, 1, tzinfo=innoproc.OSLO), by="Clerk")
    >>> app.state, app.procedure_id
    ('draft', 'innovation-norway-partnership-2020-application')

    ```
    """
    chosen = _scheme(scheme)
    the_round = chosen.round(round)
    case = open_case(
        chosen.application,
        reference=reference,
        authority=chosen.owners[0],
        **{"scheme": chosen.id, **details},
    )
    fields: dict[str, Any] = {"round": the_round.name, "applicant": applicant, "kind": kind}
    optional = {
        "publicly_funded": publicly_funded,
        "public_tasks": public_tasks,
        "procurement_rules": procurement_rules,
        "amount_sought": amount_sought,
        "title": title,
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    case.record("application", at=at, by=by, **fields)
    return case


def open_project_case(
    application: Case,
    *,
    reference: str,
    at: datetime,
    by: str,
    procedure_id: str | None = None,
    authority: str | None = None,
    **details: Any,
) -> Case:
    """Open the procedure case of a funded application and link the two.

    The procedure is the scheme's ``leads_to`` (a #StimuLab grant leads to a triple-diamond
    case, an Innovation Norway grant to an innovation partnership) unless ``procedure_id``
    is given. The new case names the application in ``details["funding"]``; the application
    records the fact ``procedure-case``. Refused unless the application has been funded.
    """
    _require(application, Case, "application")
    scheme = scheme_of(application)
    target = procedure_id or scheme.leads_to
    if target is None:
        raise UnknownProcedure(f"(scheme {scheme.id!r} leads to no procedure)", ())
    funded = [s for s in application.history if isinstance(s, StepRecord) and s.event == "fund"]
    if not funded:
        assessment = Assessment(
            application.procedure_id,
            "open-project-case",
            application.state,
            False,
            None,
            ("following-up", "closed"),
        )
        raise TransitionNotAllowed(assessment)
    applicant = application.facts["application"].get("applicant")
    case = open_case(
        target,
        reference=reference,
        authority=authority or str(applicant),
        **{
            "funding": {
                "scheme": scheme.id,
                "application": application.reference,
                "amount": str(funded[-1].payload["amount"]),
            },
            **details,
        },
    )
    application.record("procedure-case", at=at, by=by, procedure=target, reference=reference)
    return case


# -- portfolios --------------------------------------------------------------------------------


@attrs.frozen
class Due:
    """A follow-up meeting or deliverable of a funded application, with its due instant."""

    application: str
    kind: str
    code: str
    title: Text
    due: datetime
    done: bool


_BUDGET_RULE = Text("A grant may not exceed what is left of the call's budget.")


class Portfolio:
    """One call's applications as one object an analyst can query.

    ``budget`` overrides the budget of the round or scheme (for a call simulated with
    another budget than the source's).

    ```pycon
    >>> import innoproc
    >>> p = innoproc.Portfolio("municipal-innovation-fund")
    >>> p.budget, p.budget_used, p.budget_left
    (Decimal('2000000'), Decimal('0'), Decimal('2000000'))

    ```
    """

    def __init__(
        self,
        scheme: str | Scheme,
        applications: Iterable[Case] = (),
        *,
        round: str | None = None,
        budget: Decimal | int | None = None,
    ) -> None:
        self.scheme = _scheme(scheme)
        self.round = self.scheme.round(round)
        if budget is not None and (
            isinstance(budget, bool) or not isinstance(budget, (int, Decimal)) or budget < 0
        ):
            raise InvalidPayload(
                f"'budget' must be an amount in NOK (an int or Decimal, at least 0), "
                f"got {shown(budget)}",
                "budget",
            )
        self._budget = None if budget is None else Decimal(budget)
        self._applications: dict[str, Case] = {}
        for app in applications:
            self.add(app)

    def add(self, application: Case) -> None:
        """Add an application of this scheme (its reference must be new to the portfolio)."""
        _require(application, Case, "application")
        if application.procedure is not self.scheme.application:
            raise InvalidPayload(
                f"application {application.reference!r} follows "
                f"{application.procedure_id!r}, not {self.scheme.application.id!r}",
                "application",
            )
        if application.reference in self._applications:
            raise InvalidPayload(
                f"application {application.reference!r} is already in the portfolio",
                "application",
            )
        self._applications[application.reference] = application

    @property
    def applications(self) -> tuple[Case, ...]:
        """The applications, in the order they were added."""
        return tuple(self._applications.values())

    def __len__(self) -> int:
        return len(self._applications)

    def __getitem__(self, reference: str) -> Case:
        return self._applications[reference]

    # -- money ---------------------------------------------------------------------------

    @property
    def budget(self) -> Decimal | None:
        """The budget given to the portfolio, else the round's, else the scheme's (``None``
        where the source gives none)."""
        if self._budget is not None:
            return self._budget
        return self.round.budget if self.round.budget is not None else self.scheme.budget

    @staticmethod
    def granted(application: Case) -> Decimal:
        """The amount granted to an application (0 if not funded)."""
        total = Decimal(0)
        for entry in application.history:
            if isinstance(entry, StepRecord) and entry.event == "fund":
                total += entry.payload["amount"]
        return total

    @property
    def budget_used(self) -> Decimal:
        """The sum of the grants made."""
        return sum((self.granted(a) for a in self.applications), Decimal(0))

    @property
    def budget_left(self) -> Decimal | None:
        """What is left of the budget (``None`` without a budget)."""
        return None if self.budget is None else self.budget - self.budget_used

    def fund(
        self,
        application: Case,
        amount: Decimal | int,
        *,
        at: datetime,
        by: str,
        project_end: Any = None,
    ) -> StepRecord:
        """Fund an application, refusing a grant larger than the budget left.

        A grant over the budget raises ``PreconditionFailed`` with the finding
        ``budget-available``; everything else is the application's own ``fund`` step.
        """
        amount = _limits.amount(amount, "amount")  # checked before any arithmetic
        left = self.budget_left
        if left is not None and Decimal(amount) > left:
            finding = Finding(
                "budget-available",
                _BUDGET_RULE,
                self.scheme.source,
                Text("{value} asked, {left} left.", value=Decimal(amount), left=left),
                {"amount": Decimal(amount), "left": left},
            )
            raise PreconditionFailed(
                Assessment(
                    application.procedure_id,
                    "fund",
                    application.state,
                    True,
                    "following-up",
                    ("assessed", "deferred"),
                    unmet=(finding,),
                )
            )
        payload: dict[str, Any] = {"amount": amount}
        if project_end is not None:
            payload["project_end"] = project_end
        return application.apply("fund", at=at, by=by, **payload)

    # -- counting -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many applications are in each state, in the procedure's order of states."""
        found = Counter(a.state for a in self.applications)
        return {s: found[s] for s in self.scheme.application.states if found[s]}

    def outcomes(self) -> dict[str, int]:
        """How many closed projects ended with each outcome (finished, continued, dropped)."""
        found = Counter(
            str(e.payload["outcome"])
            for a in self.applications
            for e in a.history
            if isinstance(e, StepRecord) and e.event == "close"
        )
        return dict(found)

    def score(self, application: Case) -> int | None:
        """The weighed score of an assessed application (``None`` before assessment)."""
        record = application.facts.get("criteria-assessment")
        if record is None:
            return None
        return self.scheme.score(dict(record.payload))

    def ranking(self) -> list[tuple[Case, int]]:
        """Assessed applications by weighed score, best first (ties by reference)."""
        scored = [(a, self.score(a)) for a in self.applications if a.state == "assessed"]
        ranked = [(a, s) for a, s in scored if s is not None]
        return sorted(ranked, key=lambda pair: (-pair[1], pair[0].reference))

    # -- follow-up -------------------------------------------------------------------------

    def schedule(self, application: Case) -> list[Due]:
        """The follow-ups and deliverables of a funded application, with due instants."""
        return [
            Due(t.reference, t.kind, t.code, t.title, t.due, t.done)
            for t in funded_schedule(self.scheme, application.reference, application.history)
        ]

    def _open_items(self) -> list[Due]:
        return [
            item
            for a in self.applications
            if a.state == "following-up"
            for item in self.schedule(a)
            if not item.done
        ]

    def upcoming(self, at: datetime, within: timedelta = timedelta(days=30)) -> list[Due]:
        """Follow-ups and deliverables not yet done that fall due within ``within`` of ``at``.

        ``at`` must be an aware datetime (``NaiveDatetimeError`` otherwise, also when the
        portfolio is empty) and ``within`` a ``timedelta`` of at least zero.
        """
        when = _limits.instant(at, "at")
        if not isinstance(within, timedelta) or within < timedelta(0):
            raise InvalidArgument(
                f"'within' must be a timedelta of at least zero, got {shown(within)}", "within"
            )
        try:
            until = when + within
        except OverflowError:
            until = datetime.max.replace(tzinfo=timezone.utc)
        return [i for i in self._open_items() if when <= i.due <= until]

    def overdue(self, at: datetime) -> list[Due]:
        """Follow-ups and deliverables not done whose due instant has passed at ``at`` (an
        aware datetime: ``NaiveDatetimeError`` otherwise, also when the portfolio is empty)."""
        when = _limits.instant(at, "at")
        return [i for i in self._open_items() if i.due < when]

    # -- tables ----------------------------------------------------------------------------

    def table(self) -> list[dict[str, Any]]:
        """One plain record per application: reference, applicant, state, score, grant."""
        rows = []
        for a in self.applications:
            app = a.facts.get("application")
            rows.append(
                {
                    "reference": a.reference,
                    "applicant": app.get("applicant") if app else None,
                    "kind": app.get("kind") if app else None,
                    "state": a.state,
                    "score": self.score(a),
                    "granted": self.granted(a),
                }
            )
        return rows

    def to_dataframe(self) -> Any:
        """The ``table`` as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency("Portfolio.to_dataframe", "pandas", "pandas") from None
        return pd.DataFrame(self.table())

    def __repr__(self) -> str:
        return (
            f"<Portfolio {self.scheme.id} round {self.round.name}: {len(self)} applications, "
            f"{self.counts()}>"
        )


def application_procedures() -> Mapping[str, Any]:
    """The application procedures of the built-in schemes, by procedure id."""
    return {s.application.id: s.application for s in schemes().values()}
