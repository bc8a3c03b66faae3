"""Keyed pseudonyms for person-level records (small-cell suppression of published tables: analysis.report).

Pseudonyms
----------
``record_id`` and ``person_id`` are ``HMAC-SHA256(key, message)`` truncated to the first 16 hex digits
(64 bits). Without the key the source ids cannot be recovered by hashing candidates (Viasna ids are small
integers, so a plain unkeyed hash would be reversible by enumeration). The message carries a purpose and
the source (``record|viasna|id:123``), so the same key never gives equal hashes across purposes/sources.

Where the key comes from (first that applies):

1. environment variable ``ANALYSIS_PSEUDONYM_KEY`` (the text itself, at least 16 characters);
2. a key file named by environment variable ``ANALYSIS_PSEUDONYM_KEY_FILE``;
3. ``~/.config/belarus-analysis/pseudonym.key``; created with 32 random bytes (hex) and mode 0600 on
   first use, with a note on stderr.

A key file inside the repository is refused (it could be committed). Keep the key: pseudonyms are only
stable across runs with the same key. Losing it only breaks linkage between old and new outputs.

Synthetic data uses the fixed, public :data:`SYNTHETIC_KEY`. That is safe only because synthetic people
are not real: never use it for a real export (``clean --source viasna`` always loads the private key).
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.errors import UsageError

KEY_ENV = "ANALYSIS_PSEUDONYM_KEY"
KEY_FILE_ENV = "ANALYSIS_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/belarus-analysis/pseudonym.key")
MIN_KEY_LENGTH = 16
HASH_HEX = 16
DIGEST = "sha256"
# Public key for SYNTHETIC data only (synthetic people are not real; the key protects nothing).
SYNTHETIC_KEY = b"belarus-analysis synthetic data - public key, not a secret"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _check_key(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_LENGTH:
        raise UsageError(f"pseudonym key from {where} is shorter than {MIN_KEY_LENGTH} characters")
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    print(
        f"note: created a new pseudonym key at {path} (mode 0600). Keep it and back it up: person ids "
        "are only stable across runs with the same key. Never commit it.",
        file=sys.stderr,
    )


def key_path(repo_root: Path | None = None) -> Path:
    """The key file that :func:`load_key` would use (env override or the default under ~/.config)."""
    named = os.environ.get(KEY_FILE_ENV)
    path = Path(named).expanduser() if named else DEFAULT_KEY_FILE.expanduser()
    if _inside(path, Path(repo_root or paths.ROOT)):
        raise UsageError(f"pseudonym key file {path} is inside the repository; keep it outside (e.g. ~/.config)")
    return path


def load_key(create: bool = True, repo_root: Path | None = None) -> bytes:
    """The private pseudonym key: env text, else key file (created on first use at the default path)."""
    text = os.environ.get(KEY_ENV)
    if text:
        return _check_key(text.strip().encode("utf-8"), f"${KEY_ENV}")
    path = key_path(repo_root)
    if not path.exists():
        if os.environ.get(KEY_FILE_ENV):
            raise UsageError(f"pseudonym key file {path} (from ${KEY_FILE_ENV}) does not exist")
        if not create:
            raise UsageError(f"no pseudonym key: set ${KEY_ENV} or create {path}")
        _create_key_file(path)
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise UsageError(f"cannot read pseudonym key file {path}: {exc.strerror or exc}") from None
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"warning: pseudonym key file {path} is readable by others; run: chmod 600 {path}", file=sys.stderr)
    return _check_key(key, str(path))


def keyed_hash(values: pd.Series, key: bytes, purpose: str) -> pd.Series:
    """HMAC-SHA256 of ``purpose|value`` -> first 16 hex digits; computed once per distinct value."""
    if not isinstance(key, (bytes, bytearray)) or not key:
        raise UsageError("pseudonym key must be non-empty bytes")
    values = pd.Series(values) if not isinstance(values, pd.Series) else values
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    prefix = f"{purpose}|".encode("utf-8")
    digests = np.array(
        [hmac.digest(key, prefix + str(u).encode("utf-8"), DIGEST).hex()[:HASH_HEX] for u in uniques] + [np.nan],
        dtype=object,
    )
    return pd.Series(digests[codes], index=values.index, dtype=object, name=values.name)
