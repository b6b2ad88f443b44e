"""innoproc: public-sector innovation procurement procedures as explainable state machines.

Every step of a case checks its legal and organisational preconditions and, when it refuses,
names every unmet precondition with its code, a message in English or Norwegian bokmål, and
its legal or programme source.

>>> import innoproc
>>> case = innoproc.open_case("innovation-partnership", reference="2024/17",
...                           authority="Stavanger kommune")
>>> print(", ".join(a.event for a in case.available()))
start-market-dialogue, cancel
"""

from innoproc import deadlines, rules, scenarios, testing
from innoproc._api import open_case, open_follow_on
from innoproc._audit import AuditReport, Violation, audit
from innoproc._diagram import Diagram, Edge, Node, diagram
from innoproc._engine.assessment import Assessment, Finding, Shortfall
from innoproc._engine.case import Case
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord
from innoproc._errors import (
    CaseFormatError,
    ChronologyError,
    ConcurrencyConflict,
    InnoprocError,
    InvalidDefinition,
    InvalidPayload,
    NaiveDatetimeError,
    PreconditionFailed,
    StepRefused,
    TransitionNotAllowed,
    UnknownEvent,
    UnknownFact,
    UnknownLanguage,
    UnknownProcedure,
    UnknownScheme,
)
from innoproc._ocds import eforms_procedure_type, to_ocds
from innoproc._portfolio import Due, Portfolio, open_application, open_project_case, scheme_of
from innoproc._procedures import procedures
from innoproc._procedures.pcp import pre_commercial_procurement
from innoproc._schemes import schemes
from innoproc._schemes.internal_fund import municipal_innovation_fund
from innoproc._schemes.model import (
    APPLICANT_KINDS,
    Criterion,
    Deliverable,
    Eligibility,
    FollowUp,
    Round,
    Scheme,
)
from innoproc._simulate import RunResult, Scenario, Sim, SimulationResult, simulate
from innoproc._storage import FORMAT_VERSION, dumps, json_schema, loads
from innoproc._text import LANGUAGES, Source, Text
from innoproc._time import OSLO
from innoproc._version import __version__
from innoproc.deadlines import DateParseError

__all__ = [
    "APPLICANT_KINDS",
    "FORMAT_VERSION",
    "LANGUAGES",
    "OSLO",
    "Assessment",
    "AuditReport",
    "Case",
    "CaseFormatError",
    "ChronologyError",
    "ConcurrencyConflict",
    "Context",
    "Criterion",
    "DateParseError",
    "Deliverable",
    "Diagram",
    "Due",
    "Edge",
    "Eligibility",
    "Event",
    "FactRecord",
    "FactType",
    "Field",
    "Finding",
    "FollowUp",
    "HistoryEntry",
    "InnoprocError",
    "InvalidDefinition",
    "InvalidPayload",
    "NaiveDatetimeError",
    "Node",
    "Portfolio",
    "Precondition",
    "PreconditionFailed",
    "Procedure",
    "Round",
    "RunResult",
    "Scenario",
    "Scheme",
    "Shortfall",
    "Sim",
    "SimulationResult",
    "Source",
    "State",
    "StepRecord",
    "StepRefused",
    "Text",
    "TransitionNotAllowed",
    "UnknownEvent",
    "UnknownFact",
    "UnknownLanguage",
    "UnknownProcedure",
    "UnknownScheme",
    "Violation",
    "__version__",
    "audit",
    "deadlines",
    "diagram",
    "dumps",
    "eforms_procedure_type",
    "json_schema",
    "loads",
    "municipal_innovation_fund",
    "open_application",
    "open_case",
    "open_follow_on",
    "open_project_case",
    "pre_commercial_procurement",
    "procedures",
    "rules",
    "scenarios",
    "scheme_of",
    "schemes",
    "simulate",
    "testing",
    "to_ocds",
]
