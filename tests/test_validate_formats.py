"""Output formats, configuration and exit codes of `roadmap validate`."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from pipeline.validate.formats.github import command, escape_data, escape_property
from tests.conftest import CORPUS

DOCS = CORPUS / "documents"
SMOLENSK = DOCS / "smolensk-prikaz-718-od.txt"
CLEAN = DOCS / "tomsk-rasporyazhenie-293-r-corrected.txt"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"


def roadmap(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import run; run()", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )


def test_text_format_lines_and_summary():
    result = roadmap("validate", SMOLENSK)
    lines = result.stdout.strip().splitlines()
    assert f"{SMOLENSK}:L34:п.4.2.: N002 пункт 4.2. документа: номер 4.2 повторяется" in lines
    assert lines[-1].startswith("Проверено документов: 1. 3 ошибки")
    assert result.returncode == 1


def test_exit_codes(tmp_path):
    assert roadmap("validate", CLEAN).returncode == 0
    assert roadmap("validate", SMOLENSK).returncode == 1
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    result = roadmap("validate", bad, SMOLENSK, "--format", "json")
    assert result.returncode == 2
    findings = json.loads(result.stdout)
    # The unreadable file does not hide the other file's findings.
    assert {f["code"] for f in findings} >= {"E000", "R001", "N002"}
    assert "Traceback" not in result.stderr


def test_select_and_ignore():
    selected = json.loads(roadmap("validate", SMOLENSK, "--format", "json", "--select", "N,R").stdout)
    assert {f["code"][0] for f in selected} == {"N", "R"}
    ignored = json.loads(roadmap("validate", SMOLENSK, "--format", "json", "--ignore", "R001,N").stdout)
    assert not {"R001", "N002"} & {f["code"] for f in ignored}


def test_pyproject_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.roadmap]\nignore = ["D004"]\n[tool.roadmap.severity]\nN002 = "warning"\nR = "info"\n', "utf-8"
    )
    findings = json.loads(roadmap("validate", SMOLENSK.resolve(), "--format", "json", cwd=tmp_path).stdout)
    by_code = {f["code"]: f["severity"] for f in findings}
    assert by_code["N002"] == "warning" and by_code["R001"] == "info" and "D004" not in by_code
    (tmp_path / "pyproject.toml").write_text('[tool.roadmap.severity]\nN002 = "fatal"\n', "utf-8")
    result = roadmap("validate", SMOLENSK.resolve(), cwd=tmp_path)
    assert result.returncode == 2 and "N002" in result.stderr


def test_sarif_validates_against_the_official_schema(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", "utf-8")
    result = roadmap("validate", SMOLENSK, DOCS / "tomsk-rasporyazhenie-293-r.txt", bad, "--format", "sarif")
    log = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"D001", "P003", "N002", "R001", "C004"} <= set(rule_ids)
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
    assert any(r["ruleId"] == "P003" and r["properties"]["fix"] == "ДОО ТО" for r in run["results"])
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_schema_catches_a_broken_log():
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate({"version": "2.1.0", "runs": [{"tool": {}}]})


def test_junit_one_testsuite_per_document():
    result = roadmap("validate", SMOLENSK, CLEAN, "--format", "junit")
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(SMOLENSK), str(CLEAN)]
    assert int(suites[0].get("failures")) == 3 and int(suites[1].get("failures")) == 0
    failed = [c.get("name") for c in suites[0].iter("testcase") if c.find("failure") is not None]
    assert sorted(failed) == ["N002 numbering-duplicate", "R001 appendix-cites-wrong-number", "R004 appendix-missing"]


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    line = command("error", "срок: 50%,\nпроверьте", file="dir/a,b:c.pdf", line=7, title="D001 deadline-not-understood")
    assert line == "::error file=dir/a%2Cb%3Ac.pdf,line=7,title=D001 deadline-not-understood::срок: 50%25,%0Aпроверьте"


def test_github_format_output():
    result = roadmap("validate", SMOLENSK, "--format", "github", "--select", "N002")
    assert result.stdout.strip() == (
        f"::error file={SMOLENSK},line=34,title=N002 numbering-duplicate::пункт 4.2. документа: номер 4.2 повторяется"
    )


def test_rules_command_lists_docs():
    result = roadmap("rules", "--code", "P003")
    assert "P003 abbreviation-misspelt" in result.stdout and "Плохо:" in result.stdout and "Хорошо:" in result.stdout
