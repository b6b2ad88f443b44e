"""Diagrams of procedures and cases: one small intermediate model, rendered by each backend.

``diagram`` extracts a ``Diagram`` (nodes and edges, with the current state and any
refused step marked); ``Diagram.to_mermaid`` and ``Diagram.to_dot`` render it as text
with no extra dependency; ``Diagram.to_graphviz`` and ``Diagram.to_svg`` use the
optional ``graphviz`` package (``pip install 'innoproc[graphviz]'``; SVG also needs
Graphviz's ``dot`` program).
"""

from __future__ import annotations

import contextlib
from typing import Any

import attrs

from innoproc._engine.assessment import Assessment
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure


@attrs.frozen
class Node:
    """A state in a diagram."""

    name: str
    title: str
    initial: bool
    final: bool
    group: str | None
    current: bool


@attrs.frozen
class Edge:
    """A transition in a diagram: ``status`` is ``"declared"``, ``"ok"`` or ``"refused"``."""

    event: str
    title: str
    source: str
    dest: str
    preconditions: tuple[str, ...]
    status: str = "declared"
    unmet: tuple[str, ...] = ()


@attrs.frozen
class Diagram:
    """The intermediate model every renderer draws from."""

    procedure_id: str
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    # -- Mermaid ---------------------------------------------------------------------------

    def to_mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2``, with the current state and refused steps styled.

        ```pycon
        >>> import innoproc
        >>> text = innoproc.diagram("innovation-partnership").to_mermaid()
        >>> print(text.splitlines()[0])
        stateDiagram-v2

        ```
        """
        ids = {n.name: n.name.replace("-", "_") for n in self.nodes}
        lines = ["stateDiagram-v2", f"    %% {self.title}"]
        groups: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            groups.setdefault(node.group, []).append(node)
        for group, members in groups.items():
            indent = "    "
            if group is not None:
                title = _esc(_group_title(group, members))
                lines.append(f'    state "{title}" as group_{group.replace("-", "_")} {{')
                indent = "        "
            for node in members:
                lines.append(f'{indent}state "{_esc(node.title)}" as {ids[node.name]}')
            if group is not None:
                lines.append("    }")
        for node in self.nodes:
            if node.initial:
                lines.append(f"    [*] --> {ids[node.name]}")
            if node.final:
                lines.append(f"    {ids[node.name]} --> [*]")
        for edge in self.edges:
            label = edge.title
            if edge.status == "refused":
                label += " ✗ " + ", ".join(edge.unmet)
            elif edge.preconditions:
                label += " [" + ", ".join(edge.preconditions) + "]"
            lines.append(f"    {ids[edge.source]} --> {ids[edge.dest]} : {_esc(label)}")
        lines.append("    classDef current fill:#ffd54f,stroke:#333,stroke-width:2px")
        lines.append("    classDef final fill:#e0e0e0")
        for node in self.nodes:
            if node.current:
                lines.append(f"    class {ids[node.name]} current")
            elif node.final:
                lines.append(f"    class {ids[node.name]} final")
        return "\n".join(lines) + "\n"

    # -- DOT --------------------------------------------------------------------------------

    def to_dot(self) -> str:
        """Graphviz DOT text (no dependency needed to produce it).

        ```pycon
        >>> import innoproc
        >>> innoproc.diagram("triple-diamond").to_dot().startswith('digraph "triple-diamond"')
        True

        ```
        """
        lines = [
            f'digraph "{self.procedure_id}" {{',
            f'    label="{_dot(self.title)}"; labelloc=t; rankdir=TB; fontname=Helvetica;',
            '    node [shape=box, style="rounded,filled", fillcolor=white, fontname=Helvetica];',
            "    edge [fontname=Helvetica, fontsize=10];",
        ]
        groups: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            groups.setdefault(node.group, []).append(node)
        for group, members in groups.items():
            indent = "    "
            if group is not None:
                lines.append(
                    f'    subgraph "cluster_{group}" {{ '
                    f'label="{_dot(_group_title(group, members))}"; style=dashed;'
                )
                indent = "        "
            for node in members:
                attrs_ = [f'label="{_dot(node.title)}"']
                if node.current:
                    attrs_.append('fillcolor="#ffd54f", penwidth=2')
                elif node.final:
                    attrs_.append('fillcolor="#e0e0e0", peripheries=2')
                lines.append(f'{indent}"{node.name}" [{", ".join(attrs_)}];')
            if group is not None:
                lines.append("    }")
        for node in self.nodes:
            if node.initial:
                lines.append(
                    f'    "__start" [shape=point, width=0.15]; "__start" -> "{node.name}";'
                )
        for edge in self.edges:
            label = edge.title
            if edge.preconditions:
                label += "\\n[" + ", ".join(edge.preconditions) + "]"
            style = ""
            if edge.status == "refused":
                label = edge.title + "\\n✗ " + ", ".join(edge.unmet)
                style = ', color="#c62828", fontcolor="#c62828", style=dashed'
            elif edge.status == "ok":
                style = ', color="#2e7d32", fontcolor="#2e7d32", penwidth=2'
            lines.append(f'    "{edge.source}" -> "{edge.dest}" [label="{_dot(label)}"{style}];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    # -- graphviz (optional) ---------------------------------------------------------------

    def to_graphviz(self) -> Any:
        """A ``graphviz.Source`` of the diagram (needs ``pip install 'innoproc[graphviz]'``)."""
        try:
            import graphviz
        except ImportError as exc:
            raise ImportError(
                "Diagram.to_graphviz needs the graphviz package: pip install 'innoproc[graphviz]'"
            ) from exc
        return graphviz.Source(self.to_dot())

    def to_svg(self) -> str:
        """The diagram as SVG text (needs the graphviz package and Graphviz's ``dot``)."""
        svg: bytes = self.to_graphviz().pipe(format="svg")
        return svg.decode("utf-8")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        bundle = {
            "text/plain": self.to_mermaid(),
            "text/markdown": f"```mermaid\n{self.to_mermaid()}```",
        }
        # Without graphviz (or its dot program) the text forms remain.
        with contextlib.suppress(Exception):
            bundle["image/svg+xml"] = self.to_svg()
        return bundle


def _esc(text: str) -> str:
    return text.replace('"', "'").replace(":", " -").replace("\n", " ")


def _group_title(group: str, members: list[Node]) -> str:
    """What a group of states is called: what their titles share before the last comma
    ("Diamond 1: diagnose" for "Diamond 1: diagnose, diverge" and "..., converge"), else
    the group's name."""
    heads = {node.title.rpartition(", ")[0] for node in members}
    if len(heads) == 1 and (head := heads.pop()):
        return head
    return group


def _dot(text: str) -> str:
    return text.replace('"', '\\"')


def diagram(
    subject: str | Procedure | Case,
    *,
    lang: str | None = None,
    refused: Assessment | None = None,
) -> Diagram:
    """The ``Diagram`` of a procedure (by id or object) or of a case.

    For a case, its current state is highlighted and the steps possible now are marked
    ``ok`` or ``refused`` (with their unmet codes). ``refused`` marks one refused step (from
    ``PreconditionFailed.assessment`` or ``case.check``). Titles are in ``lang``.
    """
    case = subject if isinstance(subject, Case) else None
    if isinstance(subject, Case):
        procedure = subject.procedure
    elif isinstance(subject, Procedure):
        procedure = subject
    else:
        from innoproc._storage import builtin_procedure

        found = builtin_procedure(subject)
        if found is None:
            from innoproc._errors import UnknownProcedure
            from innoproc._procedures import procedures

            raise UnknownProcedure(subject, tuple(procedures()))
        procedure = found
    verdicts: dict[tuple[str, str], Assessment] = {}
    if case is not None:
        for a in case.available():
            verdicts[(a.event, case.state)] = a
    if refused is not None:
        verdicts[(refused.event, refused.state)] = refused
    nodes = tuple(
        Node(
            s.name,
            s.title.get(lang),
            s.initial,
            s.final,
            s.group,
            case is not None and case.state == s.name,
        )
        for s in procedure.states.values()
    )
    edges = []
    for event in procedure.events.values():
        for source in event.source:
            dest = event.dest or source
            verdict = verdicts.get((event.name, source))
            status = "declared"
            unmet: tuple[str, ...] = ()
            if verdict is not None and verdict.allowed:
                # Missing fields are not refusals: the step is possible once they are given.
                status = "refused" if verdict.unmet else "ok"
                unmet = verdict.codes
            edges.append(
                Edge(
                    event.name,
                    event.title.get(lang),
                    source,
                    dest,
                    tuple(p.code for p in event.requires),
                    status,
                    unmet,
                )
            )
    return Diagram(procedure.id, procedure.title.get(lang), nodes, tuple(edges))
