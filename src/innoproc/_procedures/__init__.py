"""The registry of built-in procedures: one module each, registered here once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from innoproc._engine.declare import Procedure
from innoproc._procedures.innovation_partnership import INNOVATION_PARTNERSHIP

_BUILTIN: Mapping[str, Procedure] = MappingProxyType({p.id: p for p in (INNOVATION_PARTNERSHIP,)})


def procedures() -> Mapping[str, Procedure]:
    """The built-in procedures by id (read-only).

    >>> import innoproc
    >>> sorted(innoproc.procedures())
    ['innovation-partnership']
    """
    return _BUILTIN
