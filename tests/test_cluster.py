"""`roadmap batch --scheduler`: the same work on a Dask cluster.

A LocalCluster of two worker processes (each with a nanny, as `dask worker`
starts them) gets a batch of the corpus — text, Word, PDF and a scan — while
the test kills the worker that is in the middle of the scan: the scan is
done again elsewhere and every output is the process pool's, byte for byte.
A document whose worker is lost twice is reported and the others finish;
the per-document time limit holds on the workers; documents and outputs
named by URLs are read and written by the workers themselves; a rerun sends
nothing; a worker with another build is refused; and a batch without the
option imports nothing of Dask.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS

distributed = pytest.importorskip("distributed")

from pipeline import batch  # noqa: E402
from pipeline.inputs import collect_documents  # noqa: E402

SCAN = CORPUS / "real" / "ussuriysk_cssu_plan_ozdorovitelnyh_meropriyatiy_2019_SCAN.pdf"
DOCUMENTS = [
    CORPUS / "documents" / "smolensk-prikaz-718-od.txt",
    CORPUS / "documents" / "nao-rasporyazhenie-454-r.txt",
    CORPUS / "documents" / "tomsk-rasporyazhenie-293-r.docx",
    CORPUS / "documents" / "smolensk-prikaz-422-od.pdf",
    CORPUS / "real" / "ussuriysk_cssu_plan_profilaktiki_asocialnyh_yavleniy_2019_2020.docx",
    CORPUS / "real" / "severodvinsk_mku_ass_plan_podgotovki_kursy_go_2022_pril_k_prikazu_305.pdf",
    SCAN,
]
FORMATS = ["csv", "json", "xlsx"]
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract не установлен")


def _cluster():
    import dask

    # The nanny restarts a killed worker; the scheduler's default of three
    # lost workers per task leaves the «twice» rule to the batch.
    with dask.config.set({"distributed.scheduler.allowed-failures": 3}):
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR,
        )
    client = distributed.Client(local, set_as_default=False)
    client.wait_for_workers(2, timeout=60)
    return local, client


@pytest.fixture(scope="module")
def cluster():
    local, client = _cluster()
    yield local, client
    client.close()
    local.close()


@pytest.fixture
def cluster_to_kill():
    """A cluster of its own for a test that kills workers: what the nannies
    make of it afterwards is no other test's concern."""
    local, client = _cluster()
    yield local, client
    client.close()
    local.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for path in DOCUMENTS:
        # Real documents in a folder of their own: their outputs go to one too.
        below = folder / path.parent.name if path.parent.name == "real" else folder
        below.mkdir(exist_ok=True)
        shutil.copy(path, below / path.name)
    return folder


@pytest.fixture(scope="module")
def by_pool(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("pool")
    outcomes = _batch(inputs, out, jobs=2)
    return out, outcomes


def _batch(inputs, out, scheduler=None, jobs=0, **options):
    documents = collect_documents([inputs] if not isinstance(inputs, list) else inputs).documents
    outcomes = batch.run_batch(documents, out, FORMATS, jobs, True, False, lambda o, d, t: None, scheduler=scheduler, **options)
    if not isinstance(out, str):
        batch.combined_workbook(outcomes, Path(out) / "combined.xlsx", checked=True)
    return outcomes


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _executing(dask_worker) -> list[str]:
    return [str(ts.key) for ts in dask_worker.state.executing]


class _Killer(threading.Thread):
    """Kills the worker that has been executing ``name`` for ``after``
    seconds (not merely holding it in its queue), as often as asked."""

    def __init__(self, client, name: str, times: int, after: float = 1.0):
        super().__init__(daemon=True)
        self.client, self.name, self.times, self.after = client, name, times, after
        self.killed: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        seen: dict[tuple[str, str], float] = {}
        while not self.stop.is_set() and len(self.killed) < self.times:
            try:
                executing = self.client.run(_executing)
            except Exception:  # noqa: BLE001 — a worker is going or coming
                time.sleep(0.1)
                continue
            for worker, keys in executing.items():
                for key in keys:
                    if not key.endswith(self.name) or worker in self.killed:
                        continue
                    first = seen.setdefault((worker, key), time.monotonic())
                    if time.monotonic() - first >= self.after:
                        pid = self.client.run(os.getpid, workers=[worker])[worker]
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(worker)
            time.sleep(0.1)


@needs_tesseract
def test_a_worker_killed_mid_document_changes_nothing(cluster_to_kill, inputs, by_pool, tmp_path):
    local, client = cluster_to_kill
    pool_out, pool_outcomes = by_pool
    assert all(o.status == "ok" for o in pool_outcomes), [(o.path, o.error) for o in pool_outcomes if o.status != "ok"]
    killer = _Killer(client, SCAN.name, times=1)
    killer.start()
    outcomes = _batch(inputs, tmp_path / "out", scheduler=local.scheduler_address)
    killer.stop.set()
    assert len(killer.killed) == 1, "the scan was never seen running"
    assert [(o.path, o.status, o.items, o.findings) for o in outcomes] == [
        (o.path, o.status, o.items, o.findings) for o in pool_outcomes
    ]
    mine, theirs = _files(tmp_path / "out"), _files(pool_out)
    assert sorted(mine) == sorted(theirs) and len(mine) == len(DOCUMENTS) * len(FORMATS) + 1
    assert [name for name in mine if mine[name] != theirs[name]] == []

    # A rerun finds everything up to date: checked again from the JSON, converted never.
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*.json")}
    again = _batch(inputs, tmp_path / "out", scheduler=local.scheduler_address)
    assert {o.status for o in again} == {"skipped"}
    assert [o.findings for o in again] == [o.findings for o in pool_outcomes]
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*.json")} == before


@needs_tesseract
def test_a_document_cut_off_twice_is_reported_and_the_rest_go_on(cluster_to_kill, inputs, tmp_path):
    local, client = cluster_to_kill
    killer = _Killer(client, SCAN.name, times=2, after=0.5)
    killer.start()
    outcomes = _batch(inputs, tmp_path / "out", scheduler=local.scheduler_address)
    killer.stop.set()
    assert len(killer.killed) == 2
    status = {Path(o.path).name: (o.status, o.error) for o in outcomes}
    assert status.pop(SCAN.name) == (
        "failed", "обработка прервалась 2 раза: рабочий процесс кластера терялся посреди документа")
    assert {s for s, _ in status.values()} == {"ok"}
    assert not list((tmp_path / "out").rglob(SCAN.name + ".*"))


@needs_tesseract
def test_the_time_limit_holds_on_the_workers(cluster, tmp_path):
    local, client = cluster
    outcomes = _batch([SCAN], tmp_path / "out", scheduler=local.scheduler_address, timeout=1)
    assert [(o.status, o.error) for o in outcomes] == [
        ("failed", "обработка не уложилась в 1 с (предел задаёт ROADMAP_TIMEOUT или --timeout)")]


def test_urls_are_read_and_written_by_the_workers(cluster, inputs, tmp_path):
    local, client = cluster
    texts = [f"file://{inputs}/{p.name}" for p in DOCUMENTS if p.suffix in (".txt", ".docx") and p.parent.name != "real"]
    by_pool = _batch(texts, f"file://{tmp_path}/pool", jobs=2)
    on_cluster = _batch(texts, f"file://{tmp_path}/cluster", scheduler=local.scheduler_address)
    assert {o.status for o in by_pool + on_cluster} == {"ok"}
    mine, theirs = _files(tmp_path / "cluster"), _files(tmp_path / "pool")
    assert sorted(mine) == sorted(theirs) and len(mine) == len(texts) * len(FORMATS)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    import json

    order = json.loads(mine[f"{DOCUMENTS[0].name}.json"])
    assert order["source"]["path"] == f"file://{inputs}/{DOCUMENTS[0].name}"
    # A rerun finds the outputs up to date from one listing of the output URL.
    again = _batch(texts, f"file://{tmp_path}/cluster", scheduler=local.scheduler_address)
    assert {o.status for o in again} == {"skipped"} and _files(tmp_path / "cluster") == mine


def test_a_worker_with_another_build_is_refused(cluster, inputs, tmp_path, monkeypatch):
    from pipeline import cluster as on_cluster

    local, client = cluster
    monkeypatch.setattr(on_cluster, "build", lambda: "другая")
    with pytest.raises(on_cluster.ClusterError, match="другая сборка roadmap-orders"):
        _batch([DOCUMENTS[0]], tmp_path / "out", scheduler=local.scheduler_address)
    assert not (tmp_path / "out" / f"{DOCUMENTS[0].name}.json").exists()


def test_the_cli_takes_a_scheduler_and_names_a_dead_one(cluster, tmp_path):
    local, _ = cluster
    env = {**os.environ, "CI": "1"}
    cli = [sys.executable, "-c", "from pipeline.cli import run; run()", "batch"]
    ok = subprocess.run([*cli, str(DOCUMENTS[0]), "--out", str(tmp_path / "out"), "--scheduler", local.scheduler_address,
                         "--validate"], capture_output=True, text=True, env=env)
    assert ok.returncode == 1, ok.stderr  # the order has errors, as with the pool
    assert f"[1/1] {DOCUMENTS[0]}: готово, 39 пунктов" in ok.stderr
    assert f"ошибки: {DOCUMENTS[0]} — 3 ошибки" in ok.stderr
    both = subprocess.run([*cli, str(DOCUMENTS[0]), "--out", str(tmp_path / "out"), "--scheduler", local.scheduler_address,
                           "--jobs", "2"], capture_output=True, text=True, env=env)
    assert both.returncode == 2 and both.stderr.count("\n") == 1 and "--jobs не действует с --scheduler" in both.stderr


def test_a_dead_scheduler_is_one_line(tmp_path, monkeypatch):
    from pipeline import cluster as on_cluster

    monkeypatch.setattr(on_cluster, "CONNECT_SECONDS", 1)
    with pytest.raises(on_cluster.ClusterError, match="планировщик Dask не отвечает"):
        _batch([DOCUMENTS[0]], tmp_path / "out", scheduler="tcp://127.0.0.1:9")


def test_without_the_option_nothing_of_dask_is_imported(tmp_path):
    code = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"main(['batch', {str(DOCUMENTS[1])!r}, '--out', {str(tmp_path / 'out')!r}], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "CI": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "out" / f"{DOCUMENTS[1].name}.json").exists()


def test_a_folder_url_is_searched_as_a_folder_is(tmp_path):
    folder = tmp_path / "orders"
    (folder / "2026" / ".git").mkdir(parents=True)
    shutil.copy(DOCUMENTS[0], folder / "2026" / "приказ.txt")
    shutil.copy(DOCUMENTS[2], folder / "без имени")  # a Word package, known by its content
    (folder / "2026" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    import openpyxl

    openpyxl.Workbook().save(folder / "таблица")  # a workbook, known by its content too
    by_url = collect_documents([f"file://{folder}"])
    by_path = collect_documents([folder])
    assert [d.name for d in by_url.documents] == [d.name for d in by_path.documents] == ["2026/приказ.txt", "без имени"]
    assert [str(d.path) for d in by_url.documents] == [f"file://{folder}/2026/приказ.txt", f"file://{folder}/без имени"]
    assert len(by_url.passed_over) == len(by_path.passed_over) == 1


def test_bad_documents_fail_on_the_cluster_as_in_the_pool(cluster, tmp_path):
    local, client = cluster
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DOCUMENTS[1], folder / "good.txt")
    pdf = (CORPUS / "documents" / "smolensk-prikaz-718-od.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "empty.docx").write_bytes(b"")
    (folder / "program.pdf").write_bytes(b"\x7fELF" + b"\0" * 100)
    by_pool = _batch(folder, tmp_path / "pool", jobs=2)
    on_cluster = _batch(folder, tmp_path / "cluster", scheduler=local.scheduler_address)
    assert [(o.path, o.status, o.error) for o in on_cluster] == [(o.path, o.status, o.error) for o in by_pool]
    assert [o.status for o in by_pool].count("failed") == 3
    assert _files(tmp_path / "cluster") == _files(tmp_path / "pool")
