"""`python -m analysis run`: execute report notebooks with papermill into reports/, then write reports/index.html.

Configuration
-------------
`notebooks/reports.yml` (or `--config PATH`) lists the reports in build order::

    reports:
      - name: 01_prisoner_population_trends
        notebook: 01_prisoner_population_trends.ipynb   # relative to the config's folder
        title: Political prisoners in Belarus over time
        summary: One line shown in reports/index.html
        inputs: [data/raw/curated, src/analysis]        # relative to paths.ROOT (or absolute)
        person_level: true                              # optional: reads person-level data (02, 03)

Two kinds of run
----------------
*Default run* (no `-p`, `--out` or `--people`): the report goes to `REPORTS/<name>/` (`<name>.ipynb`,
`<name>.html`, whatever the notebook writes under `figures/`, `tables/`, `results.json`, and the `.stamp`);
the executed, normalised notebook is also written back over the notebook in the config folder (only when
its bytes change) so the committed notebooks show the results of the default run; the static site (`REPORTS/index.html` and a readable page per report)
is rebuilt by `analysis.site.build()` (a page only when its sources change).

*Custom run* (`-p KEY VALUE`, `--out DIR` and/or `--people DIR`): the report goes to `DIR/<name>/`, by
default `REPORTS/custom/<name>-<8 hex of the parameters' (and people data's) hash>/`; notebooks/,
`REPORTS/<name>/` and index.html are not touched. `--out` and `--people` are resolved against the
caller's folder and checked (analysis.outpaths) before anything runs.

Parameters
----------
Values are JSON values checked against the notebook's `parameters` cell and `parameters.yml` next to the
config (analysis.params). papermill is given no parameters: the runner inserts the `injected-parameters`
cell itself, each line `name = <Python literal>`, so no value can become code.

Where the notebook writes (ANALYSIS_REPORTS, ANALYSIS_PEOPLE_DIR)
-----------------------------------------------------------------
A notebook writes its artefacts to `analysis.paths.REPORTS / "<name>"`, and `paths.REPORTS` comes from the
environment variable `ANALYSIS_REPORTS`. For every run the runner creates a fresh staging folder
`.staging-<name>-<pid>-*` *next to the final folder* (same file system, so the final move is a rename),
sets `ANALYSIS_REPORTS=<staging>` (absolute) for the kernel, so the notebook writes into
`<staging>/<name>/`, and adds the `.ipynb`, `.html` and `.stamp` there. Only when the whole notebook
succeeded does `<staging>/<name>` replace the final folder; so a failing or interrupted run never leaves a
half-written report, and the last good one stays as it was. With `--people DIR` the kernel also gets
`ANALYSIS_PEOPLE_DIR=<DIR, absolute>`, which `analysis.people.load()` reads. The kernel's environment holds
no key, token, secret or password (analysis.workers).

Processes
---------
Every notebook runs in a worker process that dies with the runner, even after SIGKILL, taking its kernel
and staging folder with it; Ctrl-C stops all of them with one line (exit 130); a later run removes staging
folders of runs whose process is gone. The console shows one line per report and one summary; the
kernel's own output (ZMQ warnings and the like) is filtered.

Integrity first
---------------
Before any report runs, every raw file is checked against the sha256 of its provenance sidecar and (when
anything is to be built) every curated table against its schema; one failure is a DataError (exit 2)
naming the file, and nothing is built.

Up-to-date check
----------------
`<final folder>/.stamp` holds the sha256 (`analysis.stamps.stamp()`) of: the notebook's *source* (cell
types, sources and `parameters` tags; not outputs, ids or metadata, so writing the outputs back does not
invalidate it), the injected parameters, every file under each `inputs` path (sorted relative paths and
contents, skipping `__pycache__` and `*.pyc`), for `person_level` reports the contents of the person-level
input (`--people DIR`, else `data/processed` without the `synthetic/` folder that every build regenerates
from code), and the versions of the packages that shape the output. When the stamp matches and the outputs
exist (and, for a default run, the notebook in notebooks/ still equals the report's copy) the report is
skipped with `<name>: up to date` without starting a kernel; `--force` rebuilds anyway.
This module imports papermill/nbconvert only when something has to run, so a no-op build is fast.

Failures
--------
A cell error stops the build at that report: one line names the report, the cell (0-based index in the
source notebook, its first line), the exception and its message; the partial executed notebook is kept
as `REPORTS/failed/<name>.ipynb` (with papermill's error markers); the exit code is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import outpaths, paths, stamps, workers
from analysis.errors import DataError, UsageError
from analysis.params import SPEC_FILE, check_floors, load_spec, to_source, validate

DEFAULT_TIMEOUT = 600  # seconds per cell
DEFAULT_JOBS = min(2, os.cpu_count() or 1)  # notebooks run at once; each kernel is single-threaded mostly
INJECTED_ID = "injected-parameters"
CONFIG_KEYS = {"name", "notebook", "title", "summary", "inputs", "person_level"}
PEOPLE_ENV = "ANALYSIS_PEOPLE_DIR"  # absolute folder of `--people DIR`; analysis.people.load() reads it
INTERRUPTED = 130
CLEAN_MARKER = ".analysis-clean"  # written by `clean` into its output folders (JSON with "synthetic")
SYNTHETIC_FILE = "SYNTHETIC"  # written by `clean` beside outputs made from the synthetic generator
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

EPILOG = """\
examples:
  python -m analysis run                       build every report in notebooks/reports.yml (skips up-to-date ones)
  python -m analysis run 01                    build the report whose name starts with 01_
  python -m analysis run 01 03 --force         rebuild two reports even if up to date
  python -m analysis run 02 -p start_date 2021-01 -p end_date 2025-06
                                               custom run -> reports/custom/02_...-<hash>/ (notebooks/ untouched)
  python -m analysis run 04 -p top_k 3 --out /tmp/what-if
                                               custom run -> /tmp/what-if/04_claims_check/
  python -m analysis run 01 -p events '{"War": "2022-02-24"}' -p end_date null
                                               lists and objects as JSON; null = the notebook's "newest data"
  python -m analysis run 02 03 --people /tmp/clean
                                               reports 02 and 03 on an export cleaned into /tmp/clean
  python -m analysis run 01 --timeout 1200     allow 20 minutes per cell

Parameter values are JSON values checked against notebooks/parameters.yml (choices, ranges, real dates)
before anything runs. A default run (no -p/--out/--people) writes reports/<name>/{<name>.ipynb,
<name>.html,figures/,tables/}, rewrites reports/index.html and stores the executed notebook back in
notebooks/<name>.ipynb. Exit codes: 0 ok, 1 a notebook failed (copy in reports/failed/<name>.ipynb),
2 bad usage, config or raw data (nothing built), 130 interrupted.
"""


@dataclass(frozen=True)
class Report:
    """One entry of reports.yml, with paths resolved."""

    name: str
    notebook: Path
    title: str
    summary: str
    inputs: tuple[Path, ...]
    person_level: bool = False  # reads person-level data: data/processed (or --people DIR) is an input


# --------------------------------------------------------------------------------------------- config


def load_config(config_path: str | Path) -> list[Report]:
    """Read and check reports.yml; raise DataError naming the file for anything malformed."""
    import yaml

    config = Path(config_path)
    if not config.is_file():
        raise UsageError(f"config not found: {config}")
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(config, f"not valid YAML: {' '.join(str(exc).split())}") from None
    entries = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DataError(config, "expected a top-level 'reports:' list with at least one report")
    reports, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"reports[{index}]"
        if not isinstance(entry, dict):
            raise DataError(config, f"{where}: expected a mapping with name, notebook, title, summary, inputs")
        missing = sorted({"name", "notebook", "title"} - entry.keys())
        if missing:
            raise DataError(config, f"{where}: missing {', '.join(missing)}")
        unknown = sorted(set(entry) - CONFIG_KEYS)
        if unknown:
            raise DataError(config, f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(CONFIG_KEYS))})")
        name = str(entry["name"])
        if not NAME_PATTERN.match(name) or name in {"custom", "failed"}:
            raise DataError(config, f"{where}: bad report name {name!r}")
        if name in seen:
            raise DataError(config, f"{where}: duplicate report name {name!r}")
        seen.add(name)
        notebook = (config.parent / str(entry["notebook"])).resolve()
        if not notebook.is_file():
            raise DataError(config, f"{where} ({name}): notebook {entry['notebook']} not found next to the config")
        raw_inputs = entry.get("inputs") or []
        if not isinstance(raw_inputs, list):
            raise DataError(config, f"{where} ({name}): 'inputs' must be a list of paths")
        inputs = []
        for item in raw_inputs:
            path = paths.ROOT / str(item)  # an absolute path stays absolute
            if not path.exists():
                raise DataError(config, f"{where} ({name}): input {item} does not exist (relative to {paths.ROOT})")
            inputs.append(path)
        person_level = entry.get("person_level", False)
        if not isinstance(person_level, bool):
            raise DataError(config, f"{where} ({name}): 'person_level' must be true or false")
        reports.append(Report(name, notebook, str(entry["title"]), str(entry.get("summary", "")), tuple(inputs),
                              person_level))
    return reports


def select(reports: list[Report], wanted: list[str]) -> list[Report]:
    """Reports named by full name or numeric prefix (`01`), in config order; all when `wanted` is empty."""
    if not wanted:
        return list(reports)
    chosen = set()
    for token in wanted:
        exact = [r.name for r in reports if r.name == token]
        matches = exact or [r.name for r in reports if r.name.split("_", 1)[0] == token]
        if not matches:
            raise UsageError(f"no report named {token!r} (known: {', '.join(r.name for r in reports)})")
        if len(matches) > 1:
            raise UsageError(f"{token!r} is ambiguous: {', '.join(matches)}")
        chosen.add(matches[0])
    return [r for r in reports if r.name in chosen]


# ---------------------------------------------------------------------------------------- notebooks


def normalise_notebook(nb: Any) -> Any:
    """Make an executed notebook byte-stable; returns the same object, changed in place.

    Removes `metadata.papermill`, per-cell `metadata.papermill` / `metadata.execution` and empty `tags`
    lists papermill adds; gives the injected-parameters cell the id `injected-parameters` and cells
    without an id `cell-<index>` (ids are made unique); keeps sources, outputs and execution counts.
    """
    nb["metadata"].pop("papermill", None)
    if nb.get("nbformat", 4) == 4 and nb.get("nbformat_minor", 0) < 5:
        nb["nbformat_minor"] = 5  # cell ids exist from 4.5 on
    used: set[str] = set()
    for index, cell in enumerate(nb["cells"]):
        meta = cell.setdefault("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if meta.get("tags") == []:
            del meta["tags"]
        if stamps.INJECTED_TAG in meta.get("tags", []):
            cell_id = INJECTED_ID
        else:
            cell_id = cell.get("id") or f"cell-{index}"
        base, suffix = cell_id, 1
        while cell_id in used:
            suffix += 1
            cell_id = f"{base}-{suffix}"[:64]
        used.add(cell_id)
        cell["id"] = cell_id
    return nb


def notebook_bytes(nb: Any) -> bytes:
    """Serialise like Jupyter does (sorted keys, indent 1) plus a final newline."""
    import nbformat

    return (nbformat.writes(nb) + "\n").encode("utf-8")


def html_bytes(nb: Any, name: str, folder: Path | None = None, title: str | None = None) -> bytes:
    """The readable, offline page of an executed notebook (the site's report page: code folded, MathML, no
    script or network request), also for custom runs; `folder` holds its results.json and files."""
    from types import SimpleNamespace

    from analysis import site

    results = site.read_results(folder / "results.json") if folder is not None else {}
    entry = SimpleNamespace(name=name, title=title or name, summary="")
    page, _ = site.report_page(nb, entry, results, folder if folder is not None else Path("."))
    return page.encode("utf-8")


# ------------------------------------------------------------------------------------------ execution


class NotebookFailed(Exception):
    """A notebook raised while executing; the message is one line for the user."""


def _first_line(source: Any) -> str:
    text = "".join(source) if isinstance(source, list) else str(source or "")
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:80]
    return "(empty cell)"


def _failure_message(report: Report, error: Any, executed: Any) -> str:
    """'<name>: cell 3 (`raise ValueError(...)`) raised ValueError: boom' for a PapermillExecutionError."""
    index = error.cell_index
    if executed is not None:  # count in the source notebook: skip papermill's injected / marker cells
        skipped = 0
        for cell in executed["cells"][: error.cell_index]:
            tags = cell.get("metadata", {}).get("tags", [])
            skipped += stamps.INJECTED_TAG in tags
        index -= skipped
    evalue = " ".join(str(error.evalue).split())  # whole: the advice is often at the end
    return f"{report.name}: cell {index} (`{_first_line(error.source)}`) raised {error.ename}" + (
        f": {evalue}" if evalue else ""
    )


def injected_notebook(report: Report, parameters: dict[str, Any]) -> Any:
    """The source notebook with a cell `injected-parameters` after its `parameters` cell, written by us.

    papermill is given no parameters: its translator writes values unescaped (issue 9). Each line here
    is `name = repr(value)` of a checked JSON value (params.to_source).
    """
    import nbformat

    nb = nbformat.read(report.notebook, as_version=4)
    if not parameters:
        return nb
    lines = ["# Parameters"] + [to_source(name, value) for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell(source="\n".join(lines) + "\n")
    cell.metadata["tags"] = [stamps.INJECTED_TAG]
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    nb.cells.insert(index + 1, cell)
    return nb


def execute(report: Report, parameters: dict[str, Any], final_dir: Path, timeout: int, key: str,
            progress: bool = False, people: Path | None = None) -> tuple[Any, list[str]]:
    """Run one notebook into a staging folder and move it to `final_dir` on success.

    Returns the executed notebook and the kernel's output lines that are not known noise. Raises
    NotebookFailed (after saving REPORTS/failed/<name>.ipynb when there is a partial copy).
    """
    import logging

    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".staging-{report.name}-{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=final_dir.parent)).resolve()
    with workers.staging_folder(staging):
        out = staging / report.name
        out.mkdir()
        source_path = staging / f"{report.name}.source.ipynb"
        nbformat.write(injected_notebook(report, parameters), source_path)
        executed_path = staging / f"{report.name}.executed.ipynb"
        log = staging / "kernel.log"
        extra = {"ANALYSIS_REPORTS": str(staging)} | ({PEOPLE_ENV: str(people)} if people else {})
        try:
            with workers.kernel_environment(extra), workers.captured_output(log):
                papermill.execute_notebook(
                    str(source_path),
                    str(executed_path),
                    kernel_name=workers.KERNEL,
                    cwd=str(report.notebook.parent),
                    execution_timeout=timeout,
                    progress_bar=progress,
                    log_output=False,
                    request_save_on_cell_execute=False,
                )
        except PapermillExecutionError as error:
            partial = nbformat.read(executed_path, as_version=4) if executed_path.is_file() else None
            message = _failure_message(report, error, partial)
            if partial is not None:
                failed = paths.REPORTS / "failed" / f"{report.name}.ipynb"
                outpaths.write_if_changed(failed, notebook_bytes(normalise_notebook(partial)))
                message += f" (partial notebook: {_shown(failed)})"
            raise NotebookFailed(message) from None
        except Exception as error:  # timeout, dead kernel, missing kernel: no partial copy is written
            if type(error).__name__ == "CellTimeoutError":
                raise NotebookFailed(f"{report.name}: a cell ran longer than {timeout} s (raise --timeout)") from None
            detail = " ".join(str(error).split())
            said = workers.useful_lines(log.read_text(encoding="utf-8", errors="replace")) if log.is_file() else []
            kernel = f" (kernel said: {' | '.join(said[-3:])})" if said else ""
            raise NotebookFailed(f"{report.name}: execution failed: {type(error).__name__}: {detail}{kernel}") from None
        noise_free = workers.useful_lines(log.read_text(encoding="utf-8", errors="replace")) if log.is_file() else []

        nb = normalise_notebook(nbformat.read(executed_path, as_version=4))
        (out / f"{report.name}.ipynb").write_bytes(notebook_bytes(nb))
        (out / f"{report.name}.html").write_bytes(html_bytes(nb, report.name, out, report.title))
        stamps.write_stamp(out, key)
        _replace_dir(out, final_dir)
        return nb, noise_free

def _replace_dir(new: Path, final: Path) -> None:
    """Move `new` to `final`, replacing what was there with two renames."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}-")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- index

def _is_synthetic(results: Path) -> bool:
    if not results.is_file():
        return False
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(results, f"not valid JSON: {exc}") from None
    return isinstance(data, dict) and data.get("synthetic") is True


# ------------------------------------------------------------------------------------------------ CLI


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis run",
        description="Execute report notebooks with papermill (kernel python3, in up to --jobs processes) into reports/, "
        "skipping reports whose notebook, parameters, inputs and package versions are unchanged.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="report name or its numeric prefix (01); default: all reports, in config order")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"),
                        help="override a notebook parameter (repeatable); a JSON value checked against the notebook's "
                        "'parameters' cell and notebooks/parameters.yml; makes this a custom run")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--out", metavar="DIR",
                        help="custom run: write DIR/<name>/ (default with -p/--people: reports/custom/<name>-<hash>/); "
                        "DIR must be new, empty, or made by an earlier --out run")
    parser.add_argument("--people", metavar="DIR",
                        help="person-level reports (02, 03) on the export cleaned into DIR by "
                        "`python -m analysis clean ... --out DIR`; makes this a custom run")
    parser.add_argument("--timeout", type=_positive_int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"per-cell execution timeout (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="reports config (default notebooks/reports.yml)")
    parser.add_argument("--jobs", "-j", type=_positive_int, default=DEFAULT_JOBS, metavar="N",
                        help=f"run up to N notebooks at once in separate processes (default {DEFAULT_JOBS}: "
                        "the number of cores, at most 2)")
    return parser


def _timed_execute(report: Report, parameters: dict[str, Any], final: Path, timeout: int, key: str,
                   people: Path | None) -> tuple[Any, list[str], float]:
    """execute() in a worker process, timed."""
    t0 = time.perf_counter()
    nb, lines = execute(report, parameters, final, timeout, key, people=people)
    return nb, lines, time.perf_counter() - t0


def _run_in_workers(todo: list, jobs: int, timeout: int, people: Path | None, finish) -> str | None:
    """Run reports in `jobs` worker processes (never threads: kernels launched from threads collide).

    Workers die with the runner (workers.init_worker). Results are stored in config order as they
    complete; the first failure cancels reports not yet started. Ctrl-C ends every worker and its kernel,
    which remove their staging folders, and raises KeyboardInterrupt here.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    failure = None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=workers.init_worker)
    try:
        futures = []
        for report, parameters, final, key in todo:
            futures.append(pool.submit(_timed_execute, report, parameters, final, timeout, key, people))
        for (report, _, final, _), future in zip(todo, futures):
            try:
                nb, lines, seconds = future.result()
            except NotebookFailed as exc:
                failure = failure or str(exc)
                for pending in futures:
                    pending.cancel()
                continue
            except Exception as exc:  # cancelled after an earlier failure, or a broken worker
                failure = failure or f"{report.name}: {type(exc).__name__}: {' '.join(str(exc).split())}"
                continue
            finish(report, final, nb, lines, seconds)  # a report that succeeded is kept even if another failed
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(OSError):
                process.terminate()  # SIGTERM: the worker kills its kernel and removes its staging folder
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return failure


def _overrides(pairs: list[list[str]]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for key, value in pairs:
        if key in overrides and overrides[key] != value:
            raise UsageError(f"parameter '{key}' given twice ({overrides[key]!r} and {value!r})")
        overrides[key] = value
    return overrides


def check_raw_data(schemas: bool) -> None:
    """Integrity first: every raw file against its checksum, then (when something will run) its schema.

    One mismatch raises DataError naming the file (and row and column), before any report runs, so
    reports/ stays as it was. The schemas are skipped when every report is up to date: their stamps
    cover the raw files and the code, so those files passed when the reports were built.
    """
    from analysis import provenance

    files = provenance.raw_files()
    for path in files:
        provenance.verify(path)
    if schemas:
        from analysis.sources import curated

        for name in curated.TABLES:
            path = curated.path_of(name)
            if path.exists():
                curated.validate(curated.read_raw(path), name, path)


def people_origin(folder: Path) -> str:
    """'synthetic' when the cleaned export in `folder` says it came from the generator, else 'real'.

    The same signs as analysis.people.load(): counts.json or clean's marker file says `synthetic`, the file
    `SYNTHETIC` exists, or a row of people.csv has source `synthetic`.
    """
    for name in ("counts.json", CLEAN_MARKER):
        path = folder / name
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except ValueError:
            raise DataError(path, "not valid JSON") from None
        if isinstance(data, dict) and data.get("synthetic"):
            return "synthetic"
    if (folder / SYNTHETIC_FILE).exists():
        return "synthetic"
    with open(folder / outpaths.PEOPLE_FILE, encoding="utf-8", newline="") as handle:
        if any(row.get("source") == "synthetic" for row in csv.DictReader(handle)):
            return "synthetic"
    return "real"


def _results_synthetic(final: Path) -> bool | None:
    results = final / "results.json"
    if not results.is_file():
        return None
    return _is_synthetic(results)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    config = args.config or paths.CONFIG
    reports = load_config(config)
    selected = select(reports, args.names)
    overrides = _overrides(args.parameter)

    # everything is checked before the first kernel starts: paths, parameters, then the raw data
    out = outpaths.check_out(args.out) if args.out is not None else None
    people = outpaths.check_people(args.people) if args.people is not None else None
    if people is not None:
        flat = [r.name for r in selected if not r.person_level]
        if flat:
            raise UsageError(f"--people: {', '.join(flat)} read no person-level data; select the person-level "
                             f"reports ({', '.join(r.name for r in reports if r.person_level) or 'none'})")
        if overrides.get("person_source", "auto") != "auto":
            raise UsageError("--people and -p person_source do not go together: --people chooses the data")
    custom = bool(overrides) or out is not None or people is not None
    spec = load_spec(Path(config).parent / SPEC_FILE)
    typed = {r.name: validate(r.notebook, overrides, spec.get(r.name) or {}) if overrides else {} for r in selected}
    for report in selected:
        check_floors(report.notebook)
    origin = people_origin(people) if people is not None else None
    check_raw_data(schemas=False)  # checksums always; schemas below, as soon as anything will run

    started = time.perf_counter()
    todo: list[tuple[Report, dict[str, Any], Path, str]] = []
    for report in selected:
        parameters = typed[report.name]
        key = stamps.stamp(report, parameters, people)
        if out is not None:
            final = out / report.name
        elif custom:
            hashed = {"parameters": parameters, "people": stamps.people_digest(people)} if people else parameters
            tag = stamps.params_hash(hashed)
            final = paths.REPORTS / "custom" / f"{report.name}-{tag}"
        else:
            final = paths.REPORTS / report.name
        if not args.force and stamps.is_up_to_date(report, final, key, write_back=not custom):
            print(f"{report.name}: up to date", flush=True)
            continue
        todo.append((report, parameters, final, key))
    if todo:
        check_raw_data(schemas=True)

    for folder in {paths.REPORTS, paths.REPORTS / "custom", *(final.parent for _, _, final, _ in todo)}:
        outpaths.clean_leftovers(folder)
    if out is not None and todo:
        outpaths.mark(out)

    def finish(report: Report, final: Path, nb: Any, lines: list[str], seconds: float) -> None:
        for line in lines:
            print(f"{report.name}: kernel: {line}", flush=True)
        if people is not None:
            synthetic = _results_synthetic(final)
            if synthetic is not None and synthetic != (origin == "synthetic"):
                shutil.rmtree(final, ignore_errors=True)  # never leave a report that misstates its data
                raise NotebookFailed(f"{report.name}: the report says synthetic={synthetic} but {people} holds a "
                                     f"{origin} export; did the notebook read {PEOPLE_ENV}?")
        stored = ""
        if not custom:
            if outpaths.write_if_changed(report.notebook, notebook_bytes(nb)):
                stored = f" (outputs stored in {_shown(report.notebook)})"
            (paths.REPORTS / "failed" / f"{report.name}.ipynb").unlink(missing_ok=True)
        shown = ", ".join(f"{k}={v!r}" for k, v in typed[report.name].items())
        detail = (f" with {shown}" if shown else "") + (f" on {origin} people data from {people}" if people else "")
        print(f"{report.name}: done in {seconds:.1f} s{detail} -> {_shown(final / f'{report.name}.html')}{stored}",
              flush=True)

    failure = None
    try:
        if todo:
            failure = _run_in_workers(todo, min(args.jobs, len(todo)), args.timeout, people, finish)
    except KeyboardInterrupt:
        print("interrupted: stopped every notebook; finished reports kept, unfinished ones left as they were",
              file=sys.stderr, flush=True)
        return INTERRUPTED
    except NotebookFailed as exc:
        failure = str(exc)

    if not custom:
        from analysis import site  # the static site: index.html and a readable page per report
        print(f"index: {_shown(site.build(reports, paths.REPORTS))}", flush=True)
    if failure:
        print(f"error: {failure}", file=sys.stderr, flush=True)
        return 1
    built = len(todo)
    print(f"{len(selected)} report{'s' * (len(selected) != 1)}: {built} built, {len(selected) - built} up to date, "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
