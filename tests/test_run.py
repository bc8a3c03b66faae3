"""analysis.run on tiny fixture notebooks (tests/fixtures/notebooks): ~5 kernel starts in total.

Every test works on a copy of the fixture folder in tmp_path (a default run writes outputs back into
the notebooks) with paths.REPORTS pointed into tmp_path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis import paths, run, stamps

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NAMES = ("01_counts", "02_plain")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One default build of both fixture reports; tests copy it before changing anything."""
    base = tmp_path_factory.mktemp("built")
    shutil.copytree(FIXTURES, base / "notebooks")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "REPORTS", base / "reports")
        started = time.perf_counter()
        code = run.main(["--config", str(base / "notebooks" / "reports.yml")])
        seconds = time.perf_counter() - started
    assert code == 0
    return base, seconds


@pytest.fixture
def project(built, tmp_path, monkeypatch):
    """A private copy of the built project: (config path, reports dir)."""
    base, _ = built
    shutil.copytree(base / "notebooks", tmp_path / "notebooks")
    shutil.copytree(base / "reports", tmp_path / "reports")
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    return tmp_path / "notebooks" / "reports.yml", tmp_path / "reports"


def test_default_run_writes_notebook_html_index_and_writes_back(built):
    base, _ = built
    reports = base / "reports"
    for name in NAMES:
        executed = reports / name / f"{name}.ipynb"
        page = (reports / name / f"{name}.html").read_text(encoding="utf-8")
        assert "<title>" in page and "<script" not in page  # the site page (analysis.site)
        assert (reports / name / ".stamp").is_file()
        # the committed notebook carries the outputs of the default run, byte for byte
        assert (base / "notebooks" / f"{name}.ipynb").read_bytes() == executed.read_bytes()
    nb = nbformat.read(reports / "01_counts" / "01_counts.ipynb", as_version=4)
    assert "all: 60 months" in nb.cells[2].outputs[0]["text"]
    # the notebook's artefacts landed in REPORTS/<name>/ through ANALYSIS_REPORTS
    assert (reports / "01_counts" / "tables" / "summary.csv").read_text() == "label,months,window_months,scaled\nall,60,12,90.00\n"
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="01_counts/01_counts.html"' in index and 'href="02_plain/02_plain.ipynb"' in index
    assert "Counts per month (fixture)" in index and "No parameters and no results.json." in index
    assert index.count("SYNTHETIC DATA") == 1 and index.index("SYNTHETIC DATA") < index.index("02_plain")
    assert "<script" not in index
    assert not (reports / "failed").exists()
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no staging leftovers


def test_second_run_is_a_fast_no_op(project, built, monkeypatch, capsys):
    config, reports = project
    before = snapshot(reports)

    def must_not_run(*args, **kwargs):
        raise AssertionError("an up-to-date report was executed")

    monkeypatch.setattr(run, "execute", must_not_run)
    started = time.perf_counter()
    assert run.main(["--config", str(config)]) == 0
    seconds = time.perf_counter() - started
    out = capsys.readouterr().out
    assert "01_counts: up to date" in out and "02_plain: up to date" in out
    assert snapshot(reports) == before
    assert seconds < 0.1 * built[1]
    # no kernel, no papermill: importing analysis.run stays light
    probe = "import sys, analysis.run; print(sorted(m for m in ('papermill', 'nbconvert', 'nbclient') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_forced_runs_are_byte_identical(project, capsys):
    config, reports = project
    notebook = config.parent / "01_counts.ipynb"
    before, committed = snapshot(reports / "01_counts"), notebook.read_bytes()
    assert run.main(["01", "--force", "--config", str(config)]) == 0
    assert "01_counts: done in" in capsys.readouterr().out
    assert snapshot(reports / "01_counts") == before
    assert notebook.read_bytes() == committed


def test_custom_run_goes_to_its_own_folder(project, capsys):
    config, reports = project
    before, committed = snapshot(reports), snapshot(config.parent)
    argv = ["01_counts", "-p", "start_date", "2024-01", "-p", "label", "recent", "--config", str(config)]
    assert run.main(argv) == 0
    folder = reports / "custom" / f"01_counts-{stamps.params_hash({'start_date': '2024-01', 'label': 'recent'})}"
    assert (folder / "01_counts.html").is_file() and (folder / ".stamp").is_file()
    assert (folder / "tables" / "summary.csv").read_text().splitlines()[1] == "recent,12,12,18.00"
    nb = nbformat.read(folder / "01_counts.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert [c.id for c in injected] == ["injected-parameters"]
    # nothing of the default run changed: notebooks/, reports/<name>/, index.html
    assert snapshot(config.parent) == committed
    after = snapshot(reports)
    assert {k: v for k, v in after.items() if not k.startswith("custom/")} == before
    capsys.readouterr()
    assert run.main(argv) == 0
    assert "01_counts: up to date" in capsys.readouterr().out


def test_failure_keeps_last_good_report(project, capsys):
    config, reports = project
    good = snapshot(reports / "01_counts")
    shutil.copyfile(FIXTURES / "broken.ipynb", config.parent / "01_counts.ipynb")
    assert run.main(["--config", str(config)]) == 1
    captured = capsys.readouterr()
    message = captured.err.strip().splitlines()[-1]
    assert message.startswith("error: 01_counts: cell 3 (`raise ValueError(\"deliberate failure\")")
    assert message.endswith("raised ValueError: deliberate failure (partial notebook: "
                            f"{run._shown(reports / 'failed' / '01_counts.ipynb')})")
    assert "02_plain: done" not in captured.out  # nothing else ran after the failure
    failed = nbformat.read(reports / "failed" / "01_counts.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    assert snapshot(reports / "01_counts") == good  # not even partial.csv leaked in
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]


def test_stamp_ignores_outputs_but_not_sources_inputs_or_parameters(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "nb")
    data = tmp_path / "data"
    (data / "__pycache__").mkdir(parents=True)
    (data / "a.csv").write_text("x\n1\n")
    report = run.Report("01_counts", tmp_path / "nb" / "01_counts.ipynb", "t", "s", (data,))
    key = stamps.stamp(report, {})
    nb = json.loads(report.notebook.read_text())
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "changed"}]
    nb["cells"][2]["metadata"]["execution"] = {"x": 1}
    nb["cells"][2]["id"] = "other"
    report.notebook.write_text(json.dumps(nb))
    (data / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    (data / "b.pyc").write_bytes(b"\0")
    assert stamps.stamp(report, {}) == key
    assert stamps.stamp(report, {"label": "x"}) != key
    (data / "a.csv").write_text("x\n2\n")
    assert stamps.stamp(report, {}) != key
    (data / "a.csv").write_text("x\n1\n")
    nb["cells"][2]["source"] += "\n"
    report.notebook.write_text(json.dumps(nb))
    assert stamps.stamp(report, {}) != key


def test_normalise_notebook_removes_timing_and_fixes_ids():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_code_cell("y = 2")])
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "duration": 1.0}
    for cell in nb.cells:
        cell.metadata["papermill"] = {"duration": 0.1, "status": "completed"}
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        cell.metadata["tags"] = []
    nb.cells[1].metadata["tags"] = ["injected-parameters"]
    nb.cells[1].id = "a1b2c3d4"
    nb.cells[2].id = nb.cells[0].id
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="kept\n")]
    run.normalise_notebook(nb)
    assert "papermill" not in nb.metadata
    assert all(not {"papermill", "execution", "tags"} & set(c.metadata) for c in (nb.cells[0], nb.cells[2]))
    assert nb.cells[1].metadata == {"tags": ["injected-parameters"]} and nb.cells[1].id == "injected-parameters"
    assert len({c.id for c in nb.cells}) == 3
    assert nb.cells[2].outputs[0]["text"] == "kept\n"
    nbformat.validate(nb)
    assert run.notebook_bytes(nb) == run.notebook_bytes(run.normalise_notebook(nb))


def test_config_errors_name_the_file(tmp_path):
    from analysis.errors import DataError

    config = tmp_path / "reports.yml"
    config.write_text("reports:\n  - name: 01_x\n    notebook: missing.ipynb\n    title: X\n")
    with pytest.raises(DataError, match=r"reports.yml: reports\[0\] \(01_x\): notebook missing.ipynb not found"):
        run.load_config(config)
    config.write_text("reports:\n  - name: 01_x\n    title: X\n")
    with pytest.raises(DataError, match="missing notebook"):
        run.load_config(config)


def test_parallel_jobs_give_the_same_bytes_as_one_job(project):
    """Two worker processes write exactly what a sequential build writes."""
    config, reports = project
    assert run.main(["--config", str(config), "--force", "--jobs", "1"]) == 0
    one = {name: snapshot(reports / name) for name in ("01_counts", "02_plain")}
    assert run.main(["--config", str(config), "--force", "--jobs", "2"]) == 0
    assert {name: snapshot(reports / name) for name in ("01_counts", "02_plain")} == one


def test_stamp_does_not_depend_on_where_the_project_lives(tmp_path, monkeypatch):
    """A fresh clone in another folder must see the committed reports as up to date."""
    keys = []
    for where in ("a", "b"):
        root = tmp_path / where
        shutil.copytree(FIXTURES, root / "nb")
        monkeypatch.setattr(paths, "ROOT", root)
        report = run.Report("01_counts", root / "nb" / "01_counts.ipynb", "t", "s", (root / "nb" / "data",))
        keys.append(stamps.stamp(report, {}))
    assert keys[0] == keys[1]
