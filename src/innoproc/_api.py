"""Opening cases."""

from __future__ import annotations

from typing import Any

from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._errors import UnknownProcedure
from innoproc._procedures import procedures


def open_case(
    procedure_id: str | Procedure, *, reference: str, authority: str, **details: Any
) -> Case:
    """Open a new case of a procedure, in the procedure's initial state with an empty history.

    ``procedure_id`` is a key of :func:`innoproc.procedures` or a :class:`Procedure` of your
    own. ``reference`` is your case number, ``authority`` the contracting authority, and
    ``details`` any descriptive JSON data (title, estimated value...) kept with the case.

    >>> import innoproc
    >>> case = innoproc.open_case("innovation-partnership", reference="2024/17",
    ...                           authority="Stavanger kommune", title="Smart home care")
    >>> case.state
    'needs'
    >>> case.details["title"]
    'Smart home care'
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
