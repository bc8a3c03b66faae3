"""Every command the README shows is either run here (quickly, in temporary folders) or skipped for a stated reason.

Commands come from the README's ```bash blocks and from inline code that starts like a command
(`make …`, `python -m analysis …`, `.venv/bin/…`, `pytest …`, `conda …`). Each must match one rule in RULES:
- "run": executed with the project's Python, paths under /tmp/ moved into a temporary folder; must exit 0;
- "check": a notebook run (`analysis run …`): its names and `-p` values go through the runner's own checks,
  without starting a kernel (nbval re-executes the notebooks, and the parameter tests cover the rest);
- "skip": needs private data, a person at the keyboard, conda, or is the build/test itself.
A new command in the README that matches no rule fails the test, so the README cannot drift from what works.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths, run
from analysis.params import SPEC_FILE, load_spec, validate

README = paths.ROOT / "README.md"
COMMAND_START = re.compile(r"^(make |python -m analysis|\.venv/bin/|pytest |conda )")
PYTHON = re.compile(r"^(\.venv/bin/)?python(3)? ")
RULES: list[tuple[str, str, str]] = [  # (pattern, action, why)
    (r"make help", "run", ""),
    (r"make checksums", "run", ""),
    (r"make (reports|reports-force|benchmark)", "skip", "builds every report or times it (minutes); CI checks freshness"),
    (r"make (test|unit)", "skip", "this is the test suite itself"),
    (r"make mutation(-full)?", "skip", "mutation testing runs the unit tests thousands of times (hours on 2 cores)"),
    (r"pytest tests notebooks .*", "skip", "this is the test suite itself (conda route)"),
    (r"conda .*", "skip", "conda is not part of CI (environment.yml pins are checked by test_environment)"),
    (r"\.venv/bin/jupyter lab", "skip", "interactive"),
    (r"export ANALYSIS_PSEUDONYM_KEY_FILE=.*", "skip", "private key of a real export"),
    (r".*analysis clean --source viasna .*", "skip", "needs a private real export"),
    (r".*analysis fetch viasna.*", "skip", "downloads from the internet; tests/test_fetch.py runs it against a local server"),
    (r".*analysis diff .*", "skip", "needs two real snapshots; tests/test_changes.py runs diff on a synthetic pair"),
    (r"make lock", "skip", "resolves the dependency tree from PyPI (network); test_environment checks the lock"),
    (r".*analysis run --help", "run", ""),
    (r".*analysis run --jobs", "skip", "names an option in prose, not a command"),
    (r".*analysis clean --source synthetic --input FILE --out DIR", "skip", "placeholders in the benchmark's text"),
    (r".*analysis (synth|clean --source synthetic) .*", "run", ""),
    (r".*analysis checksum --update \S+", "run", ""),  # in a copy of the project: it rewrites a sidecar
    (r".*analysis run( .*)?", "check", ""),
]


def commands() -> list[str]:
    """The README's commands in order of appearance, each on one line, comments removed."""
    text = README.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line:
                found.append(line)
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`]+)`", prose):
        span = " ".join(span.split())
        if COMMAND_START.match(span):
            found.append(span)
    return list(dict.fromkeys(found))


def rule(command: str) -> tuple[str, str]:
    for pattern, action, why in RULES:
        if re.fullmatch(pattern, command):
            return action, why
    raise AssertionError(f"README command with no rule in tests/test_readme_commands.py: {command!r}")


def test_readme_has_commands_and_every_one_has_a_rule():
    found = commands()
    assert any(c.startswith("make ") for c in found) and any("analysis run" in c for c in found)
    for command in found:
        rule(command)


def _argv(command: str, tmp: Path) -> list[str]:
    command = command.replace("/tmp/", f"{tmp}/")
    if PYTHON.match(command):
        return [sys.executable, *shlex.split(PYTHON.sub("", command, count=1))]
    return shlex.split(command)


@pytest.fixture(scope="module")
def tmp_path(tmp_path_factory) -> Path:
    """One folder for the whole module: the README's commands build on each other (synth, then clean)."""
    return tmp_path_factory.mktemp("readme")


@pytest.mark.parametrize("command", [c for c in commands() if rule(c)[0] == "run"])
def test_readme_command_runs(command, tmp_path):
    env = {**os.environ, "ANALYSIS_REPORTS": str(tmp_path / "reports"), "ANALYSIS_PROCESSED": str(tmp_path / "processed")}
    cwd = paths.ROOT
    if "checksum --update" in command:  # on a copy of the raw data, never on the repository's own files
        shutil.copytree(paths.RAW, tmp_path / "project" / "data" / "raw", dirs_exist_ok=True)
        cwd, env["ANALYSIS_ROOT"] = tmp_path / "project", str(tmp_path / "project")
    result = subprocess.run(_argv(command, tmp_path), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command!r} exited {result.returncode}:\n{result.stdout[-800:]}\n{result.stderr[-800:]}"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [c for c in commands() if rule(c)[0] == "check"])
def test_readme_report_run_is_accepted(command, tmp_path):
    argv = _argv(command, tmp_path)
    args = run.build_parser().parse_args(argv[argv.index("run") + 1:])
    reports = run.select(run.load_config(args.config or paths.CONFIG), args.names)
    overrides = dict(args.parameter)
    spec = load_spec(paths.CONFIG.parent / SPEC_FILE)
    for report in reports:
        if overrides:
            validate(report.notebook, overrides, spec.get(report.name) or {})
