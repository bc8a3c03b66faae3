"""Cleaning person-level exports: parsing, linking, quarantine, privacy, CLI and atomic outputs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.clean import cli, outputs
from analysis.clean.people import POSSIBLE_DUPLICATE, PEOPLE_COLUMNS, clean_export, exit_type
from analysis.clean.pseudonym import KEY_ENV, SYNTHETIC_KEY, keyed_hash
from analysis.clean.outputs import MARKER_FILE, SYNTHETIC_FILE
from analysis.clean.quarantine import shape
from analysis.errors import DataError
from analysis.schemas_people import PEOPLE_SCHEMA, QUARANTINE_SCHEMA, data_dictionary
from analysis.sources.viasna import CANONICAL, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "viasna"
MACHINE = FIXTURES / "machine_export.csv"
KEY = b"test-key-0123456789abcdef"
TODAY = pd.Timestamp("2026-01-01")
SECRET_COLUMNS = ("name", "url", "judge", "counsel", "prosecutor", "description", "photo", "declaration")


def make_raw(rows: list[dict]) -> pd.DataFrame:
    """A raw frame as read_export would give it (every canonical column, '' when absent)."""
    df = pd.DataFrame([{c: r.get(c, "") for c in CANONICAL} for r in rows], columns=list(CANONICAL))
    df["_row"] = np.arange(1, len(df) + 1)
    return df


def clean(rows: list[dict], source: str = "viasna"):
    return clean_export(make_raw(rows), source, KEY, TODAY)


def record_id(key: str, source: str = "viasna") -> str:
    return keyed_hash(pd.Series([key]), KEY, f"record|{source}").iloc[0]


@pytest.fixture(scope="module")
def machine():
    return clean_export(read_export(MACHINE), "viasna", KEY, TODAY)


def by_id(result, source_id: str) -> pd.Series:
    return result.people.set_index("record_id").loc[record_id(f"id:{source_id}")]


# --------------------------------------------------------------------------------------------- accounting
def test_row_accounting_and_schema(machine):
    assert machine.counts == {"input_rows": 15, "clean_rows": 10, "quarantined_rows": 5, "field_problems": 7,
                              "synthetic_rows": 0}
    assert list(machine.people.columns) == list(PEOPLE_COLUMNS)
    PEOPLE_SCHEMA.validate(machine.people, lazy=True)
    QUARANTINE_SCHEMA.validate(machine.quarantine, lazy=True)
    whole = machine.quarantine[machine.quarantine["whole_row"]]
    assert whole["row"].nunique() == machine.counts["quarantined_rows"]


def test_whole_row_quarantine_rules(machine):
    whole = machine.quarantine[machine.quarantine["whole_row"]].set_index("row")
    assert whole.loc[8, "reason"] == "release date before detention date"
    assert whole.loc[9, "reason"].startswith("date in the future") and whole.loc[9, "column"] == "arrested"
    assert whole.loc[10, "reason"] == "missing status"
    assert whole.loc[11, "reason"] == "unknown status"
    assert whole.loc[14, "reason"] == "verdict date before detention date"
    held_out = {record_id(f"id:{i}") for i in ("401", "402", "403", "404", "407")}
    assert held_out.isdisjoint(machine.people["record_id"])


def test_field_problems_keep_the_record_with_na(machine):
    field = machine.quarantine[~machine.quarantine["whole_row"]]
    got = set(zip(field["row"], field["column"]))
    assert {(12, "articles"), (12, "decision"), (12, "clusters"), (13, "birthday"), (13, "gender")} <= got
    r13 = by_id(machine, "406")
    assert pd.isna(r13["birth_year"]) and pd.isna(r13["gender"]) and r13["died"]
    r12 = by_id(machine, "405")
    assert pd.isna(r12["articles"]) and pd.isna(r12["sentence_months"])


def test_month_precision_is_not_before_a_day_in_that_month():
    res = clean([{"id": "1", "status": "former", "arrested": "", "detention_date": "2021-05-20",
                  "release_date": "2021-05", "verdict_date": "2021"}])
    assert res.counts["quarantined_rows"] == 0
    assert res.people.loc[0, "release_precision"] == "month"
    res = clean([{"id": "1", "status": "former", "detention_date": "2021-05-20", "release_date": "2021-04"}])
    assert res.counts["quarantined_rows"] == 1


def test_future_dates_use_today():
    rows = [{"id": "1", "status": "active", "detention_date": "2026-03-01"}]
    assert clean_export(make_raw(rows), "viasna", KEY, pd.Timestamp("2026-02-01")).counts["quarantined_rows"] == 1
    assert clean_export(make_raw(rows), "viasna", KEY, pd.Timestamp("2026-03-01")).counts["quarantined_rows"] == 0
    born = [{"id": "1", "status": "active", "birth_date": "2030"}]
    assert clean_export(make_raw(born), "viasna", KEY, TODAY).counts["quarantined_rows"] == 1


# ----------------------------------------------------------------------------------------------- linking
def test_same_id_or_url_is_one_person(machine):
    people = machine.people.set_index("record_id")
    a1, a2, a3 = record_id("id:101"), record_id("id:102"), record_id("id:101#2")
    assert people.loc[a1, "person_id"] == people.loc[a2, "person_id"] == people.loc[a3, "person_id"]
    assert machine.people["record_id"].is_unique


def test_same_name_and_day_birth_date_is_one_person(machine):
    b1, b2 = by_id(machine, "201"), by_id(machine, "202")  # 1975-05-05 vs 05.05.1975, name spacing/case differ
    assert b1["person_id"] == b2["person_id"]


def test_same_name_and_birth_year_only_is_reported_not_merged(machine):
    c1, c2 = by_id(machine, "301"), by_id(machine, "302")
    assert c1["person_id"] != c2["person_id"]
    dups = machine.quarantine[machine.quarantine["reason"] == POSSIBLE_DUPLICATE]
    assert sorted(dups["row"]) == [6, 7]
    assert dups["value_shape"].str.fullmatch(r"len=\d+ letters\+spaces").all() and not dups["whole_row"].any()


def test_conflicting_day_birth_dates_are_reported_not_merged():
    res = clean([
        {"id": "1", "name": "Тестовый Пример Один", "status": "active", "birth_date": "1980-01-01"},
        {"id": "2", "name": "Тестовый Пример Один", "status": "former", "birth_date": "1981-02-02"},
        {"id": "3", "name": "Тестовый Пример Два", "status": "former", "birth_date": "1981-02-02"},
    ])
    assert res.people["person_id"].nunique() == 3
    assert sorted(res.quarantine.loc[res.quarantine["reason"] == POSSIBLE_DUPLICATE, "row"]) == [1, 2]


def test_links_are_transitive_and_person_id_is_hash_of_the_persons_page():
    res = clean([
        {"id": "9", "url": "https://prisoners.spring96.org/ru/person/test-x", "status": "active"},
        {"id": "10", "url": "http://www.prisoners.spring96.org/be/person/test-x/", "name": "Тестовый Пример Один",
         "birth_date": "1980-01-01", "status": "former"},
        {"id": "11", "name": "тестовый пример один", "birth_date": "01.01.1980", "status": "former"},
        {"id": "12", "status": "np"},
    ])
    assert res.people["person_id"].nunique() == 2
    expected = keyed_hash(pd.Series(["url:prisoners.spring96.org/person/test-x"]), KEY, "person|viasna").iloc[0]
    assert (res.people["person_id"] == expected).sum() == 3
    no_url = keyed_hash(pd.Series(["id:12"]), KEY, "person|viasna").iloc[0]  # no url: the smallest record key
    assert (res.people["person_id"] == no_url).sum() == 1


def test_person_id_is_stable_when_a_later_export_adds_a_record():
    page = "https://prisoners.spring96.org/ru/person/test-z"
    first = clean([{"id": "500", "url": page, "status": "former"}])
    later = clean([{"id": "500", "url": page, "status": "former"}, {"id": "1200", "url": page, "status": "active"}])
    assert later.people["person_id"].nunique() == 1
    assert later.people["person_id"].iloc[0] == first.people["person_id"].iloc[0]


def test_records_without_id_fall_back_to_url_then_row():
    res = clean([{"url": "https://prisoners.spring96.org/en/person/test-y", "status": "active"}, {"status": "former"}])
    assert set(res.people["record_id"]) == {record_id("url:prisoners.spring96.org/person/test-y"), record_id("row:2")}


# ------------------------------------------------------------------------------------------ value mapping
STATUS_CASES = [
    ("active", "current", False), ("former", "former", False), ("np", "not_recognised", False),
    ("Political prisoner", "current", False), ("Политзаключенный", "current", False),
    ("Политзаключённая", "current", False), ("Former political prisoner", "former", False),
    ("Бывшая политзаключённая", "former", False), ("Бывший политзаключенный", "former", False),
    ("Former political prisoner\nRecognized ex post facto", "former", True),
    ("Бывшая политзаключённая\nпризнана постфактум", "former", True),
    ("Бывший политзаключенный (признан постфактум)", "former", True),
    ("Recognized ex post facto", "former", True), ("Палітвязень", "current", False),
    ("  ACTIVE ", "current", False),
]
GENDER_CASES = [("male", "male"), ("Male", "male"), ("Мужчина", "male"), ("Мужчына", "male"), ("female", "female"),
                ("Женщина", "female"), ("Жанчына", "female"), ("", None), ("неизвестно", None)]
DIED_CASES = [("1", True), ("true", True), ("yes", True), ("да", True), ("так", True), ("died", True), ("умер", True),
              ("2023-05-21", True), ("", False), ("0", False), ("false", False), ("нет", False), ("unknown", False)]
PRISON_CASES = [  # cell, facility, release marker, region
    ("ИК № 1\n211440, г. Новополоцк", "colony 1", False, "vitebsk"),
    ("ИК № 4; 246035, г. Гомель;", "colony 4", False, "gomel"),
    ("СИЗО № 1, 220030, г. Минск, ул. Володарского 2", "pretrial 1", False, "minsk_city"),
    ("Исправительная колония №15, г. Новополоцк", "colony 15", False, "vitebsk"),
    ("ИК-17 (Шклов)", "colony 17", False, "mogilev"), ("Тюрьма № 4", "prison 4", False, None),
    ("ИУОТ № 2, Минск", "open 2", False, "minsk_city"), ("Penal colony No. 9", "colony 9", False, None),
    ("у соседа Ивана Петрова, ул. Ленина 5", None, False, None),
    ("освобождена", None, True, None), ("Освобождён", None, True, None), ("вызвалены", None, True, None),
    ("released", None, True, None), ("ИК № 2\nосвобожден", "colony 2", True, None),
    ("находится на свободе до начала отбывания наказания", None, True, None),
    ("неизвестно", None, False, None), ("", None, False, None),
]


def one_per_row(column: str, values: list[str], **extra) -> pd.DataFrame:
    """Clean one record per value (distinct ids, distinct people) and return people in input order."""
    res = clean([{"id": str(i), "status": "former", **extra, column: v} for i, v in enumerate(values)])
    order = [record_id(f"id:{i}") for i in range(len(values))]
    return res.people.set_index("record_id").loc[order].reset_index(), res


def same(got, expected) -> bool:
    return (expected is None and pd.isna(got)) or got == expected


def test_status_mapping():
    people, res = one_per_row("status", [c[0] for c in STATUS_CASES])
    assert res.counts["quarantined_rows"] == 0
    for (text, status, ex_post), (_, row) in zip(STATUS_CASES, people.iterrows()):
        assert (row["status"], row["ex_post_facto"]) == (status, ex_post), text


def test_gender_mapping():
    people, res = one_per_row("gender", [c[0] for c in GENDER_CASES])
    assert res.counts["field_problems"] == 0
    for (text, gender), got in zip(GENDER_CASES, people["gender"]):
        assert same(got, gender), text


def test_died_flag():
    people, _ = one_per_row("died", [c[0] for c in DIED_CASES])
    assert people["died"].tolist() == [c[1] for c in DIED_CASES]


def test_prison_text_marker_and_region():
    people, _ = one_per_row("prison", [c[0] for c in PRISON_CASES])
    for (cell, prison, marker, region), (_, row) in zip(PRISON_CASES, people.iterrows()):
        assert same(row["prison"], prison) and row["released_marker"] == marker and same(row["region"], region), cell


def test_region_prefers_clusters(machine):
    assert by_id(machine, "101")["region"] == "minsk_city"  # clusters Минск beats the Novopolotsk address
    assert by_id(machine, "408")["region"] == "mogilev"  # clusters unknown -> prison address (Горки)


def test_exit_type_rule():
    df = pd.DataFrame({
        "died": [True, False, False, False, False, False],
        "status": ["current", "current", "former", "former", "former", "not_recognised"],
        "detention_date": pd.to_datetime(["2021-01-01"] * 6),
        "sentence_months": [24.0, 24.0, 24.0, 24.0, 24.0, 24.0],
        "release_date": pd.to_datetime(["2022-01-01", None, "2022-12-15", "2022-06-01", None, "2023-01-01"]),
    })
    assert exit_type(df).tolist() == ["died", "still_held", "sentence_served", "early_release", "unknown",
                                      "sentence_served"]


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        clean_export(make_raw([{"status": "active"}]), "other", KEY, TODAY)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "id": st.sampled_from(["", "1", "2", "3"]),
    "name": st.sampled_from(["", "Тестовый Пример Один", "Тестовый Пример Два"]),
    "status": st.sampled_from(["", "active", "former", "np", "???", "Бывшая политзаключённая"]),
    "birth_date": st.sampled_from(["", "1980", "1980-01-01", "1980-02-02", "32.13.1980"]),
    "detention_date": st.sampled_from(["", "2020-05", "2021-01-01", "2099-01-01", "x"]),
    "release_date": st.sampled_from(["", "2020", "2022-01-01", "неизвестно"]),
    "sentence": st.sampled_from(["", "2 года", "штраф", "zzz"]),
}), min_size=1, max_size=12))
def test_accounting_holds_for_any_mix(rows):
    res = clean(rows)
    c = res.counts
    assert c["input_rows"] == len(rows) == c["clean_rows"] + c["quarantined_rows"]
    assert res.people["record_id"].is_unique
    PEOPLE_SCHEMA.validate(res.people, lazy=True)


# ---------------------------------------------------------------------------------------- CLI & outputs
@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY.decode())


def run_cli(*args) -> int:
    from analysis.__main__ import main

    return main(["clean", *args])


def secrets_of(*files: Path) -> set[str]:
    found: set[str] = set()
    for f in files:
        raw = read_export(f)
        for col in SECRET_COLUMNS:
            found |= {v.strip() for v in raw[col] if v.strip()}
    found |= {v.split("\n")[0] for v in found}
    return found


@pytest.mark.parametrize("fixture", ["machine_export.csv", "ru_labels.csv", "en_labels.csv", "be_labels.csv"])
def test_no_identifying_text_in_any_output_byte(tmp_path, key_env, fixture):
    out = tmp_path / "out"
    assert run_cli("--source", "viasna", "--input", str(FIXTURES / fixture), "--out", str(out), "--today", "2026-01-01") == 0
    written = b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())
    secrets = secrets_of(FIXTURES / fixture)
    assert secrets, "fixture must contain names to check"
    for text in secrets:
        assert text.encode("utf-8") not in written, text
    for word in ("Тестовый", "Тестовая", "Тэставы", "Test Example", "Судья", "Judge Fictional", "spring96", "photo-fake"):
        assert word.encode("utf-8") not in written


def test_cli_outputs_are_deterministic_sorted_and_inert(tmp_path, key_env, capsys):
    out = tmp_path / "out"
    args = ("--source", "viasna", "--input", str(MACHINE), "--out", str(out), "--today", "2026-01-01")
    assert run_cli(*args) == 0
    printed = capsys.readouterr().out
    assert "input rows:            15" in printed and "quarantined (whole):   5" in printed
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(first) == {"people.csv", "quarantine.csv", "counts.json", ".gitignore", MARKER_FILE}
    assert run_cli(*args) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert json.loads(first["counts.json"]) == {"input_rows": 15, "clean_rows": 10, "quarantined_rows": 5,
                                                "field_problems": 7, "synthetic_rows": 0, "synthetic": False,
                                                "source": "viasna", "today": "2026-01-01"}
    assert b"\r" not in first["people.csv"]
    quarantine = pd.read_csv(out / "quarantine.csv", dtype=str, keep_default_na=False)
    assert quarantine.loc[(quarantine["row"] == "12") & (quarantine["column"] == "articles"),
                          "value_shape"].tolist() == ["len=9 letters+digits+punct"]  # +SUM(1,2)
    for text in ("SUM", "cmd", "calc", "Тестовый", "что-то"):
        assert text.encode() not in first["quarantine.csv"] and text.encode() not in first["people.csv"]
    people = pd.read_csv(out / "people.csv", dtype=str, keep_default_na=False)
    assert not any(v[:1] and v[:1] in "=+-@'" for col in people for v in people[col])
    assert list(people.columns) == list(PEOPLE_COLUMNS)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temp dirs left


def test_failed_run_leaves_previous_outputs_byte_identical(tmp_path, key_env, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("--source", "viasna", "--input", str(MACHINE), "--out", str(out), "--today", "2026-01-01") == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,url\n1,x\n", encoding="utf-8")
    assert run_cli("--source", "viasna", "--input", str(bad), "--out", str(out)) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    def explode(*_args, **_kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(outputs.os, "fsync", explode)  # fails while writing the temporary copy
    with pytest.raises(OSError):
        cli.main(["--source", "viasna", "--input", str(FIXTURES / "ru_labels.csv"), "--out", str(out)])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out"]


def test_out_dir_made_by_clean_keeps_the_users_other_files(tmp_path, key_env):
    out = tmp_path / "out"
    args = ("--source", "viasna", "--input", str(MACHINE), "--out", str(out), "--today", "2026-01-01")
    assert run_cli(*args) == 0
    (out / "notes.txt").write_text("mine")
    assert run_cli(*args) == 0
    assert (out / "notes.txt").read_text() == "mine" and (out / "people.csv").exists()


def test_default_output_dir_is_the_user_folder_not_the_builds(tmp_path, monkeypatch, key_env):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    assert run_cli("--source", "viasna", "--input", str(MACHINE), "--today", "2026-01-01") == 0
    assert (tmp_path / "processed" / "user" / "viasna" / "people.csv").exists()
    assert (tmp_path / "processed" / "user" / "viasna" / ".gitignore").read_text().endswith("*\n")
    assert not (tmp_path / "processed" / "synthetic").exists() and not (tmp_path / "processed" / "viasna").exists()


def test_real_names_are_refused_as_synthetic(tmp_path, capsys):
    """The synthetic key is public: a real export must never be hashed with it."""
    assert run_cli("--source", "synthetic", "--input", str(MACHINE), "--out", str(tmp_path / "o")) == 2
    assert "--source viasna" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_people_columns_match_the_schema():
    assert tuple(PEOPLE_SCHEMA.columns) == PEOPLE_COLUMNS


def test_bad_today_and_missing_input_are_one_line_errors(tmp_path, key_env, capsys):
    assert run_cli("--source", "viasna", "--input", str(MACHINE), "--today", "01.01.2026") == 2
    assert run_cli("--source", "viasna", "--input", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err and "missing.csv: file not found" in err


@pytest.mark.parametrize("content", [b"id,url\n1,x\n", bytes(range(256)) * 10])
def test_cli_subprocess_failure_is_exit_2_one_line_no_traceback(tmp_path, content):
    bad = tmp_path / "export.csv"
    bad.write_bytes(content)
    env = {**os.environ, KEY_ENV: KEY.decode(), "ANALYSIS_PROCESSED": str(tmp_path / "processed")}
    proc = subprocess.run([sys.executable, "-m", "analysis", "clean", "--source", "viasna", "--input", str(bad)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert str(bad) in proc.stderr
    assert not (tmp_path / "processed").exists()


def test_cli_help():
    proc = subprocess.run([sys.executable, "-m", "analysis", "clean", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "--source" in proc.stdout and "quarantine.csv" in proc.stdout


# ------------------------------------------------------------------------------------------ documentation
def test_data_dictionary_documents_every_column():
    readme = (paths.ROOT / "data" / "processed" / "README.md").read_text(encoding="utf-8")
    for col in [*PEOPLE_SCHEMA.columns, *QUARANTINE_SCHEMA.columns, "input_rows", "clean_rows",
                "quarantined_rows", "field_problems"]:
        assert f"| {col} |" in readme, col
    assert readme == data_dictionary(), "regenerate: python -m analysis.schemas_people > data/processed/README.md"


# -------------------------------------------------------------------------------------- synthetic export
def test_synthetic_export_links_known_duplicates(tmp_path):
    synthetic = pytest.importorskip("analysis.sources.synthetic")
    df, truth = synthetic.generate(synthetic.default_params(), n=600, seed=5)
    path = tmp_path / "synthetic.csv"
    path.write_bytes(synthetic.export_bytes(df))
    result = clean_export(read_export(path), "synthetic", SYNTHETIC_KEY, pd.Timestamp(truth["params"]["as_of"]))
    c = result.counts
    assert c["input_rows"] == 600 == c["clean_rows"] + c["quarantined_rows"]
    people = result.people.set_index("record_id")

    def pid(key):
        return people.loc[keyed_hash(pd.Series([key]), SYNTHETIC_KEY, "record|synthetic").iloc[0], "person_id"]

    for i in truth["malformed"]["exact_duplicate"]["ids"]:
        assert pid(f"id:{i}") == pid(f"id:{i}#2")
    for a, b in truth["malformed"]["near_duplicate"].get("source_ids", {}).items():
        assert pid(f"id:{a}") == pid(f"id:{b}")
    for a, b in truth["rearrests"].items():
        assert pid(f"id:{a}") == pid(f"id:{b}")
    whole = {k for k, v in truth["malformed"].items() if v["column"] != "*" and k in
             ("release_before_detention", "missing_status", "future_date")}
    assert c["quarantined_rows"] == sum(truth["malformed"][k]["count"] for k in whole)
    assert SYNTHETIC_KEY != KEY


def test_reading_errors_are_data_errors_naming_the_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="empty.csv: empty file"):
        cli._read(path)


def test_csv_writer_fast_path_gives_the_bytes_of_to_csv():
    df = pd.DataFrame({
        "a": ["x", None, "colony 15", "=1+1"], "b": pd.to_datetime(["2021-01-02", None, "2020-05-01", "2022-01-01"]),
        "c": [1.5, np.nan, 24.0, 3.0], "d": [True, False, True, False],
    })
    expected = pd.DataFrame({
        "a": ["x", "", "colony 15", "'=1+1"], "b": ["2021-01-02", "", "2020-05-01", "2022-01-01"],
        "c": ["1.5", "", "24", "3"], "d": ["True", "False", "True", "False"],
    }).to_csv(index=False, lineterminator="\n").encode()
    assert cli._csv_bytes(df) == expected
    quoted = df.assign(a=["x,y", 'say "hi"', "two\nlines", ""])
    assert cli._csv_bytes(quoted) == quoted.assign(b=expected_col(expected, "b"), c=expected_col(expected, "c"),
                                                   a=quoted["a"]).to_csv(index=False, lineterminator="\n").encode()


def expected_col(csv_bytes: bytes, col: str) -> list[str]:
    return pd.read_csv(io.BytesIO(csv_bytes), dtype=str, keep_default_na=False)[col].tolist()
