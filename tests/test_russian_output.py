"""Every word a user reads is Russian: the web page, the workbook and every
report format of the corpus documents hold no Latin word outside codes
(rule codes and names, JSON keys, format names) and outside what the
document itself printed in Latin letters."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from pipeline.export.xlsx import order_xlsx
from pipeline.extract import extract_order
from pipeline.validate import all_rules, validate
from pipeline.validate.formats import DocumentReport, render
from tests.conftest import CORPUS

DOCUMENTS = sorted((CORPUS / "documents").glob("*.docx")) + sorted((CORPUS / "documents").glob("*-corrected.txt"))
LATIN = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![\w/])")
# Names of formats, standards and programs a Russian text writes in Latin.
GLOSSARY = {"PDF", "DOCX", "DOC", "XLSX", "CSV", "JSON", "HTML", "YAML", "SARIF", "JUnit", "GitHub", "Markdown", "RTF", "ODT", "OCR", "Tesseract",
            "LibreOffice", "Excel", "Word", "ALL", "Ctrl", "roadmap", "roadmap-orders", "Dask"}


def allowed_words(order) -> set[str]:
    """Codes and names of rules, the glossary, Roman numerals, and every
    Latin word of the document's own text."""
    words = set(GLOSSARY)
    for r in all_rules():
        words.update((r.code, r.name))
    words.update(LATIN.findall(order.model_dump_json()))
    return words


def foreign(text: str, allowed: set[str]) -> set[str]:
    """Latin words of ``text`` not allowed; file names of the corpus are not words."""
    text = re.sub(r"[\w.-]+\.(?:docx|pdf|txt|json|xlsx)\b", " ", text)
    roman = re.compile(r"^[IVXLCM]+$")
    return {w for w in LATIN.findall(text) if w not in allowed and not roman.match(w) and not re.fullmatch(r"[A-Z]\d+", w)}


class _Visible(HTMLParser):
    """The text of a page a person sees, and the words in its titles and placeholders."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"title", "placeholder", "aria-label", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.name)
def document(request):
    order = extract_order(request.param)
    path = request.param.name
    return request.param, order, validate(order, path), allowed_words(order)


def test_reports_are_russian(document):
    path, order, findings, allowed = document
    report = [DocumentReport(path.name, findings, format=order.source.format), DocumentReport("нет.pdf", error="файл не найден")]
    assert not foreign(render("text", report), allowed)
    junit = ET.fromstring(render("junit", report))
    assert not foreign(" ".join(e.text or "" for e in junit.iter("system-out")) + " ".join(e.get("message", "") for e in junit.iter()), allowed)
    github = render("github", report)
    assert not foreign(" ".join(line.split("::", 2)[-1] for line in github.splitlines()), allowed)
    sarif = json.loads(render("sarif", report))
    texts = [res["message"]["text"] for run in sarif["runs"] for res in run["results"]]
    texts += [r.get("shortDescription", {}).get("text", "") for run in sarif["runs"] for r in run["tool"]["driver"]["rules"]]
    assert not foreign(" ".join(texts), allowed)
    messages = [f["message"] for f in json.loads(render("json", report))]
    assert not foreign(" ".join(messages), allowed)


def test_the_workbook_is_russian(document):
    path, order, findings, allowed = document
    book = openpyxl.load_workbook(io.BytesIO(order_xlsx(order, findings)))
    text = " ".join(book.sheetnames)
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            text += " " + " ".join(str(v) for v in row if isinstance(v, str))
    assert not foreign(text, allowed)


def test_the_web_page_is_russian(document):
    from pipeline.web import create_app

    path, order, _, allowed = document
    client = create_app(max_upload_mb=5).test_client()
    uploaded = client.post("/upload", data={"document": (io.BytesIO(path.read_bytes()), path.name)}, content_type="multipart/form-data")
    assert uploaded.status_code == 303
    pages = [client.get(uploaded.headers["Location"]).data.decode(), client.get("/").data.decode()]
    for page in pages:
        visible = _Visible()
        visible.feed(page)
        assert not foreign(html.unescape(" ".join(visible.parts)), allowed)


def test_the_help_of_every_command_is_russian():
    commands = ["", "extract", "parties", "render", "draft", "batch", "validate", "rules", "serve", "schema"]
    options = set()
    text = ""
    for command in commands:
        out = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", *command.split(), "--help"],
                             capture_output=True, text=True, check=True).stdout
        text += out
        options.update(re.findall(r"--?([a-z][a-z-]*)", out))
    from pipeline.cli import main

    words = set(GLOSSARY) | set(main.commands) | {"roadmap", "toml", "pyproject", "tool", "README", "ROADMAP", "TIMEOUT", "combined", "Schema", "Actions"}
    for command in main.commands.values():
        for param in command.params:
            words.update(getattr(param.type, "choices", ()) or ())
    words |= {part for o in options for part in o.split("-")}
    # Options, file suffixes and addresses (tcp://…, s3://…) are codes, not words.
    assert not foreign(re.sub(r"[a-z][a-z0-9+.-]*://\S*|--?[a-z][a-z-]*|\.[a-z]{2,4}\b", " ", text), words)


def test_the_rules_read_in_russian():
    out = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "rules", "ALL"], capture_output=True, text=True, check=True).stdout
    words = set(GLOSSARY) | {r.code for r in all_rules()} | {r.name for r in all_rules()}
    assert not foreign(out, words)
