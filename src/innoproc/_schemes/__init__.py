"""The registry of built-in funding schemes: one module each, registered here once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from innoproc._schemes.innovation_norway import PARTNERSHIP_CALL_2020, SKETCH_COMPETITION_2017
from innoproc._schemes.internal_fund import MUNICIPAL_INNOVATION_FUND
from innoproc._schemes.model import Scheme
from innoproc._schemes.stimulab import STIMULAB_2018

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.declare import Procedure

_BUILTIN: Mapping[str, Scheme] = MappingProxyType(
    {
        s.id: s
        for s in (
            STIMULAB_2018,
            SKETCH_COMPETITION_2017,
            PARTNERSHIP_CALL_2020,
            MUNICIPAL_INNOVATION_FUND,
        )
    }
)


def schemes() -> Mapping[str, Scheme]:
    """The built-in funding schemes by id (read-only).

    ```pycon
    >>> import innoproc
    >>> sorted(innoproc.schemes())
    ['innovation-norway-partnership-2020', 'innovation-norway-sketch-2017',
     'municipal-innovation-fund', 'stimulab-2018']

    ```
    """
    return _BUILTIN


def application_versions(procedure_id: str) -> tuple[Procedure, ...]:
    """Every released version of a built-in scheme's application procedure, oldest first
    (empty when ``procedure_id`` is not one)."""
    return tuple(s.application for s in _BUILTIN.values() if s.application.id == procedure_id)
