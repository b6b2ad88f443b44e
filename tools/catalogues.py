"""Keep innoproc's translation catalogues in step with the code.

    python tools/catalogues.py update    # extract the texts, update nb.po and nn.po, compile
    python tools/catalogues.py check     # fail if anything is out of step or untranslated

``update`` writes ``src/innoproc/locale/innoproc.pot`` from the code (with the mapping in
``babel.cfg``: innoproc's own extractor), merges it into each language's ``innoproc.po``
(new texts arrive untranslated, changed ones as fuzzy) and compiles ``innoproc.mo``.
``check`` is what the test suite and CI run: the template matches the code, every text of
every language is translated and not fuzzy, and each ``.mo`` holds what its ``.po`` says.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "innoproc"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "innoproc.pot"
LANGUAGES = ("nb", "nn")
DOMAIN = "innoproc"


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _mo(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Catalog:
    """The template catalogue of every text in the package's code."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    template = Catalog(project="innoproc", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE,
        method_map,
        options_map,
        directory_filter=lambda d: not Path(d).name.startswith((".", "__pycache__")),
    ):
        template.add(
            message,
            None,
            [(f"src/innoproc/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    for message in template:
        # innoproc's templates use {braces}, never %: a "20 %" is not a format
        message.flags.discard("python-format")
    return template


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _keys(catalog: Iterable[Message]) -> set[tuple[object, str | None]]:
    return {(_hashable(m.id), m.context) for m in catalog if m.id}


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def update() -> None:
    """Write the template, merge it into each language and compile."""
    template = extract()
    _write(template, TEMPLATE)
    for lang in LANGUAGES:
        path = _po(lang)
        catalog = _read(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN)
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        _write(catalog, path)
        compile_one(lang)


def compile_one(lang: str) -> None:
    """Compile ``lang``'s catalogue (without its fuzzy entries)."""
    catalog = _read(_po(lang), lang)
    with _mo(lang).open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)


def problems() -> list[str]:
    """What is out of step: an empty list when the catalogues are complete and current."""
    found: list[str] = []
    code = extract()
    if not TEMPLATE.exists():
        return [f"{TEMPLATE.relative_to(ROOT)} is missing: run 'python tools/catalogues.py update'"]
    stored = _read(TEMPLATE)
    if _keys(code) != _keys(stored):
        new = sorted(str(k[0]) for k in _keys(code) - _keys(stored))
        gone = sorted(str(k[0]) for k in _keys(stored) - _keys(code))
        found.append(
            f"{TEMPLATE.relative_to(ROOT)} is out of date ({len(new)} new, {len(gone)} gone; "
            f"first new: {new[:3]}, first gone: {gone[:3]}): run "
            "'python tools/catalogues.py update'"
        )
    for lang in LANGUAGES:
        path = _po(lang)
        if not path.exists():
            found.append(f"{path.relative_to(ROOT)} is missing")
            continue
        catalog = _read(path, lang)
        if _keys(catalog) != _keys(code):
            found.append(f"{path.relative_to(ROOT)} does not hold the code's texts: run update")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                found.append(f"{lang}: fuzzy: {message.id!r}")
            elif not all(strings):
                found.append(f"{lang}: untranslated: {message.id!r}")
        mo = _mo(lang)
        if not mo.exists():
            found.append(f"{mo.relative_to(ROOT)} is missing: run update")
            continue
        with mo.open("rb") as fh:
            compiled = read_mo(fh)
        expected = {
            (_hashable(m.id), m.context): _hashable(m.string)
            for m in catalog
            if m.id
            and not m.fuzzy
            and all(m.string if isinstance(m.string, tuple) else (m.string,))
        }
        actual = {(_hashable(m.id), m.context): _hashable(m.string) for m in compiled if m.id}
        if expected != actual:
            found.append(f"{mo.relative_to(ROOT)} is not compiled from its .po: run update")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "check"))
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
