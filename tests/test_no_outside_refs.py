"""No tracked file may point to a folder outside the repository (a user's clone does not have it), nor speak of
copies that only the project's authors could search (PHRASE). This file is checked too, so the names it forbids
are assembled from parts and never written out whole."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED, UP, WORK = "shared", "../", "/work/"
PHRASE = "stored" + " copies"
FORBIDDEN = re.compile(
    r"\.\./+" + SHARED + "|" + WORK + SHARED + "|" + SHARED + "/research|" + WORK + r"(?:main|wt)\b"
    r"|\.\./+(?:research|\.library)|" + WORK + r"\.library|/tmp/" + r"iss\b|" + PHRASE,
    re.IGNORECASE)


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode("utf-8").split("\0") if p]


def offenders(files: list[str]) -> dict[str, list[str]]:
    """file -> the offending lines (text files only)."""
    found: dict[str, list[str]] = {}
    for rel in files:
        path = ROOT / rel
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        hits = [line.strip()[:160] for line in text.splitlines() if FORBIDDEN.search(line)]
        if hits:
            found[rel] = hits
    return found


def test_pattern_catches_what_it_should():
    for bad in (f"see {UP}{SHARED}/research/x.md", f"{WORK}{SHARED}/research", f"{SHARED}/research/NOTES.md",
                f"the {PHRASE} we searched", PHRASE.title()):
        assert FORBIDDEN.search(bad), bad
    for ok in ("data/raw/curated/pp_counts.csv", "docs/CLAIMS.md", "a shared definition", "research notes"):
        assert not FORBIDDEN.search(ok), ok


def test_no_tracked_file_refers_outside_the_repository():
    try:
        files = tracked_files()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    found = offenders(files)
    assert not found, "references outside the repository: " + "; ".join(
        f"{f}: {h[0]}" for f, h in sorted(found.items()))
