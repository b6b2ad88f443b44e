"""Opening cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._errors import UnknownFact, UnknownProcedure, _require
from innoproc._procedures import procedures


def open_case(
    procedure_id: str | Procedure, *, reference: str, authority: str, **details: Any
) -> Case:
    """Open a new case of a procedure, in the procedure's initial state with an empty history.

    ``procedure_id`` is a key of ``innoproc.procedures`` or a ``Procedure`` of your
    own. ``reference`` is your case number, ``authority`` the contracting authority, and
    ``details`` any descriptive JSON data (title, estimated value...) kept with the case.

    ```pycon
    >>> import innoproc
    >>> case = innoproc.open_case("innovation-partnership", reference="2024/17",
    ...                           authority="Stavanger kommune", title="Smart home care")
    >>> case.state
    'needs'
    >>> case.details["title"]
    'Smart home care'

    ```
    """
    if isinstance(procedure_id, Procedure):
        procedure = procedure_id
    else:
        known = procedures()
        found = known.get(procedure_id)
        if found is None:
            raise UnknownProcedure(procedure_id, tuple(known))
        procedure = found
    return Case(procedure, reference=reference, authority=authority, details=details)


def open_follow_on(
    case: Case,
    procedure_id: str | Procedure = "innovation-partnership",
    *,
    reference: str,
    at: datetime,
    by: str,
    authority: str | None = None,
    **details: Any,
) -> Case:
    """Open the separate procurement that buys what a case developed, linked both ways.

    A pre-commercial procurement never buys commercial volumes: they are bought in a
    separate procurement, such as an innovation partnership or an ordinary tender
    (COM(2007) 799). This opens that case, with ``details['related_processes']`` naming the
    earlier case, and records the fact ``follow-on-procurement`` on the earlier case. The
    earlier case's procedure must declare that fact (the built-in PCP does).

    ```pycon
    >>> from datetime import datetime
    >>> import innoproc
    >>> pcp = innoproc.open_case("pre-commercial-procurement", reference="PCP-1",
    ...                          authority="Helse Vest")
    >>> at = datetime(2026, 1, 5, 9, 0, tzinfo=innoproc.OSLO)
    >>> ppi = innoproc.open_follow_on(pcp, reference="IP-7", at=at, by="Buyer")
    >>> links = ppi.details["related_processes"]
    >>> print(next(link["reference"] for link in links))
    PCP-1
    >>> pcp.facts["follow-on-procurement"].get("reference")
    'IP-7'

    ```
    """
    _require(case, Case, "case")
    fact = case.procedure.facts.get("follow-on-procurement")
    if fact is None:
        raise UnknownFact("follow-on-procurement", case.procedure_id, tuple(case.procedure.facts))
    related = {
        "relationship": "planning",
        "procedure": case.procedure_id,
        "reference": case.reference,
    }
    follow_on = open_case(
        procedure_id,
        reference=reference,
        authority=authority if authority is not None else case.authority,
        **{**details, "related_processes": [related, *details.get("related_processes", ())]},
    )
    case.record(
        "follow-on-procurement",
        at=at,
        by=by,
        procedure=follow_on.procedure_id,
        reference=follow_on.reference,
    )
    return follow_on
