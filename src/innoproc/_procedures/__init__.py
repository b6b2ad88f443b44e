"""The registry of built-in procedures: one module each, every released version kept.

A case is judged by the version of its procedure it was opened under, so every version ever
released stays here, frozen; ``procedures()`` gives the latest of each.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from innoproc._engine.declare import Procedure
from innoproc._errors import InvalidArgument, UnknownProcedure, _named, shown
from innoproc._procedures.innovation_partnership import (
    INNOVATION_PARTNERSHIP,
    INNOVATION_PARTNERSHIP_V1,
)
from innoproc._procedures.pcp import PRE_COMMERCIAL_PROCUREMENT, PRE_COMMERCIAL_PROCUREMENT_V1
from innoproc._procedures.triple_diamond import TRIPLE_DIAMOND, TRIPLE_DIAMOND_V1

_VERSIONS: Mapping[str, tuple[Procedure, ...]] = MappingProxyType(
    {
        p[0].id: p
        for p in (
            (INNOVATION_PARTNERSHIP_V1, INNOVATION_PARTNERSHIP),
            (PRE_COMMERCIAL_PROCUREMENT_V1, PRE_COMMERCIAL_PROCUREMENT),
            (TRIPLE_DIAMOND_V1, TRIPLE_DIAMOND),
        )
    }
)
_LATEST: Mapping[str, Procedure] = MappingProxyType({k: v[-1] for k, v in _VERSIONS.items()})


def procedures() -> Mapping[str, Procedure]:
    """The built-in procedures by id, each in its latest version (read-only).

    ```pycon
    >>> import innoproc
    >>> sorted(innoproc.procedures())
    ['innovation-partnership', 'pre-commercial-procurement', 'triple-diamond']
    >>> innoproc.procedures()["innovation-partnership"].version
    2

    ```
    """
    return _LATEST


def procedure_versions(procedure_id: str) -> tuple[Procedure, ...]:
    """Every released version of a built-in procedure, oldest first.

    ```pycon
    >>> import innoproc
    >>> for p in innoproc.procedure_versions("innovation-partnership"):
    ...     print(p.version, p.released)
    1 2026-11-25
    2 2026-11-27

    ```
    """
    found = _VERSIONS.get(procedure_id) if isinstance(procedure_id, str) else None
    if found is None:
        raise UnknownProcedure(_named(procedure_id), tuple(_VERSIONS))
    return found


def procedure(procedure_id: str, version: int | None = None) -> Procedure:
    """A built-in procedure by id, in ``version`` (the latest when ``None``)."""
    versions = procedure_versions(procedure_id)
    if version is None:
        return versions[-1]
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidArgument(f"'version' must be an int, got {shown(version)}", "version")
    for p in versions:
        if p.version == version:
            return p
    raise UnknownProcedure(procedure_id, tuple(str(p.version) for p in versions), version)


def find_version(procedure_id: str, version: int | None = None) -> Procedure | None:
    """A built-in procedure, or the application procedure of a built-in scheme, by id and
    version (the latest when ``None``); ``None`` if there is none."""
    versions = _VERSIONS.get(procedure_id)
    if versions is None:
        from innoproc._schemes import application_versions

        versions = application_versions(procedure_id)
    if not versions:
        return None
    if version is None:
        return versions[-1]
    return next((p for p in versions if p.version == version), None)
