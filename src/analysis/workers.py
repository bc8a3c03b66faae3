"""Worker processes of `run`: die with their parent, clean up after themselves, keep secrets and noise out.

- Every notebook runs in a worker process (`init_worker`): the worker asks Linux to send it SIGTERM when
  the runner dies (prctl PR_SET_PDEATHSIG, so even SIGKILL of the runner ends it); on SIGTERM it kills
  its kernel, removes its staging folders and exits at once. It ignores SIGINT: Ctrl-C is the runner's
  to handle (one line, no traceback from every process).
- `kernel_environment()` gives the kernel an environment without keys, tokens, secrets or passwords
  (ANALYSIS_PSEUDONYM_KEY above all): a notebook needs none of them.
- `captured_output()` sends the kernel's own stdout/stderr (ZMQ warnings, "KeyboardInterrupt caught in
  kernel") to a log file; `useful_lines()` keeps what is not known noise, shown once by the runner.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
from pathlib import Path
from typing import Iterator

SECRET_NAME = re.compile(
    r"(^|_)(KEY|KEYS|TOKEN|TOKENS|SECRET|SECRETS|PASSPHRASE|CREDENTIAL|CREDENTIALS|AUTH|COOKIE|PRIVATE)(_|$)"
    r"|PASSWORD|PASSWD|APIKEY",
    re.IGNORECASE,
)
NOISE = (
    re.compile(r"Unable to parse line"),
    re.compile(r"running over TCP without encryption", re.IGNORECASE),
    re.compile(r"All communication \(including code and outputs\)"),
    re.compile(r"KeyboardInterrupt caught in kernel"),
    re.compile(r"^\s*$"),
)
KERNEL = "python3"  # the Jupyter kernel every report notebook runs in (part of its stamp)
PR_SET_PDEATHSIG = 1
_staging: set[Path] = set()  # this process's staging folders, removed on SIGTERM


def is_secret(name: str) -> bool:
    """True for environment variable names that look like keys, tokens, secrets or passwords."""
    return bool(SECRET_NAME.search(name))


@contextlib.contextmanager
def kernel_environment(extra: dict[str, str]) -> Iterator[None]:
    """os.environ without secrets and with `extra` set, for a kernel started inside; restored afterwards."""
    saved = dict(os.environ)
    try:
        for name in [n for n in os.environ if is_secret(n)]:
            del os.environ[name]
        os.environ.update(extra)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _children(pid: int) -> list[int]:
    """Descendants of `pid` (Linux /proc), deepest last."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found.extend(kids)
        frontier.extend(kids)
    return found


def descendants(pid: int | None = None) -> list[int]:
    """Process ids started (directly or not) by `pid`, default this process."""
    try:
        return _children(os.getpid() if pid is None else pid)
    except OSError:  # no /proc (not Linux)
        return []


def _terminate(signum: int, frame: object) -> None:
    for child in descendants():
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
    for folder in list(_staging):
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(128 + signum)


def init_worker() -> None:
    """Initializer of a worker process: die with the parent, ignore Ctrl-C, clean up on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before prctl took effect
        _terminate(signal.SIGTERM, None)


@contextlib.contextmanager
def staging_folder(path: Path) -> Iterator[Path]:
    """Register a staging folder for removal on SIGTERM and remove it on any exit of the block."""
    _staging.add(path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        _staging.discard(path)


@contextlib.contextmanager
def captured_output(log: Path) -> Iterator[None]:
    """File descriptors 1 and 2 (inherited by the kernel) go to `log` inside the block."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def useful_lines(text: str) -> list[str]:
    """Lines of kernel output that are not known noise, each once, in order."""
    kept: list[str] = []
    for line in text.splitlines():
        if not any(pattern.search(line) for pattern in NOISE) and line not in kept:
            kept.append(line)
    return kept
