"""The documentation site: links and pictures resolve, diagrams render, the build is strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def _outside_code(text: str) -> str:
    return FENCE.sub("", re.sub(r"`[^`\n]*`", "", text))


def _inside_code(text: str) -> str:
    return "\n".join(m.group(0) for m in FENCE.finditer(text))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_and_pictures_resolve(page: Path) -> None:
    """Every relative link and picture of a page points to a file that exists."""
    for bang, target in LINK.findall(_outside_code(page.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.name} links to {target}, which does not exist"
        if bang and path.suffix == ".svg":
            assert "<svg" in path.read_text(encoding="utf-8"), f"{target} is no SVG"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_picture_left_in_code(page: Path) -> None:
    """No picture or diagram sits inside a code block, where it would show as text, and
    no Mermaid block is left for a theme that does not draw it."""
    text = page.read_text(encoding="utf-8")
    code = _inside_code(text)
    assert "![" not in code, f"{page.name} has a picture inside a code block"
    assert not re.search(r"\]\(diagrams/", code), f"{page.name} links a diagram in code"
    assert "```mermaid" not in text


def test_pictures_of_the_analysts_guide() -> None:
    """The analysts' guide shows every plot that docs/gen_plots.py draws, as PNG."""
    text = (DOCS / "analysts.md").read_text(encoding="utf-8")
    for name in ("call-outcomes", "call-time-to-purchase", "call-budget-use", "ip-outcomes"):
        assert f"](images/{name}.png)" in text
        assert (DOCS / "images" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_strict_configuration() -> None:
    """mkdocs.yml is strict and validates links, anchors and omitted files."""
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["strict"] is True
    for key in ("omitted_files", "absolute_links", "unrecognized_links", "anchors"):
        assert config["validation"][key] == "warn"
    nav = str(config["nav"])
    assert "notebooks/scenario.ipynb" in nav


def test_broken_link_fails_the_build(tmp_path: Path) -> None:
    """With the project's validation settings, a broken link or anchor fails the build."""
    pytest.importorskip("mkdocs")
    yaml = pytest.importorskip("yaml")
    ours = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [the guide](guide.md#usage).\n", "utf-8")
    (docs / "guide.md").write_text("# Guide\n\n## Setup\n", "utf-8")
    config = {
        "site_name": "t",
        "strict": True,
        "validation": ours["validation"],
        "nav": ["index.md", "guide.md"],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    broken_anchor = build()
    assert broken_anchor.returncode != 0
    assert "usage" in broken_anchor.stdout + broken_anchor.stderr
    (docs / "guide.md").write_text("# Guide\n\n## Usage\n", "utf-8")
    assert build().returncode == 0
    (docs / "index.md").write_text("# Home\n\nSee [the guide](gone.md).\n", "utf-8")
    assert build().returncode != 0


def test_site_is_ignored() -> None:
    """mkdocs build writes site/, which git ignores."""
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "site/" in ignored
