"""Reading Viasna exports: both header layouts, encodings, XLSX, and one-line errors for unusable files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import viasna
from analysis.sources.viasna import ALIASES, CANONICAL, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "viasna"
MACHINE = FIXTURES / "machine_export.csv"
MACHINE_KEYS = ("id,url,name,status,gender,photo,description,birthday,arrested,articles,prison,declaration,"
                "decision,penalty,judge,councel,penalty_start_date,release_date,verdict_date,appeal_date,"
                "fake_terrorist_list,died,clusters").split(",")


def test_alias_table_covers_every_canonical_column_and_all_23_machine_keys():
    assert set(ALIASES) == set(CANONICAL)
    mapped = {viasna.HEADER_LOOKUP[viasna._norm_header(k)] for k in MACHINE_KEYS}
    assert len(mapped) == 23  # 23 distinct canonical columns
    assert viasna.HEADER_LOOKUP["councel"] == "counsel"
    assert viasna.HEADER_LOOKUP["arrested"] == "detention_date"
    assert viasna.HEADER_LOOKUP["decision"] == "sentence"


def test_machine_layout():
    df = read_export(MACHINE)
    assert list(df.columns) == [*CANONICAL, "_row"]
    assert len(df) == 15
    assert df["_row"].tolist() == list(range(1, 16))
    assert df.loc[0, "status"] == "active" and df.loc[0, "detention_date"] == "2021-03-10"
    assert df.loc[0, "prison"] == "ИК № 1\n211440, г. Новополоцк"  # quoted multi-line cell, one row
    assert df.loc[0, "counsel"] == "Адвокат Выдуманный Защитник"
    assert df.loc[9, "status"] == ""  # empty cell is '' (not NaN)
    assert df.attrs["source_columns"]["detention_date"] == "arrested"
    assert df.attrs["unmapped_columns"] == []
    assert (df.drop(columns="_row").map(type) == str).all().all()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ru_labels.csv", {"name": "Тестовый Пример Русский", "status": "Политзаключенный", "birth_date": "12 мая 1988",
                           "gender": "Мужчина", "detention_date": "2 января 2021", "prosecutor": "Прокурор Выдуманный Русский"}),
        ("en_labels.csv", {"name": "Test Example English", "status": "Political prisoner", "birth_date": "29 September 1984",
                           "charges": "Art. 342 of the Criminal Code\nPart 2 of Art. 339 of the Criminal Code",
                           "sentence": "4 1/2 years", "judge": "Judge Fictional English"}),
        ("be_labels.csv", {"name": "Тэставы Прыклад Беларускі", "status": "Палітвязень", "birth_date": "12 траўня 1988",
                           "charges": "арт. 342", "sentence": "3 гады", "prison": "ПК № 3\nВіцебскі раён"}),
    ],
)
def test_localized_layouts(name, expected):
    df = read_export(FIXTURES / name)
    assert len(df) == 2 and list(df.columns) == [*CANONICAL, "_row"]
    for column, value in expected.items():
        assert df.loc[0, column] == value
    assert (df["id"] == "").all() and (df["url"] == "").all()  # not in this layout: added empty


def test_header_matching_ignores_case_and_whitespace(tmp_path):
    text = MACHINE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    messy = ",".join(f"  {h.upper().replace('_', ' ')} " for h in header.split(","))
    path = tmp_path / "messy.csv"
    path.write_text(messy + "\n" + rest, encoding="utf-8")
    pd.testing.assert_frame_equal(read_export(path).drop(columns=[]), read_export(MACHINE), check_like=False)
    ru = tmp_path / "ru.csv"
    ru_text = (FIXTURES / "ru_labels.csv").read_text(encoding="utf-8").replace("Дата рождения", "ДАТА   рождения ")
    ru.write_text(ru_text, encoding="utf-8")
    assert read_export(ru).loc[0, "birth_date"] == "12 мая 1988"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_encodings_give_identical_frames(tmp_path, encoding):
    text = (FIXTURES / "ru_labels.csv").read_text(encoding="utf-8")
    path = tmp_path / f"ru-{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    got = read_export(path)
    pd.testing.assert_frame_equal(got, read_export(FIXTURES / "ru_labels.csv"))
    assert "name" in got.attrs["source_columns"] and not got.columns[0].startswith("\ufeff")


def test_semicolon_delimited_excel_csv(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("Имя и фамилия;Статус;Дата рождения\nТестовый Пример Один;Политзаключенный;1980\n", encoding="cp1251")
    df = read_export(path)
    assert df.loc[0, "name"] == "Тестовый Пример Один" and df.loc[0, "birth_date"] == "1980"


def test_excel_sep_hint_line(tmp_path):
    path = tmp_path / "hint.csv"
    path.write_text("sep=;\nname;status\nТестовый Пример Один;active\n", encoding="utf-8")
    df = read_export(path)
    assert df.loc[0, "status"] == "active" and df["_row"].tolist() == [1]


def test_formula_like_cells_are_kept_verbatim():
    df = read_export(MACHINE)
    row = df[df["id"] == "405"].iloc[0]
    assert row["prison"] == "=cmd|' /C calc'!A0"
    assert row["charges"] == "+SUM(1,2)" and row["sentence"] == "@SUM(A1)"
    assert row["clusters"] == "-2+3+cmd|' /C calc'!A0"


def test_xlsx_reads_text_and_never_evaluates(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Name and surname", "Status", "Date of birth", "Prison", "id"])
    ws.append(["Test Example Xlsx", "Political prisoner", dt.datetime(1980, 1, 15), "=1+1", 101])
    ws.append([None, None, None, None, None])  # blank row: skipped
    ws.append(["Test Example Xlsx Two", "Former political prisoner", "1990", "=cmd|' /C calc'!A0", 102.0])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    df = read_export(path)
    assert len(df) == 2
    assert df["_row"].tolist() == [1, 3]
    assert df.loc[0, "birth_date"] == "1980-01-15"
    assert df.loc[0, "prison"] == "=1+1"  # formula text, not 2
    assert df.loc[1, "prison"] == "=cmd|' /C calc'!A0"
    assert df["id"].tolist() == ["101", "102"]
    assert df.attrs["blank_rows_skipped"] == 1


def test_extra_columns_are_ignored_and_reported(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("name,status,Something Else\nТестовый Пример Один,active,x\n", encoding="utf-8")
    df = read_export(path)
    assert df.attrs["unmapped_columns"] == ["Something Else"]
    assert "Something Else" not in df.columns


def test_short_rows_are_padded(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("name,status,birthday,arrested\nТестовый Пример Один,active\n", encoding="utf-8")
    df = read_export(path)
    assert df.loc[0, "birth_date"] == "" and df.loc[0, "detention_date"] == ""


# ------------------------------------------------------------------------------------------------ errors
def _error(path) -> str:
    with pytest.raises(DataError) as info:
        read_export(path)
    assert str(path) in str(info.value)
    return str(info.value)


def test_missing_required_columns_lists_what_was_found(tmp_path):
    path = tmp_path / "norequired.csv"
    path.write_text("id,url,birthday\n1,x,1980\n", encoding="utf-8")
    message = _error(path)
    assert "name, status" in message and "missing" in message
    assert "'id'" in message and "'birthday'" in message
    only_name = tmp_path / "onlyname.csv"
    only_name.write_text("Имя и фамилия,Пол\nТестовый Пример Один,Мужчина\n", encoding="utf-8")
    assert "status" in _error(only_name)


@pytest.mark.parametrize(
    ("content", "suffix", "words"),
    [
        (b"", ".csv", "empty file"),
        (b"  \n\r\n ", ".csv", "empty file"),
        ("name,status\n".encode(), ".csv", "header only"),
        ("name,status\n,\n,\n".encode(), ".csv", "no data rows"),
        (bytes(range(256)) * 40, ".csv", "binary"),
        (os.urandom(0) + bytes((i * 7919) % 251 + 1 for i in range(5000)), ".csv", "binary"),
        (b"name,status\nx,active\n", ".xlsx", "not an XLSX"),
        (b"PK\x03\x04garbage-not-a-zip" * 20, ".xlsx", "not a readable XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls", "legacy Excel"),
        (b"%PDF-1.4 whatever", ".pdf", "unsupported file type"),
        ("name,status\nx,active,extra,fields\n".encode(), ".csv", "not a well-formed CSV"),
        ("name,status,Имя и фамилия\nx,active,y\n".encode(), ".csv", "both mean 'name'"),
    ],
)
def test_unusable_files_raise_one_data_error(tmp_path, content, suffix, words):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    assert words in _error(path)


def test_missing_file_and_directory(tmp_path):
    assert "file not found" in _error(tmp_path / "nope.csv")
    assert "not a regular file" in _error(tmp_path)
