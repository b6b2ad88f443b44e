"""innoproc: public-sector innovation procurement procedures as explainable state machines.

Every step of a case checks its legal and organisational preconditions and, when it refuses,
names every unmet precondition with its code, a message in English, Norwegian bokmål or
nynorsk (``set_language``, or a ``lang`` argument wherever text is produced), and its legal or
programme source.

```pycon
>>> import innoproc
>>> case = innoproc.open_case("innovation-partnership", reference="2024/17",
...                           authority="Stavanger kommune")
>>> print(", ".join(a.event for a in case.available()))
start-market-dialogue, publish-notice, cancel

```
"""

from typing import TYPE_CHECKING, Any

from innoproc import deadlines, rules, thresholds
from innoproc._api import open_case, open_follow_on
from innoproc._engine.assessment import Advice, Assessment, Finding, Shortfall
from innoproc._engine.case import Case
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord, UpgradeRecord
from innoproc._engine.upgrade import UpgradeReport
from innoproc._errors import (
    CaseFormatError,
    CaseNotFound,
    ChronologyError,
    ConcurrencyConflict,
    DeletionRefused,
    DuplicateCase,
    FormError,
    InnoprocError,
    InvalidArgument,
    InvalidDefinition,
    InvalidParameter,
    InvalidPayload,
    MissingDependency,
    NaiveDatetimeError,
    NoticeFormatError,
    PreconditionFailed,
    SchemaVersionError,
    StepRefused,
    TransitionNotAllowed,
    UnknownEvent,
    UnknownFact,
    UnknownLanguage,
    UnknownParameter,
    UnknownProcedure,
    UnknownScenario,
    UnknownScheme,
    UnknownThreshold,
    UnsupportedNotice,
    UpgradeRefused,
)
from innoproc._i18n import add_catalogues, language, languages, set_language
from innoproc._procedures import procedure, procedure_versions, procedures
from innoproc._procedures.pcp import pre_commercial_procurement
from innoproc._procedures.triple_diamond import triple_diamond
from innoproc._storage import FORMAT_VERSION, dumps, json_schema, loads
from innoproc._text import LANGUAGES, Source, Text
from innoproc._time import OSLO
from innoproc._version import __version__
from innoproc.deadlines import DateParseError

# What analysts, auditors and test writers use is imported on first use, so that
# ``import innoproc`` stays fast for a host system that only loads and advances cases.
_LAZY: dict[str, str] = {
    "AuditReport": "innoproc._audit",
    "Violation": "innoproc._audit",
    "audit": "innoproc._audit",
    "Diagram": "innoproc._diagram",
    "Edge": "innoproc._diagram",
    "Node": "innoproc._diagram",
    "diagram": "innoproc._diagram",
    "ApplicationResult": "innoproc._call",
    "CallResult": "innoproc._call",
    "CallRun": "innoproc._call",
    "CallScenario": "innoproc._call",
    "eforms": "innoproc.eforms",
    "eforms_procedure_type": "innoproc._ocds",
    "forms": "innoproc.forms",
    "to_ocds": "innoproc._ocds",
    "Due": "innoproc._portfolio",
    "Portfolio": "innoproc._portfolio",
    "open_application": "innoproc._portfolio",
    "open_project_case": "innoproc._portfolio",
    "scheme_of": "innoproc._portfolio",
    "schemes": "innoproc._schemes",
    "municipal_innovation_fund": "innoproc._schemes.internal_fund",
    "APPLICANT_KINDS": "innoproc._schemes.model",
    "Criterion": "innoproc._schemes.model",
    "Deliverable": "innoproc._schemes.model",
    "Eligibility": "innoproc._schemes.model",
    "FollowUp": "innoproc._schemes.model",
    "Round": "innoproc._schemes.model",
    "Scheme": "innoproc._schemes.model",
    "RunResult": "innoproc._simulate",
    "Scenario": "innoproc._simulate",
    "Sim": "innoproc._simulate",
    "SimulationResult": "innoproc._simulate",
    "simulate": "innoproc._simulate",
    "plots": "innoproc.plots",
    "scenarios": "innoproc.scenarios",
    "store": "innoproc.store",
    "testing": "innoproc.testing",
    "Clock": "innoproc.testing",
    "TimeLimit": "innoproc._time_limits",
    "time_limits": "innoproc._time_limits",
}

if TYPE_CHECKING:  # pragma: no cover - what the lazy names are, for type checkers
    from innoproc import eforms, forms, plots, scenarios, testing
    from innoproc import store as store  # not in __all__: an optional extra
    from innoproc._audit import AuditReport, Violation, audit
    from innoproc._call import ApplicationResult, CallResult, CallRun, CallScenario
    from innoproc._diagram import Diagram, Edge, Node, diagram
    from innoproc._ocds import eforms_procedure_type, to_ocds
    from innoproc._portfolio import Due, Portfolio, open_application, open_project_case, scheme_of
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
    from innoproc._time_limits import TimeLimit, time_limits
    from innoproc.testing import Clock


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'innoproc' has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module)
    value = loaded if module == f"innoproc.{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# ``innoproc.store`` is reachable as an attribute (lazily) but not star-exported: it needs the
# optional 'store' extra, and ``from innoproc import *`` must work without it.
__all__ = [
    "APPLICANT_KINDS",
    "FORMAT_VERSION",
    "LANGUAGES",
    "OSLO",
    "Advice",
    "ApplicationResult",
    "Assessment",
    "AuditReport",
    "CallResult",
    "CallRun",
    "CallScenario",
    "Case",
    "CaseFormatError",
    "CaseNotFound",
    "ChronologyError",
    "Clock",
    "ConcurrencyConflict",
    "Context",
    "Criterion",
    "DateParseError",
    "DeletionRefused",
    "Deliverable",
    "Diagram",
    "Due",
    "DuplicateCase",
    "Edge",
    "Eligibility",
    "Event",
    "FactRecord",
    "FactType",
    "Field",
    "Finding",
    "FollowUp",
    "FormError",
    "HistoryEntry",
    "InnoprocError",
    "InvalidArgument",
    "InvalidDefinition",
    "InvalidParameter",
    "InvalidPayload",
    "MissingDependency",
    "NaiveDatetimeError",
    "Node",
    "NoticeFormatError",
    "Portfolio",
    "Precondition",
    "PreconditionFailed",
    "Procedure",
    "Round",
    "RunResult",
    "Scenario",
    "SchemaVersionError",
    "Scheme",
    "Shortfall",
    "Sim",
    "SimulationResult",
    "Source",
    "State",
    "StepRecord",
    "StepRefused",
    "Text",
    "TimeLimit",
    "TransitionNotAllowed",
    "UnknownEvent",
    "UnknownFact",
    "UnknownLanguage",
    "UnknownParameter",
    "UnknownProcedure",
    "UnknownScenario",
    "UnknownScheme",
    "UnknownThreshold",
    "UnsupportedNotice",
    "UpgradeRecord",
    "UpgradeRefused",
    "UpgradeReport",
    "Violation",
    "__version__",
    "add_catalogues",
    "audit",
    "deadlines",
    "diagram",
    "dumps",
    "eforms",
    "eforms_procedure_type",
    "forms",
    "json_schema",
    "language",
    "languages",
    "loads",
    "municipal_innovation_fund",
    "open_application",
    "open_case",
    "open_follow_on",
    "open_project_case",
    "plots",
    "pre_commercial_procurement",
    "procedure",
    "procedure_versions",
    "procedures",
    "rules",
    "scenarios",
    "scheme_of",
    "schemes",
    "set_language",
    "simulate",
    "testing",
    "thresholds",
    "time_limits",
    "to_ocds",
    "triple_diamond",
]
