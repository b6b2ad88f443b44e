"""The registry of built-in procedures: one module each, registered here once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from innoproc._engine.declare import Procedure
from innoproc._procedures.innovation_partnership import INNOVATION_PARTNERSHIP
from innoproc._procedures.pcp import PRE_COMMERCIAL_PROCUREMENT
from innoproc._procedures.triple_diamond import TRIPLE_DIAMOND

_BUILTIN: Mapping[str, Procedure] = MappingProxyType(
    {p.id: p for p in (INNOVATION_PARTNERSHIP, PRE_COMMERCIAL_PROCUREMENT, TRIPLE_DIAMOND)}
)


def procedures() -> Mapping[str, Procedure]:
    """The built-in procedures by id (read-only).

    ```pycon
    >>> import innoproc
    >>> sorted(innoproc.procedures())
    ['innovation-partnership', 'pre-commercial-procurement', 'triple-diamond']

    ```
    """
    return _BUILTIN
