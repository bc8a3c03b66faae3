"""`clean` outputs: no personal text in any byte, the synthetic marker, where outputs may go, private files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, people
from analysis.clean.outputs import MARKER_FILE, SYNTHETIC_FILE, check_out
from analysis.clean.pseudonym import KEY_ENV
from analysis.errors import UsageError
from analysis.sources import synthetic as syn

KEY = "test-key-0123456789abcdef"
TODAY = "2026-04-30"

# Personal text planted in every free-text and parsed cell of a crafted export: none may reach any output byte.
SECRETS = {
    "name": "Иван Секретов", "judge": "Судья Мария Тайнова", "counsel": "Адвокат Пётр Скрытный",
    "prosecutor": "Прокурор Олег Прячев", "description": "живёт у соседки Анны Закрытой, ул. Тихая 17-23, Минск",
    "email": "ivan.sekretov@example.org", "street": "ул. Потайная 42", "neighbour": "Анна Закрытая",
}


def crafted_export(path: Path) -> Path:
    """A machine export whose cells carry names, a judge, an address and e-mails where text is free."""
    header = syn.MACHINE_COLUMNS
    rows = []
    for i in range(1, 9):
        rows.append({
            "id": str(i), "url": f"https://prisoners.spring96.org/ru/person/ivan-sekretov-{i}",
            "name": f"{SECRETS['name']} {i}", "status": ["active", "former", f"политзаключённый, пишите {SECRETS['email']}",
                                                        "np"][i % 4],
            "gender": ["male", f"male ({SECRETS['neighbour']})"][i % 2], "photo": "https://example.org/p.jpg",
            "description": SECRETS["description"], "birthday": ["1980-01-01", f"1980, {SECRETS['street']}"][i % 2],
            "arrested": ["2021-03-10", f"2021-03-10 {SECRETS['email']}"][i % 2],
            "articles": ["ст. 342", f"ст. 342, донос {SECRETS['neighbour']}"][i % 2],
            "prison": f"ИК № 1\n211440, г. Новополоцк, {SECRETS['street']}, {SECRETS['neighbour']}",
            "declaration": "https://spring96.org/ru/news/1", "decision": ["3 года", f"3 года, судья {SECRETS['judge']}"][i % 2],
            "penalty": ["лишение свободы", f"штраф {SECRETS['email']}"][i % 2], "judge": SECRETS["judge"],
            "councel": SECRETS["counsel"], "release_date": ["", f"весной {SECRETS['street']}"][i % 2],
            "verdict_date": "2021-09-01", "died": ["", f"умер, сообщила {SECRETS['neighbour']}"][i % 2],
            "clusters": ["Минск", f"Минск, {SECRETS['street']}"][i % 2],
        })
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: r.get(c, "") for c in header} for r in rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run_cli(*args) -> int:
    from analysis.__main__ import main

    return main(["clean", *args])


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)


@pytest.fixture(scope="module")
def synthetic_export(tmp_path_factory) -> Path:
    df, truth = syn.generate(syn.default_params(), n=800, seed=11)
    path, _ = syn.write_export(df, truth, tmp_path_factory.mktemp("synth") / "export.csv")
    return path


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


# ------------------------------------------------------------------------------------- no personal text
def test_crafted_free_text_never_reaches_any_output_byte(tmp_path, key_env):
    export = crafted_export(tmp_path / "crafted.csv")
    out = tmp_path / "out"
    assert run_cli("--source", "viasna", "--input", str(export), "--out", str(out), "--today", TODAY) == 0
    written = all_bytes(out)
    pieces = set(SECRETS.values()) | {w for v in SECRETS.values() for w in v.replace(",", " ").split() if len(w) > 4}
    pieces |= {"ivan-sekretov", "example.org", "spring96", "Новополоцк", "Потайная", "211440"}
    for text in sorted(pieces):
        assert text.encode("utf-8") not in written, text
    quarantine = pd.read_csv(out / "quarantine.csv", dtype=str, keep_default_na=False)
    assert len(quarantine) and quarantine["value_shape"].str.fullmatch(r"empty|len=\d+ [a-z+]+").all()


# ---------------------------------------------------------------------------------------- the marker
def test_real_looking_export_without_marker_is_refused_as_synthetic(tmp_path, synthetic_export, capsys):
    df = pd.read_csv(synthetic_export, dtype=str, keep_default_na=False).drop(columns=[syn.MARKER_COLUMN])
    df["name"] = ""  # a real export with the names blanked: no names, no marker
    df["url"] = "https://prisoners.spring96.org/ru/person/x-" + df["id"]
    real = tmp_path / "real.csv"
    df.to_csv(real, index=False)
    out = tmp_path / "o"
    assert run_cli("--source", "synthetic", "--input", str(real), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lack the synthetic generator's marker" in err and "--source viasna" in err
    assert not out.exists()


def test_copied_markers_do_not_match_other_rows(tmp_path, synthetic_export, capsys):
    df = pd.read_csv(synthetic_export, dtype=str, keep_default_na=False)
    df["id"] = (df["id"].astype(int) + 1).astype(str)  # someone else's ids under the generator's tags
    forged = tmp_path / "forged.csv"
    df.to_csv(forged, index=False)
    assert run_cli("--source", "synthetic", "--input", str(forged), "--out", str(tmp_path / "o")) == 2
    assert f"{len(df)} of {len(df)} rows lack" in capsys.readouterr().err


def test_synthetic_export_cleaned_as_viasna_is_stamped_synthetic(tmp_path, synthetic_export, key_env, monkeypatch):
    out = tmp_path / "viasna-clean"
    assert run_cli("--source", "viasna", "--input", str(synthetic_export), "--out", str(out), "--today", TODAY) == 0
    counts = json.loads((out / "counts.json").read_text())
    assert counts["synthetic"] is True and counts["synthetic_rows"] == counts["input_rows"] == 800
    assert (out / SYNTHETIC_FILE).read_text().startswith(syn.SYNTHETIC_STAMP)
    table = pd.read_csv(out / "people.csv", dtype=str)
    assert table["source"].eq("synthetic").all()
    monkeypatch.setenv(people.PEOPLE_DIR_ENV, str(out))
    loaded = people.load("auto")
    assert loaded.synthetic and loaded.source == "synthetic" and loaded.folder == out
    assert loaded.truth["wave_selection"]["hazard_ratio_female"] == 1.5  # the truth file beside the export
    assert loaded.label.startswith(syn.SYNTHETIC_STAMP) and loaded.as_of == pd.Timestamp(TODAY)


def test_synthetic_export_cleaned_as_synthetic_in_every_layout(tmp_path):
    df, truth = syn.generate(syn.default_params(), n=600, seed=2)
    for layout, fmt in (("machine", "csv"), ("ru", "csv"), ("en", "xlsx")):
        path, _ = syn.write_export(df, truth, tmp_path / f"{layout}.{fmt}", layout=layout, fmt=fmt)
        out = tmp_path / f"out-{layout}"
        assert run_cli("--source", "synthetic", "--input", str(path), "--out", str(out), "--today", TODAY) == 0
        assert json.loads((out / "counts.json").read_text())["synthetic_rows"] == 600


def test_real_export_is_not_stamped(tmp_path, key_env, monkeypatch):
    out = tmp_path / "real"
    export = crafted_export(tmp_path / "crafted.csv")
    assert run_cli("--source", "viasna", "--input", str(export), "--out", str(out), "--today", TODAY) == 0
    assert json.loads((out / "counts.json").read_text())["synthetic"] is False and not (out / SYNTHETIC_FILE).exists()
    monkeypatch.setenv(people.PEOPLE_DIR_ENV, str(out))
    loaded = people.load("synthetic")  # the environment variable wins over person_source
    assert not loaded.synthetic and loaded.source == "viasna" and loaded.truth is None


# ------------------------------------------------------------------------------------- where outputs go
@pytest.mark.parametrize("where", ["data/raw/x", "notebooks/out", "src/analysis/x", "reports", "reports/custom/x",
                                   ".", ".git/x", "README.md", "notebooks"])
def test_out_inside_the_project_tree_is_refused_before_anything_runs(where, tmp_path, key_env, capsys):
    target = paths.ROOT / where
    existed = target.exists()
    assert run_cli("--source", "viasna", "--input", str(tmp_path / "missing.csv"), "--out", str(target)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "missing.csv" not in err  # refused before reading
    assert target.exists() == existed


def test_out_foreign_folder_and_file_are_refused(tmp_path, key_env, capsys):
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("mine")
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    export = crafted_export(tmp_path / "crafted.csv")
    for out in (foreign, a_file):
        assert run_cli("--source", "viasna", "--input", str(export), "--out", str(out)) == 2
    err = capsys.readouterr().err.splitlines()
    assert "other files in it" in err[0] and "is a file" in err[1]
    assert sorted(p.name for p in foreign.iterdir()) == ["thesis.tex"] and a_file.read_text() == "x"


def test_relative_out_is_resolved_against_the_callers_folder(tmp_path, key_env, monkeypatch):
    export = crafted_export(tmp_path / "crafted.csv")
    monkeypatch.chdir(tmp_path)
    assert run_cli("--source", "viasna", "--input", "crafted.csv", "--out", "rel/out", "--today", TODAY) == 0
    assert (tmp_path / "rel" / "out" / "people.csv").exists()
    assert check_out("rel/out", cwd=tmp_path) == (tmp_path / "rel" / "out").resolve()


def test_outputs_are_private_even_in_an_existing_open_folder(tmp_path, key_env):
    out = tmp_path / "open"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    stale = tmp_path / ".open.tmp-999999999-x"  # left by a run (process id 999999999) that died
    stale.mkdir()
    (stale / "people.csv").write_text("old")
    export = crafted_export(tmp_path / "crafted.csv")
    assert run_cli("--source", "viasna", "--input", str(export), "--out", str(out), "--today", TODAY) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for f in out.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    assert (out / ".gitignore").read_text().splitlines()[-1] == "*" and (out / MARKER_FILE).exists()
    assert not stale.exists()


def test_out_refusal_is_a_usage_error_naming_the_path(tmp_path):
    with pytest.raises(UsageError, match="repository root"):
        check_out(paths.ROOT)


# ------------------------------------------------------------------------------------------ the loader
def test_loader_auto_prefers_the_users_viasna_clean(tmp_path, key_env, monkeypatch):
    monkeypatch.delenv(people.PEOPLE_DIR_ENV, raising=False)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    assert people.resolve("auto") is None and people.resolve("synthetic") is None
    with pytest.raises(Exception, match="no cleaned Viasna export"):
        people.resolve("viasna")
    assert run_cli("--source", "viasna", "--input", str(crafted_export(tmp_path / "c.csv")), "--today", TODAY) == 0
    assert people.resolve("auto") == tmp_path / "processed" / "user" / "viasna" == people.resolve("viasna")
    monkeypatch.setenv(people.PEOPLE_DIR_ENV, "relative/folder")
    with pytest.raises(UsageError, match="absolute"):
        people.resolve("auto")
