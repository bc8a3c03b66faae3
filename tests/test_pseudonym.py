"""Keyed pseudonyms (key sources, refusal inside the repo) and small-cell suppression."""

from __future__ import annotations

import stat

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.clean import pseudonym
from analysis.clean.pseudonym import KEY_ENV, KEY_FILE_ENV, SYNTHETIC_KEY, keyed_hash, load_key
from analysis.report import suppress_small
from analysis.errors import UsageError

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.fixture
def no_key_env(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def test_keyed_hash_is_deterministic_hex16_and_depends_on_key_and_purpose():
    s = pd.Series(["id:1", "id:2", "id:1", np.nan])
    h = keyed_hash(s, KEY, "record|viasna")
    assert h.iloc[0] == h.iloc[2] and h.iloc[0] != h.iloc[1]
    assert pd.isna(h.iloc[3])
    assert h.iloc[:3].str.fullmatch(r"[0-9a-f]{16}").all()
    assert keyed_hash(s, KEY, "person|viasna").iloc[0] != h.iloc[0]
    assert keyed_hash(s, b"another key of 16+ bytes", "record|viasna").iloc[0] != h.iloc[0]
    import hashlib
    assert hashlib.sha256(b"id:1").hexdigest()[:16] != h.iloc[0]  # not an unkeyed hash


def test_key_from_environment(no_key_env, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "a-long-enough-secret-key")
    assert load_key() == b"a-long-enough-secret-key"
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(UsageError, match="shorter"):
        load_key()


def test_key_file_from_environment(no_key_env, monkeypatch):
    path = no_key_env / "secret" / "my.key"
    path.parent.mkdir()
    path.write_text("ffffffffffffffffffffffffffffffff\n")
    path.chmod(0o600)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    assert load_key() == b"ffffffffffffffffffffffffffffffff"
    monkeypatch.setenv(KEY_FILE_ENV, str(no_key_env / "missing.key"))
    with pytest.raises(UsageError, match="does not exist"):  # a typo must not silently make a new key
        load_key()


def test_default_key_file_is_created_private_once(no_key_env, capsys):
    key = load_key()
    path = no_key_env / "home" / ".config" / "belarus-analysis" / "pseudonym.key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "created a new pseudonym key" in capsys.readouterr().err
    assert len(key) == 64 and load_key() == key  # second use reads the same key, no new note
    assert capsys.readouterr().err == ""


def test_key_file_inside_repository_is_refused(no_key_env, monkeypatch):
    monkeypatch.setenv(KEY_FILE_ENV, str(paths.ROOT / "pseudonym.key"))
    with pytest.raises(UsageError, match="inside the repository"):
        load_key()
    assert not (paths.ROOT / "pseudonym.key").exists()


def test_synthetic_key_is_a_public_constant():
    assert isinstance(SYNTHETIC_KEY, bytes) and len(SYNTHETIC_KEY) >= pseudonym.MIN_KEY_LENGTH


def test_suppress_small_blanks_1_to_threshold_minus_1():
    df = pd.DataFrame({"g": list("abcde"), "n": [0, 1, 4, 5, 12], "m": [3, 7, 0, 2, 9]})
    out = suppress_small(df, ["n", "m"])
    assert out["n"].tolist() == [0, "<5", "<5", 5, 12]
    assert out["m"].tolist() == ["<5", 7, 0, "<5", 9]
    assert suppress_small(df, ["n"], threshold=1)["n"].tolist() == [0, "<5", "<5", 5, 12]  # never below 5
    assert df["n"].tolist() == [0, 1, 4, 5, 12]  # input untouched
