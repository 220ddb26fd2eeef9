"""The README's table of exit statuses, run: every command it lists under a
status is driven into that status here, and a command listed without a
scenario below fails the test — so the table and the commands agree."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parent.parent
DOCS = CORPUS / "documents"
CLEAN = DOCS / "tomsk-rasporyazhenie-293-r-corrected.txt"
WITH_ERRORS = DOCS / "smolensk-prikaz-718-od.txt"
SEED_DOCX = DOCS / "smolensk-prikaz-718-od.docx"
AMENDMENTS = CORPUS / "amendments"
BAD_DRAFT = Path(__file__).parent / "fixtures" / "cli" / "draft-start-after-end.yaml"


def readme_table() -> dict[int, set[str]]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("### Exit statuses"):]
    table: dict[int, set[str]] = {}
    for status, commands in re.findall(r"^\| (\d) \| [^|]+ \| ([^|]+) \|$", section, re.M):
        table[int(status)] = {c.strip() for c in commands.split(",")}
    return table


def roadmap(*args, cwd=None, stdin=None):
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import run; run()", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, input=stdin, timeout=300,
    )


def _order_json(tmp: Path) -> Path:
    out = tmp / "order.json"
    assert roadmap("extract", CLEAN, "-o", out).returncode == 0
    return out


def _folder(tmp: Path, *files: Path) -> Path:
    folder = tmp / "in"
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def _broken_pdf(tmp: Path) -> Path:
    path = tmp / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n garbage")
    return path


def _busy_port_serve(tmp: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        return roadmap("serve", "--port", taken.getsockname()[1])


SCENARIOS = {
    (0, "extract"): lambda t: roadmap("extract", CLEAN, "-o", t / "o.json"),
    (0, "batch"): lambda t: roadmap("batch", _folder(t, CLEAN), "--out", t / "out"),
    (0, "validate"): lambda t: roadmap("validate", CLEAN),
    (0, "parties"): lambda t: roadmap("parties", CLEAN),
    (0, "render"): lambda t: roadmap("render", _order_json(t), "-o", t / "o.md"),
    (0, "draft"): lambda t: roadmap("draft", CORPUS / "draft-example.yaml", "-o", t / "d.md"),
    (0, "timeline"): lambda t: roadmap("timeline", _order_json(t), "-o", t / "plan.svg"),
    (0, "diff"): lambda t: roadmap("diff", _order_json(t), _order_json(t), "--fail-on", "removed"),
    (0, "amend"): lambda t: roadmap("amend", SEED_DOCX, AMENDMENTS / "01-slova-v-grafe.txt", "-o", t / "c.json"),
    (0, "rules"): lambda t: roadmap("rules"),
    (0, "schema"): lambda t: roadmap("schema"),
    (1, "batch --validate"): lambda t: roadmap("batch", _folder(t, WITH_ERRORS), "--out", t / "out", "--validate"),
    (1, "validate"): lambda t: roadmap("validate", WITH_ERRORS),
    (1, "draft"): lambda t: roadmap("draft", BAD_DRAFT, "-o", t / "d.md"),
    (1, "amend"): lambda t: roadmap("amend", SEED_DOCX, AMENDMENTS / "05-smeshannyj.txt", "-o", t / "c.json"),
    (1, "diff"): lambda t: roadmap("diff", _order_json(t), WITH_ERRORS, "--fail-on", "requisites"),
    (2, "extract"): lambda t: roadmap("extract", _broken_pdf(t)),
    (2, "batch"): lambda t: roadmap("batch", _broken_pdf(t), CLEAN, "--out", t / "out"),
    (2, "validate"): lambda t: roadmap("validate", CLEAN, "--select", "Z9"),
    (2, "parties"): lambda t: roadmap("parties", t / "missing.docx"),
    (2, "render"): lambda t: roadmap("render", _broken_pdf(t), "-o", t / "o.docx"),
    (2, "draft"): lambda t: roadmap("draft", t / "missing.yaml"),
    (2, "timeline"): lambda t: roadmap("timeline", CLEAN, "-o", t / "plan.gif"),
    (2, "amend"): lambda t: roadmap("amend", SEED_DOCX, t / "missing.txt", "-o", t / "c.json"),
    (2, "diff"): lambda t: roadmap("diff", _broken_pdf(t), CLEAN),
    (2, "rules"): lambda t: roadmap("rules", "--code", "X1"),
    (2, "serve"): _busy_port_serve,
    (3, "batch"): lambda t: roadmap("batch", _folder(t), "--out", t / "out"),
    (3, "validate"): lambda t: roadmap("validate", _folder(t)),
}

CASES = sorted((status, command) for status, commands in readme_table().items() for command in commands)


def test_the_readme_lists_the_statuses():
    assert set(readme_table()) == {0, 1, 2, 3}


@pytest.mark.parametrize("status,command", CASES)
def test_each_command_exits_with_the_status_the_readme_gives(tmp_path, status, command):
    assert (status, command) in SCENARIOS, f"README lists «{command}» under {status}: add its scenario here"
    result = SCENARIOS[(status, command)](tmp_path)
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    if status in (2, 3):
        # What is wrong, said in Russian on stderr.
        assert re.search(r"[а-яё]{3,}", result.stderr)
