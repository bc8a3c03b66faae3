"""Where a run may write: `--out` and `--people` checked before anything runs, and staging left-overs cleaned.

A run with `--out DIR` writes `DIR/<report>/`. DIR is resolved against the caller's working directory
(symlinks followed) before any kernel starts, so the kernel only ever sees absolute paths. DIR must be a
new or empty folder, or one this tool made before (it holds `MARKER`); it may not be a file, the
repository root or an ancestor of it, inside a folder the project owns (data/raw, data/processed,
notebooks, src, tests, .git, .venv, the default reports tree; named in the message), or anywhere else in
the repository (so a custom report is never committed by accident). Each refusal is one UsageError line.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from analysis import paths
from analysis.errors import UsageError

MARKER = ".analysis-out"  # written into every --out folder the runner made; such a folder may be reused
MARKER_TEXT = "Made by `python -m analysis run --out`; the reports in this folder may be replaced by the next run.\n"
PROTECTED = ("data/raw", "data/processed", "notebooks", "src", "tests", ".git", ".venv", "reports")
STAGING_PREFIXES = (".staging-", ".old-")  # the runner's temporary folders, named <prefix><report>-<pid>-...
STAGING_PID = re.compile(r"^\.(?:staging|old)-.+?-(\d+)(?:-|$)")
PEOPLE_FILE = "people.csv"
PEOPLE_FILES = (PEOPLE_FILE, "counts.json")  # what every output folder of `clean` holds


def resolve(path: str | Path, cwd: Path | None = None) -> Path:
    """Absolute, symlink-free form of a command-line path, relative paths taken from the caller's cwd."""
    path = Path(path).expanduser()
    if not path.is_absolute():
        path = Path(cwd or Path.cwd()) / path
    return path.resolve()


def protected_dirs() -> list[Path]:
    """Folders a report output may never go into (the default reports tree included)."""
    root = paths.ROOT.resolve()
    dirs = [root / p for p in PROTECTED] + [paths.REPORTS.resolve(), paths.NOTEBOOKS.resolve(), paths.RAW.resolve()]
    return sorted(set(dirs))


def check_out(out: str | Path, cwd: Path | None = None) -> Path:
    """The absolute output folder of `--out`, or UsageError saying why it may not be used."""
    given, path = str(out), resolve(out, cwd)
    root = paths.ROOT.resolve()
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {given}: is a file, not a folder")
    if path == root or path in root.parents:
        raise UsageError(f"--out {given}: is the repository root or above it; give a new folder, e.g. /tmp/what-if")
    for folder in protected_dirs():
        if path == folder or folder in path.parents:
            shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
            raise UsageError(f"--out {given}: is inside {shown}/, which the project owns; give a new folder "
                             "outside it, e.g. /tmp/what-if")
    if root in path.parents:
        raise UsageError(f"--out {given}: is inside the repository ({root}); give a folder outside it, "
                         "e.g. /tmp/what-if (custom runs without --out go to reports/custom/)")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER).is_file():
        raise UsageError(f"--out {given}: folder is not empty and was not made by this tool; give a new or "
                         "empty folder")
    return path


def mark(out: Path) -> None:
    """Create the --out folder (if needed) and leave the marker that lets a later run reuse it."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")


def check_people(folder: str | Path, cwd: Path | None = None) -> Path:
    """The absolute folder of `--people DIR` (an output folder of `clean`), or UsageError."""
    given, path = str(folder), resolve(folder, cwd)
    if not path.is_dir():
        raise UsageError(f"--people {given}: no such folder (give the output folder of `python -m analysis clean`)")
    missing = [name for name in PEOPLE_FILES if not (path / name).is_file()]
    if missing:
        raise UsageError(f"--people {given}: holds no {' or '.join(missing)}; give the output folder of "
                         "`python -m analysis clean`")
    return path


def pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (an id we may not signal, or cannot ask about, counts as alive:
    its leftovers are kept rather than removed under it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove staging / old folders that an interrupted run (whose process is gone) left in `folder`."""
    removed = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = STAGING_PID.match(entry.name)
        if entry.is_dir() and match and not pid_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` only when its bytes differ (through a temporary file and a rename, so a reader
    never sees half a file, and an unchanged file keeps its time stamp); True when it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True
