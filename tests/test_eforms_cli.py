"""`innoproc notice check`: verdicts per lot, languages, JSON, exit status and progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from innoproc._cli import main

DATA = Path(__file__).parent / "data" / "eforms"


class TestNoticeCheck:
    def test_all_met_exits_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Notices whose time limits are all long enough exit 0 and say so per lot."""
        assert (
            main(["notice", "check", str(DATA / "cn_24_minimal.xml"), str(DATA / "cn_25.xml")]) == 0
        )
        out = capsys.readouterr().out
        assert out.count("LOT-0000: met") == 2
        assert "earliest allowed 23 December 2019 at 24:00" in out

    def test_any_not_met_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One lot with too short a time limit makes the exit status 1."""
        assert main(["notice", "check", str(DATA / "own_lots_and_group.xml")]) == 1
        out = capsys.readouterr().out
        assert "LOT-0003: NOT MET" in out
        assert "Source: Directive 2014/24/EU art. 27(4)" in out

    def test_unreadable_exits_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Garbage or a missing file exits 2 and names the file and where the problem is."""
        bad = tmp_path / "bad.xml"
        bad.write_bytes(b"\x89PNG\r\n")
        code = main(
            ["notice", "check", str(bad), str(tmp_path / "missing.xml"), str(DATA / "cn_25.xml")]
        )
        captured = capsys.readouterr()
        assert code == 2
        assert f"{bad}: not well-formed XML" in captured.err and "line 1" in captured.err
        assert "missing.xml" in captured.err
        assert "Scottish" not in captured.err and "LOT-0000: met" in captured.out

    def test_bokmal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--lang nb prints the verdicts in Norwegian."""
        main(["notice", "check", "--lang", "nb", str(DATA / "own_lots_and_group.xml")])
        out = capsys.readouterr().out
        assert "IKKE OPPFYLT" in out and "Kilde:" in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints one object per file, errors included, for machines."""
        code = main(["notice", "check", "--json", str(DATA / "own_lots_and_group.xml"), "nope.xml"])
        data = json.loads(capsys.readouterr().out)
        assert code == 2
        assert data[0]["check"]["lots"][2]["unmet"][0]["code"] == "tender-time-limit"
        assert data[0]["check"]["ok"] is False
        assert data[1]["file"] == "nope.xml" and "error" in data[1]

    def test_change_notice_with_its_original(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Given together, a change notice is counted from its original's dispatch."""
        files = [str(DATA / "own_change_notice.xml"), str(DATA / "own_lots_and_group.xml")]
        main(["notice", "check", *files])
        out = capsys.readouterr().out
        assert "Counted from the original notice 5b0e8f3c-2d7a-4e19-8c44-0a9f6e1d2b02-01" in out

    def test_progress_with_tqdm(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--progress draws a bar on stderr; stdout stays clean."""
        pytest.importorskip("tqdm")
        main(["notice", "check", "--progress", str(DATA / "cn_25.xml")])
        captured = capsys.readouterr()
        assert "1/1" in captured.err and "notice" in captured.err
        assert "1/1" not in captured.out

    def test_progress_without_tqdm(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without the 'progress' extra a plain counter replaces the bar."""
        monkeypatch.setitem(sys.modules, "tqdm", None)
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
        assert main(["notice", "check", "--progress", str(DATA / "cn_25.xml")]) == 0
        assert "1/1 notices" in capsys.readouterr().err

    def test_needs_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`notice check` without files is a usage error."""
        assert main(["notice", "check"]) == 2
        assert "FILE" in capsys.readouterr().err
