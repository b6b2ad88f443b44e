"""The Babel extractor of innoproc's texts (``pybabel extract -F babel.cfg``; not imported at
run time).

innoproc writes its texts in English in the code, beside the rule or step they belong to:

- ``Text("English {placeholder}", ...)``, with ``plural=`` and ``context=`` where given;
- the help (``doc=``) and label (``title=``, else the name made readable) of each ``Field``;
- the instrument and provision of each ``Source(...)`` and each ``.at("provision")``, in
  the context ``source``;
- the words the formatting says itself (``translate("none", lang)``).

Run from the project's root::

    pybabel extract -F babel.cfg -o src/innoproc/locale/innoproc.pot src/innoproc
    pybabel update -i src/innoproc/locale/innoproc.pot -d src/innoproc/locale -D innoproc
    pybabel compile -d src/innoproc/locale -D innoproc

A text built from an f-string inside ``Text(...)`` cannot be extracted: ``texts`` lists the
places (the test suite refuses any).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

#: A message as Babel's extractors yield it: (line, function, message(s), comments).
Found = tuple[int, str, "str | tuple[str, ...]", list[str]]


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def texts(source: str) -> Iterator[tuple[int, str | None, str, str | None, bool]]:
    """Every text in ``source``: (line, context, message, plural, extractable)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name == "Text" and isinstance(node.func, ast.Name):
            first = node.args[0] if node.args else _keyword(node, "en")
            if first is None:
                continue
            message = _literal(first)
            context = _literal(_keyword(node, "context"))
            plural = _literal(_keyword(node, "plural"))
            yield node.lineno, context, message or "", plural, message is not None
        elif name == "Field" and isinstance(node.func, ast.Name):
            doc = _literal(_keyword(node, "doc"))
            if doc is None and len(node.args) >= 4:
                doc = _literal(node.args[3])
            if doc:
                yield node.lineno, None, doc, None, True
            title = _literal(_keyword(node, "title"))
            field = _literal(node.args[0]) if node.args else None
            if title:
                yield node.lineno, None, title, None, True
            elif field is not None:
                yield node.lineno, None, _label(field), None, True
        elif name == "Source" and isinstance(node.func, ast.Name):
            for arg in node.args[:2]:
                text = _literal(arg)
                yield node.lineno, "source", text or "", None, text is not None
            provision = _literal(_keyword(node, "provision"))
            if provision:
                yield node.lineno, "source", provision, None, True
        elif name == "translate" and node.args:
            # the few words _i18n says itself ("yes", "none", "{day} at {clock}")
            text = _literal(node.args[0])
            context = _literal(node.args[2]) if len(node.args) > 2 else None
            if text:
                yield node.lineno, context, text, None, True
        elif name == "at" and isinstance(node.func, ast.Attribute) and node.args:
            text = _literal(node.args[0])
            yield node.lineno, "source", text or "", None, text is not None


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Found]:
    """Babel's extraction method for innoproc's Python files."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, context, message, plural, extractable in texts(source):
        if not extractable:
            continue
        if plural is not None:
            if context is None:
                yield line, "ngettext", (message, plural), []
            else:
                yield line, "npgettext", (context, message, plural), []
        elif context is None:
            yield line, "gettext", message, []
        else:
            yield line, "pgettext", (context, message), []
