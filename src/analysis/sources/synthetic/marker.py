"""The generator's marker: every row of a synthetic export carries a tag that only the generator's public scheme makes.

``synthetic_marker`` = ``synthetic:`` + 16 hex digits of keyed BLAKE2b(key :data:`MARKER_KEY`, 8-byte digest)
of ``id|url|name`` of the row as written (empty id/url in the localized layouts, which lack them). The key is
public on purpose: the marker proves that a file was written by this generator (a real export has no such
column, and a tag copied onto other rows does not match their id, url and name), so that ``clean`` hashes
with the public synthetic pseudonym key only files the generator wrote, and stamps as synthetic any
export that carries the marker, whatever ``--source`` says. It is a guard against mistakes, not a signature
against forgery: someone who reads this code can make tags, just as they could hash with any key.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

MARKER_COLUMN = "synthetic_marker"
MARKER_KEY = b"analysis synthetic row marker - public"  # BLAKE2b keys are at most 64 bytes
MARKER_PREFIX = "synthetic:"
TAG_BYTES = 8


def _tag(identity: str) -> str:
    """One keyed hash per row: BLAKE2b is a MAC by itself and about twice as fast as HMAC-SHA256 here."""
    return MARKER_PREFIX + hashlib.blake2b(identity.encode("utf-8"), key=MARKER_KEY, digest_size=TAG_BYTES).hexdigest()


def row_markers(ids: pd.Series, urls: pd.Series, names: pd.Series) -> np.ndarray:
    """The marker text of each row, from its id, url and name cells as written ('' where a layout lacks one)."""
    out = np.empty(len(names), dtype=object)
    out[:] = [_tag(f"{i}|{u}|{n}") for i, u, n in zip(ids, urls, names)]
    return out


def verify(ids: pd.Series, urls: pd.Series, names: pd.Series, markers: pd.Series) -> np.ndarray:
    """True for rows whose marker matches their own id, url and (non-empty) name; tags are only computed for
    rows whose marker cell has the marker's form, so an export without markers costs one pass over a column."""
    markers = np.asarray(markers, dtype=object)
    ok = np.zeros(len(markers), dtype=bool)
    candidate = np.flatnonzero([isinstance(m, str) and m.startswith(MARKER_PREFIX) for m in markers])
    if not candidate.size:
        return ok
    ids, urls, names = (np.asarray(s, dtype=object)[candidate] for s in (ids, urls, names))
    ok[candidate] = [bool(n) and markers[k] == _tag(f"{i}|{u}|{n}")
                     for k, i, u, n in zip(candidate, ids, urls, names)]
    return ok
