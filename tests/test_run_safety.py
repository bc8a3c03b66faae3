"""analysis.run safety: --out and --people checked up front, kernels without secrets, integrity first,
person-level input in the stamp, and interrupted runs that leave no process and no staging folder behind.

Kernel starts: about 6 (each a few seconds); tests that must refuse forbid execution instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import outpaths, paths, provenance, run, stamps, workers
from analysis.errors import DataError, UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
PROBE = """\
import json, os
from analysis import paths
out = paths.REPORTS / "05_probe"
out.mkdir(parents=True, exist_ok=True)
people = os.environ.get("ANALYSIS_PEOPLE_DIR")
source = open(os.path.join(people, "people.csv")).read().splitlines()[1].split(",")[1] if people else "none"
(out / "results.json").write_text(json.dumps({"synthetic": source == "synthetic", "people": people,
                                              "label": label, "env": sorted(os.environ)}))
"""
SLEEPER = """\
import pathlib, time
pathlib.Path("started-{name}").touch()
time.sleep(300)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_notebook(path: Path, source: str, parameters: str = "") -> None:
    cells = []
    if parameters:
        cell = new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    cells.append(new_code_cell(source))
    nbformat.write(new_notebook(cells=cells, metadata=KERNELSPEC), path)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The fixture reports plus a person-level probe report, REPORTS in tmp_path; returns the config path."""
    folder = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, folder)
    write_notebook(folder / "05_probe.ipynb", PROBE, 'label = "all"  # a comment with = and "quotes"')
    config = folder / "reports.yml"
    config.write_text(config.read_text() + "  - name: 05_probe\n    notebook: 05_probe.ipynb\n    title: Probe\n"
                      "    inputs: []\n    person_level: true\n")
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    return config


def forbid_execution(monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(run, "execute", boom)
    monkeypatch.setattr(run, "_run_in_workers", boom)


# ---------------------------------------------------------------------------------------------- --out


@pytest.mark.parametrize("where, expected", [
    ("reports", "inside reports/"),
    ("reports/custom/x", "inside reports/"),
    ("data/raw/x", "inside data/raw/"),
    ("data/processed", "inside data/processed/"),
    ("notebooks", "inside notebooks/"),
    ("src/analysis/out", "inside src/"),
    (".", "repository root"),
    ("..", "repository root or above"),
    ("README.md", "is a file"),
    ("what-if", "inside the repository"),
    (".scratch/x", "inside the repository"),
])
def test_out_inside_the_project_is_refused_with_one_line(where, expected, project, monkeypatch, tmp_path):
    forbid_execution(monkeypatch)
    monkeypatch.chdir(paths.ROOT)
    before = snapshot(paths.ROOT / "reports")
    with pytest.raises(UsageError) as exc:
        run.main(["01_counts", "--out", where, "--config", str(project)])
    assert expected in str(exc.value) and "\n" not in str(exc.value)
    assert snapshot(paths.ROOT / "reports") == before
    assert not (tmp_path / "reports").exists()


def test_out_must_be_new_empty_or_ours(project, monkeypatch, tmp_path):
    forbid_execution(monkeypatch)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("mine")
    with pytest.raises(UsageError, match="not empty and was not made by this tool"):
        run.main(["01_counts", "--out", str(busy), "--config", str(project)])
    assert snapshot(busy) == {"thesis.tex": b"mine"}
    (busy / outpaths.MARKER).write_text(outpaths.MARKER_TEXT)
    assert outpaths.check_out(busy) == busy.resolve()
    (tmp_path / "empty").mkdir()
    assert outpaths.check_out(tmp_path / "empty") == (tmp_path / "empty").resolve()


def test_relative_out_is_taken_from_the_callers_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert outpaths.check_out("what-if") == (tmp_path / "what-if").resolve()
    link = tmp_path / "link"
    link.symlink_to(paths.ROOT / "notebooks")
    with pytest.raises(UsageError, match="inside notebooks/"):
        outpaths.check_out("link/x")  # a symlink into the project does not get around the rule


def test_custom_run_with_relative_out_and_code_looking_label(project, monkeypatch, tmp_path):
    """The kernel gets absolute paths: a relative --out lands under the caller's folder, not notebooks/."""
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    label = "x\"); open(\"pwned\", \"w\"); (\"'"
    assert run.main(["05_probe", "-p", "label", label, "--out", "what-if", "--config", str(project)]) == 0
    results = json.loads((caller / "what-if" / "05_probe" / "results.json").read_text())
    assert results["label"] == label  # a string, never code
    assert (caller / "what-if" / outpaths.MARKER).is_file()
    assert not list(tmp_path.rglob("pwned")) and not list(project.parent.glob(".staging-*"))
    assert not (tmp_path / "reports").exists()  # a custom run never writes the default tree


# ----------------------------------------------------------------------------------- secrets, people


def test_kernel_sees_no_keys_or_secrets(project, monkeypatch, tmp_path):
    for name in ("ANALYSIS_PSEUDONYM_KEY", "ANALYSIS_PSEUDONYM_KEY_FILE", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY",
                 "PGPASSWORD", "MY_API_KEY"):
        monkeypatch.setenv(name, "secret-value")
    assert run.main(["05_probe", "--config", str(project)]) == 0
    env = json.loads((tmp_path / "reports" / "05_probe" / "results.json").read_text())["env"]
    assert not [name for name in env if workers.is_secret(name)]
    assert "ANALYSIS_PSEUDONYM_KEY" not in env and "PATH" in env and "ANALYSIS_REPORTS" in env
    assert os.environ["ANALYSIS_PSEUDONYM_KEY"] == "secret-value"  # the caller's environment is restored


def test_is_secret():
    assert all(map(workers.is_secret, ["ANALYSIS_PSEUDONYM_KEY", "X_TOKEN", "DB_PASSWORD", "SECRET", "API_KEYS"]))
    assert not any(map(workers.is_secret, ["PATH", "HOME", "KEYBOARD_LAYOUT", "ANALYSIS_REPORTS", "MONKEY"]))


def _people(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(f"person_id,source\nabcdef0123456789,{source}\n")
    (folder / "counts.json").write_text(json.dumps({"input_rows": 1}) + "\n")
    return folder


def test_people_dir_runs_person_level_reports_stamped_with_its_origin(project, tmp_path, capsys):
    people = _people(tmp_path / "clean", "synthetic")
    out = tmp_path / "out"
    argv = ["05_probe", "--people", str(people), "--out", str(out), "--config", str(project)]
    assert run.main(argv) == 0
    results = json.loads((out / "05_probe" / "results.json").read_text())
    assert results["people"] == str(people.resolve()) and results["synthetic"] is True
    assert "on synthetic people data" in capsys.readouterr().out
    assert run.main(argv) == 0
    assert "05_probe: up to date" in capsys.readouterr().out
    (people / "people.csv").write_text("person_id,source\n1111111111111111,synthetic\n")  # a new export
    assert run.main(argv) == 0
    assert "05_probe: done in" in capsys.readouterr().out


def test_people_origin_follows_the_signs_people_load_uses(tmp_path):
    real = _people(tmp_path / "real", "viasna")
    assert run.people_origin(real) == "real"
    marked = _people(tmp_path / "marked", "viasna")
    (marked / ".analysis-clean").write_text(json.dumps({"synthetic": True}))
    flagged = _people(tmp_path / "flagged", "viasna")
    (flagged / "SYNTHETIC").write_text("synthetic\n")
    counted = _people(tmp_path / "counted", "viasna")
    (counted / "counts.json").write_text(json.dumps({"synthetic": True}))
    assert [run.people_origin(f) for f in (marked, flagged, counted)] == ["synthetic"] * 3
    assert run.people_origin(_people(tmp_path / "rows", "synthetic")) == "synthetic"


@pytest.mark.parametrize("argv, expected", [
    (["01_counts", "--people", "{people}"], "read no person-level data"),
    (["05_probe", "--people", "{missing}"], "no such folder"),
    (["05_probe", "--people", "{empty}"], "holds no people.csv or counts.json"),
])
def test_people_dir_is_checked_before_anything_runs(argv, expected, project, monkeypatch, tmp_path):
    forbid_execution(monkeypatch)
    people, empty = _people(tmp_path / "p", "synthetic"), tmp_path / "empty"
    empty.mkdir()
    argv = [a.format(people=people, missing=tmp_path / "nope", empty=empty) for a in argv]
    with pytest.raises(UsageError, match=expected):
        run.main([*argv, "--config", str(project)])


def test_processed_data_is_in_the_stamp_of_person_level_reports(project, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    report = next(r for r in run.load_config(project) if r.person_level)
    flat = next(r for r in run.load_config(project) if not r.person_level)
    keys = stamps.stamp(report, {}), stamps.stamp(flat, {})
    _people(tmp_path / "processed" / "synthetic", "synthetic")  # rebuilt from code by every build: not an input
    assert (stamps.stamp(report, {}), stamps.stamp(flat, {})) == keys
    _people(tmp_path / "processed" / "viasna", "viasna")  # a newly cleaned export makes the report stale
    assert stamps.stamp(report, {}) != keys[0] and stamps.stamp(flat, {}) == keys[1]


# ----------------------------------------------------------------------------------- integrity first


def test_a_tampered_raw_file_builds_nothing(project, monkeypatch, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "CURATED", raw / "curated")
    forbid_execution(monkeypatch)
    target = raw / "curated" / "population.csv"
    target.write_text(target.read_text().replace("Azerbaijan", "Azerbaidjan", 1))
    with pytest.raises(DataError, match=r"population\.csv: sha256"):
        run.main(["--config", str(project), "--force"])
    assert not (tmp_path / "reports").exists()


def test_an_impossible_date_stops_the_build_naming_file_row_and_column(project, monkeypatch, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "CURATED", raw / "curated")
    forbid_execution(monkeypatch)
    target = raw / "curated" / "pp_counts.csv"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = "2026-02-30" + lines[5][10:]
    target.write_text("".join(lines), encoding="utf-8")
    provenance.update(target)
    with pytest.raises(DataError) as exc:
        run.main(["--config", str(project), "--force"])
    message = str(exc.value)
    assert "pp_counts.csv, row 6, column 'as_of_date'" in message and "2026-02-30" in message
    assert not (tmp_path / "reports").exists()


# -------------------------------------------------------------------------------------- interruptions


def test_leftovers_of_dead_runs_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    left = [tmp_path / f".staging-02_x-{pid}-abc", tmp_path / f".old-02_x-{pid}-"]
    alive = tmp_path / f".staging-02_x-{os.getpid()}-abc"
    for folder in (*left, alive):
        (folder / "02_x").mkdir(parents=True)
    assert sorted(outpaths.clean_leftovers(tmp_path)) == sorted(left)
    assert alive.exists()


def _sleepers(tmp_path: Path) -> Path:
    folder = tmp_path / "slow"
    folder.mkdir()
    entries = []
    for name in ("a", "b"):
        write_notebook(folder / f"0{ord(name) - 96}_{name}.ipynb", SLEEPER.format(name=name))
        entries.append(f"  - name: 0{ord(name) - 96}_{name}\n    notebook: 0{ord(name) - 96}_{name}.ipynb\n    title: {name}\n")
    (folder / "reports.yml").write_text("reports:\n" + "".join(entries))
    return folder


def _start(folder: Path, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, ANALYSIS_REPORTS=str(tmp_path / "reports"))
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "run", "-j", "2", "--config", str(folder / "reports.yml")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 180
    while not ((folder / "started-a").exists() and (folder / "started-b").exists()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the notebooks did not start"
        time.sleep(0.2)
    return proc


def _running(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _running(pids)


@pytest.mark.parametrize("how", ["SIGKILL", "Ctrl-C"])
def test_interrupted_run_leaves_no_process_and_no_staging(how, tmp_path):
    folder = _sleepers(tmp_path)
    proc = _start(folder, tmp_path)
    spawned = workers.descendants(proc.pid)
    assert len(spawned) >= 4  # two workers, two kernels
    if how == "SIGKILL":
        proc.kill()
        proc.communicate()
    else:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the foreground group
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "interrupted" in err
    assert _gone_within(spawned, 5) == []
    reports = tmp_path / "reports"
    leftovers = [p.name for p in reports.rglob(".staging-*")] if reports.exists() else []
    assert leftovers == []


def test_a_successful_build_prints_one_line_per_report_and_no_noise(tmp_path):
    """What `make reports-force` shows: no papermill, ZMQ or kernel chatter, no traceback."""
    shutil.copytree(FIXTURES, tmp_path / "notebooks")
    env = dict(os.environ, ANALYSIS_REPORTS=str(tmp_path / "reports"))
    proc = subprocess.run([sys.executable, "-m", "analysis", "run", "--force", "--config",
                           str(tmp_path / "notebooks" / "reports.yml")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout + proc.stderr
    for noise in ("Unable to parse", "TCP", "KeyboardInterrupt", "Traceback", "Warning", "WARNING"):
        assert noise not in text
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["01_counts", "02_plain", "index", "2 reports"]
    assert proc.stderr == ""


def test_default_people_stamp_ignores_documentation_and_temporary_folders(tmp_path, monkeypatch):
    """A fresh clone and `make test`'s empty scratch folder see the committed reports as up to date."""
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "scratch")
    empty = stamps.people_digest(None)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    (tmp_path / "processed" / ".viasna.tmp-x").mkdir(parents=True)
    (tmp_path / "processed" / "README.md").write_text("data dictionary")
    _people(tmp_path / "processed" / "synthetic", "synthetic")
    assert stamps.people_digest(None) == empty
    _people(tmp_path / "processed" / "user" / "viasna", "viasna")
    assert stamps.people_digest(None) != empty
