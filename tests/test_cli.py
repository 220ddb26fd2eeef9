"""The command line: outputs, and one clear line with status 2 for bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import CORPUS

DOCUMENT = CORPUS / "documents" / "smolensk-prikaz-718-od.txt"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_extract_to_stdout():
    result = run("extract", DOCUMENT)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["document"]["number"] == "718-ОД"
    assert sum(len(r["items"]) for r in data["roadmaps"]) == 39


def test_extract_to_file_is_complete_and_readable(tmp_path):
    out = tmp_path / "order.json"
    result = run("extract", DOCUMENT, "-o", out)
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text("utf-8"))["document"]["kind"] == "приказ"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    assert out.stat().st_mode & 0o644 == 0o644


def bad_inputs(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", "utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "cp1251.txt").write_bytes("ПРИКАЗ № 1".encode("cp1251"))
    (tmp_path / "program.pdf").write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    (tmp_path / "recipe.txt").write_text("Борщ\n\nСвёкла, капуста, картофель.", "utf-8")
    (tmp_path / "folder").mkdir()
    return {
        "empty.txt": "пуст",
        "blank.txt": "пуст",
        "binary.txt": "не текстовый",
        "cp1251.txt": "не похоже на приказ",  # decoded (cp1251), then judged
        "program.pdf": "программа",
        "recipe.txt": "не похоже на приказ",
        "folder": "каталог",
        "missing.txt": "не найден",
    }


def test_bad_input_gives_one_line_and_status_2(tmp_path):
    for name, reason in bad_inputs(tmp_path).items():
        out = tmp_path / f"{name}.json"
        result = subprocess.run(
            [sys.executable, "-c", "from pipeline.cli import run; run()", "extract", str(tmp_path / name), "-o", str(out)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert name in lines[0] and reason in lines[0]
        assert "Traceback" not in result.stderr
        assert not out.exists()


@pytest.mark.parametrize("command", [["schema"], ["--version"], ["--help"]])
def test_other_commands(command):
    assert run(*command).exit_code == 0


def _command(*args):
    """The installed command's entry (``pipeline.cli:run``), in a process."""
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import run; run()", *map(str, args)], capture_output=True, text=True
    )


def test_the_command_leaves_its_output_whole_and_its_status():
    """``run`` leaves the process without the interpreter's teardown: what
    it printed is all there, and the status is the command's own."""
    done = _command("extract", DOCUMENT)
    assert done.returncode == 0
    assert sum(len(r["items"]) for r in json.loads(done.stdout)["roadmaps"]) == 39
    usage = _command("extract")
    assert usage.returncode == 2 and "ДОКУМЕНТ" in usage.stderr
    missing = _command("extract", DOCUMENT.with_name("нет-такого.txt"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
