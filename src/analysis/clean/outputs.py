"""Where `clean` may write, and how: private, marked output folders swapped in whole.

Rules (each refusal is one line, exit 2, before anything is read or written):

* ``--out`` is resolved against the caller's working directory (symbolic links followed);
* it must be a new or empty folder, or one that ``clean`` made before (it holds :data:`MARKER_FILE`);
* it may not be a file, the repository root, or inside ``.git``, ``data/raw``, ``notebooks``, ``src`` or
  ``reports``;
* without ``--out`` the output goes to ``data/processed/user/<source>/`` (:func:`default_out`), never to
  ``data/processed/synthetic/``, which every build regenerates.

Every output folder is 0700 with files 0600 (also when the folder existed with other modes) and holds a
``.gitignore`` of ``*``; a synthetic one also holds :data:`SYNTHETIC_FILE`. Files are written to a
temporary folder beside the target (named with the process id) and swapped in when complete; leftovers of
a run that died are removed by the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from analysis import SYNTHETIC_STAMP, paths
from analysis.errors import UsageError
from analysis.outpaths import pid_alive

OUTPUT_FILES = ("people.csv", "quarantine.csv", "counts.json")
GITIGNORE = ".gitignore"
GITIGNORE_TEXT = b"# person-level outputs: never commit\n*\n"
MARKER_FILE = ".analysis-clean"  # says: this folder was made by `python -m analysis clean`
SYNTHETIC_FILE = "SYNTHETIC"
TRUTH_FILE = "truth.json"  # the synthetic generator's known parameters, when available
USER_DIR = "user"  # data/processed/user/<source>/: cleans run by the user
OURS = frozenset({*OUTPUT_FILES, GITIGNORE, MARKER_FILE, SYNTHETIC_FILE, TRUTH_FILE})
FORBIDDEN = (".git", "data/raw", "notebooks", "src", "reports")  # relative to the repository root
DIR_MODE, FILE_MODE = 0o700, 0o600


def default_out(source: str) -> Path:
    """The output folder of `clean --source SOURCE` without --out."""
    return paths.PROCESSED / USER_DIR / source


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(out: str | Path, cwd: Path | None = None) -> Path:
    """The absolute output folder for ``--out`` after the rules of this module; UsageError otherwise."""
    path = Path(out).expanduser()
    path = ((cwd or Path.cwd()) / path if not path.is_absolute() else path).resolve()
    root = paths.ROOT.resolve()
    if path == root:
        raise UsageError(f"--out {path} is the repository root; choose a new folder (e.g. data/processed/user/mine)")
    for part in FORBIDDEN:
        if _inside(path, root / part):
            raise UsageError(f"--out {path} is inside {part}/, where person-level outputs must never go")
    if _inside(path, paths.REPORTS.resolve()):
        raise UsageError(f"--out {path} is inside the reports folder, where person-level outputs must never go")
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {path} is a file, not a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER_FILE).is_file():
        raise UsageError(f"--out {path} is a folder with other files in it; give a new or empty folder "
                         f"(or one `clean` made before)")
    return path


def render_marker(source: str, synthetic: bool) -> dict[str, bytes]:
    """The marker, .gitignore and (for synthetic data) SYNTHETIC files of an output folder."""
    files = {
        GITIGNORE: GITIGNORE_TEXT,
        MARKER_FILE: (json.dumps({"made_by": "python -m analysis clean", "source": source,
                                  "synthetic": synthetic}, sort_keys=True) + "\n").encode("utf-8"),
    }
    if synthetic:
        files[SYNTHETIC_FILE] = (f"{SYNTHETIC_STAMP}\nThese tables were cleaned from an export written by the "
                                 "synthetic generator (its marker was found); every output built from them "
                                 "must carry the stamp.\n").encode("utf-8")
    return files


def _remove_leftovers(target: Path) -> None:
    """Temporary folders for the same target left by runs that died (their process id is in the name)."""
    for stale in target.parent.glob(f".{target.name}.*-*"):
        kind, _, rest = stale.name[len(target.name) + 2:].partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("tmp", "old") and stale.is_dir() and not (pid.isdigit() and pid_alive(int(pid))):
            shutil.rmtree(stale, ignore_errors=True)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


def write_atomically(files: dict[str, bytes], target: Path) -> None:
    """Write ``files`` into ``target`` so that readers see either the old or the new set, privately.

    The files go to a temporary 0700 folder in the same parent; when the target holds only our own outputs
    it is swapped as a whole (rename old away, rename new in, delete old), otherwise each file is moved in
    and other files are left alone (our files that the new set lacks, such as SYNTHETIC, are removed).
    A failure before the swap leaves the target untouched.
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {target} exists and is not a directory")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=parent))  # mode 0700
    try:
        for name, data in files.items():
            _write_private(tmp / name, data)
        if not target.exists():
            os.replace(tmp, target)
            return
        if {p.name for p in target.iterdir()} <= OURS:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=parent))
            os.replace(target, old / "d")
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old / "d", target)
                raise
            shutil.rmtree(old, ignore_errors=True)
            return
        os.chmod(target, DIR_MODE)
        for name in files:
            os.replace(tmp / name, target / name)
        for name in OURS - set(files):
            (target / name).unlink(missing_ok=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
