"""Provenance sidecars (`<name>.meta.yml` beside each raw file) and their sha256 checks."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import DataError

REQUIRED_KEYS = ("title", "producer", "urls", "date_published", "date_accessed", "license", "sha256")
SHA_LINE = re.compile(r"^sha256:.*$", re.MULTILINE)


def sidecar(path: Path) -> Path:
    """Return the provenance file that belongs to a raw data file."""
    path = Path(path)
    return path.with_name(path.name.split(".")[0] + ".meta.yml")


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_meta(path: Path) -> dict:
    """Read and check the sidecar of a raw file; raise DataError naming what is missing."""
    meta_path = sidecar(path)
    if not meta_path.exists():
        raise DataError(path, f"no provenance sidecar; expected {meta_path.name} beside it")
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(meta_path, f"not valid YAML ({exc.__class__.__name__})") from None
    missing = [k for k in REQUIRED_KEYS if not meta.get(k)]
    if missing:
        raise DataError(meta_path, f"provenance keys missing or empty: {', '.join(missing)}")
    return meta


def verify(path: Path) -> dict:
    """Check a raw file against the sha256 in its sidecar and return the metadata."""
    meta = read_meta(path)
    actual = sha256(path)
    if str(meta["sha256"]) != actual:
        raise DataError(
            path,
            f"sha256 {actual[:12]}… does not match {sidecar(path).name} ({str(meta['sha256'])[:12]}…). "
            "If you changed the file on purpose, document the change and run "
            f"`python -m analysis checksum --update {path}`",
        )
    return meta


def update(path: Path) -> str:
    """Rewrite only the sha256 line of a sidecar after a documented edit of the raw file."""
    read_meta(path)
    meta_path = sidecar(path)
    digest = sha256(path)
    text = meta_path.read_text(encoding="utf-8")
    meta_path.write_text(SHA_LINE.sub(f"sha256: {digest}", text, count=1), encoding="utf-8")
    return digest


def raw_files(root: Path | None = None) -> list[Path]:
    """All raw data files (everything under data/raw that is not a sidecar or README)."""
    root = Path(root or paths.RAW)
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".meta.yml") and p.suffix.lower() not in {".md", ".txt"}
    )


def main(argv: list[str]) -> int:
    """`python -m analysis checksum [--update] [FILE ...]`: verify (default) or record sha256 of raw files."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis checksum",
        description="Verify raw data files against the sha256 in their .meta.yml sidecars, "
        "or record a new sha256 after a documented edit (--update).",
    )
    parser.add_argument("files", nargs="*", type=Path, help="raw files (default: every file under data/raw)")
    parser.add_argument("--update", action="store_true", help="write the current sha256 into each sidecar")
    args = parser.parse_args(argv)
    files = args.files or raw_files()
    for path in files:
        if args.update:
            print(f"updated {path}: {update(path)}")
        else:
            verify(path)
            print(f"ok      {path}")
    return 0
