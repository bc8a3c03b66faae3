"""Freshness stamps: one sha256 of all that a report's output depends on, so `run` skips unchanged reports."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Iterator, Protocol

from analysis import paths, workers

STAMP_FILE = ".stamp"
STAMP_FORMAT = 1  # bump when the stamp's content changes meaning
STAMP_PACKAGES = ("pandas", "matplotlib", "statsmodels", "papermill", "nbconvert", "nbformat")
SKIP_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache"})
SKIP_SUFFIXES = (".pyc", ".pyo")
INJECTED_TAG = "injected-parameters"  # the runner's parameters cell: not written by the author
ERROR_MARKER_TAG = "papermill-error-cell-tag"
PARAMS_HASH_LENGTH = 8
DERIVED_PEOPLE = frozenset({"synthetic"})  # data/processed/<these>/ are rebuilt from code by every build


class StampedReport(Protocol):
    """What a stamp needs of a configured report (`analysis.run.Report` has it)."""

    name: str
    notebook: Path
    inputs: tuple[Path, ...]
    person_level: bool


def _read_json(path: Path) -> dict:
    """A JSON file as a dict."""
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_source_digest(nb: dict) -> str:
    """sha256 of what the author wrote: cell types, sources, `parameters` tags (not outputs/ids/metadata)."""
    cells = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if INJECTED_TAG in tags or ERROR_MARKER_TAG in tags:
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        cells.append([cell.get("cell_type"), source, "parameters" in tags])
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def _package_versions() -> dict[str, str]:
    """Versions of the packages that shape the output, and Python's major.minor."""
    versions = {}
    for package in STAMP_PACKAGES:
        try:
            versions[package] = importlib_metadata.version(package)
        except importlib_metadata.PackageNotFoundError:
            versions[package] = "not installed"
    versions["python"] = "%d.%d" % sys.version_info[:2]
    return versions


def _input_files(path: Path, skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every file under `path`, sorted per folder, without caches and bytecode."""
    if path.is_file():
        yield path.name, path
        return
    for dirpath, dirnames, filenames in os.walk(path):
        top = Path(dirpath) == path
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not (top and d in skip))
        for filename in sorted(filenames):
            if not filename.endswith(SKIP_SUFFIXES):
                full = Path(dirpath) / filename
                yield full.relative_to(path).as_posix(), full


def inputs_digest(inputs: tuple[Path, ...] | list[Path], skip: frozenset[str] = frozenset()) -> str:
    """sha256 over every file under the input paths: relative names and contents, in sorted order.

    Top-level folders named in `skip` are left out (data/processed/synthetic: rebuilt from code each time).
    """
    digest = hashlib.sha256()
    for root in sorted(Path(p) for p in inputs):
        # named relative to the project, so a fresh clone in another folder has the same stamps
        shown = root.relative_to(paths.ROOT) if root.is_relative_to(paths.ROOT) else root
        digest.update(f"input {shown.as_posix()}\n".encode())
        for relative, full in sorted(_input_files(root, skip)):
            digest.update(f"{relative}\0{hashlib.sha256(full.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def people_digest(people: Path | None) -> str:
    """sha256 of the person-level input: `--people DIR`, else the cleaned exports under data/processed.

    Contents only, not the folder's name, so the same export gives the same stamp wherever it lies. For
    data/processed only its sub-folders count, minus `synthetic/` (every build regenerates it from code,
    which is an input already) and hidden temporary folders: its README is documentation, and a fresh
    clone (or `make test`'s scratch folder) must give the same stamp as the tree the reports were built in.
    """
    if people is not None:
        return _contents_digest(people, frozenset())
    digest = hashlib.sha256()
    if paths.PROCESSED.is_dir():
        for folder in sorted(paths.PROCESSED.iterdir()):
            if folder.is_dir() and folder.name not in DERIVED_PEOPLE and not folder.name.startswith("."):
                digest.update(f"{folder.name}\0{_contents_digest(folder, frozenset())}\n".encode())
    return digest.hexdigest()


def _contents_digest(folder: Path, skip: frozenset[str]) -> str:
    """sha256 of the files under `folder` (relative names and contents), not of its own name or place."""
    digest = hashlib.sha256()
    if folder.exists():
        for relative, full in sorted(_input_files(folder, skip)):
            digest.update(f"{relative}\0{hashlib.sha256(full.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def stamp(report: StampedReport, parameters: dict[str, Any], people: Path | None = None) -> str:
    """The up-to-date key of one report run (see analysis.run, "Up-to-date check"); stored as `<out>/.stamp`."""
    content = {
        "format": STAMP_FORMAT,
        "notebook": notebook_source_digest(_read_json(report.notebook)),
        "parameters": parameters,
        "inputs": inputs_digest(report.inputs),
        "versions": _package_versions(),
        "kernel": workers.KERNEL,
    }
    if report.person_level:
        content["people"] = people_digest(people)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def write_stamp(out_dir: Path, key: str) -> None:
    """Store `key` as `<out_dir>/.stamp`, the file is_up_to_date() reads."""
    (out_dir / STAMP_FILE).write_text(key + "\n", encoding="utf-8")


def params_hash(parameters: dict[str, Any]) -> str:
    """Short hex key of a parameter set, used in the default custom output folder name."""
    text = json.dumps(parameters, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:PARAMS_HASH_LENGTH]


def is_up_to_date(report: StampedReport, out_dir: Path, key: str, write_back: bool) -> bool:
    """True when `out_dir` holds the report's outputs under stamp `key` (and, with `write_back`, its notebook)."""
    stamp_file = out_dir / STAMP_FILE
    executed = out_dir / f"{report.name}.ipynb"
    if not (stamp_file.is_file() and executed.is_file() and (out_dir / f"{report.name}.html").is_file()):
        return False
    if stamp_file.read_text(encoding="utf-8").strip() != key:
        return False
    # a default run also owns the committed notebook: outputs stripped or edited there -> rebuild
    return not write_back or report.notebook.read_bytes() == executed.read_bytes()
