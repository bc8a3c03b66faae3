"""Pandera schemas of the person-level outputs (data/processed/<source>/): people.csv and quarantine.csv.

The column descriptions here are the data dictionary: ``data/processed/README.md`` is written from
:func:`data_dictionary` (``python -m analysis.schemas_people > data/processed/README.md``), and a test
checks that they agree. The contract in words is docs/PEOPLE_SCHEMA.md.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.clean.rules import EXIT_TYPES, exit_type

HEX16 = r"^[0-9a-f]{16}$"
SOURCES = ("viasna", "synthetic")
STATUSES = ("current", "former", "not_recognised")
GENDERS = ("male", "female")
PRECISIONS = ("day", "month", "year")
PENALTY_TYPES = ("imprisonment", "restricted_freedom", "fine", "life", "death", "other")
REGIONS = ("brest", "vitebsk", "gomel", "grodno", "minsk_city", "minsk_region", "mogilev")
COUNT_KEYS = ("input_rows", "clean_rows", "quarantined_rows", "field_problems", "synthetic_rows")
FACILITY_PATTERN = r"^(?:colony|pretrial|open|prison|ltp)(?: [0-9]{1,3})?$"
SHAPE_PATTERN = r"^(?:empty|len=[0-9]+ [a-z+]+)$"


def _text(description: str, nullable: bool = True, checks=None) -> pa.Column:
    return pa.Column(object, checks=checks, nullable=nullable, description=description)


def _date(what: str) -> pa.Column:
    return pa.Column("datetime64[ns]", nullable=True, description=(
        f"{what} (YYYY-MM-DD); the first day of the month/year when the source gives only that; "
        "empty when unknown or unparseable"))


def _precision(what: str) -> pa.Column:
    return _text(f"precision of {what}: `day`, `month`, `year`; empty when the date is empty",
                 checks=pa.Check.isin(PRECISIONS))


def _precision_matches_date(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for stem in ("detention", "verdict", "release"):
        ok &= df[f"{stem}_date"].isna() == df[f"{stem}_precision"].isna()
    return ok


def _exit_type_follows_rule(df: pd.DataFrame) -> pd.Series:
    return exit_type(df) == df["exit_type"]


PEOPLE_SCHEMA = pa.DataFrameSchema(
    {
        "record_id": _text("keyed hash (HMAC-SHA256, 16 hex) of the source record key; unique", False,
                           pa.Check.str_matches(HEX16)),
        "person_id": _text("keyed hash (16 hex) linking the records of one person (same source id, same "
                           "person URL, or same name + day-precision birth date); made from the person's page URL "
                           "when there is one, so it is stable across exports under the same key", False,
                           pa.Check.str_matches(HEX16)),
        "source": _text("`synthetic` when the row carries the synthetic generator's marker (generated people, not "
                        "real; whatever `--source` said), else `viasna`", False,
                        pa.Check.isin(SOURCES)),
        "status": _text("`current` (political prisoner), `former`, `not_recognised` (listed, repression "
                        "documented, not recognised as political prisoner)", False, pa.Check.isin(STATUSES)),
        "ex_post_facto": pa.Column(bool, description="True when recognised only after release "
                                   "(`Recognized ex post facto` / `признан… постфактум`)"),
        "gender": _text("`male`, `female`; empty when not stated", checks=pa.Check.isin(GENDERS)),
        "birth_year": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True,
                                description="year of birth (from a birth date of any precision)"),
        "detention_date": _date("date of detention"),
        "verdict_date": _date("date of the verdict"),
        "release_date": _date("date of release"),
        "detention_precision": _precision("detention_date"),
        "verdict_precision": _precision("verdict_date"),
        "release_precision": _precision("release_date"),
        "articles": _text("Criminal Code articles charged: distinct normalised codes joined by `;` "
                          "(e.g. `342;361-1`)"),
        "article_family": _text("family of the most serious article (`analysis.clean.articles.FAMILIES`; "
                                "`other` when none applies)"),
        "sentence_months": pa.Column(float, pa.Check.gt(0), nullable=True, description=(
            "term of imprisonment / restricted freedom in months; empty for fines, life, unknown")),
        "penalty_type": _text("`imprisonment`, `restricted_freedom`, `fine`, `life`, `death`, `other`",
                              checks=pa.Check.isin(PENALTY_TYPES)),
        "regime": _text("colony regime if stated (`general`, `enhanced`, `strict`, `special`, `prison`, `open`)"),
        "prison": _text("facility designation parsed from the prison cell: `colony`, `pretrial`, `open`, `prison` "
                        "or `ltp`, with its number when stated (e.g. `colony 15`); empty when unknown, released or "
                        "not recognised (the cell's text itself is never copied)", checks=pa.Check.str_matches(FACILITY_PATTERN)),
        "released_marker": pa.Column(bool, description="True when the prison cell says released / at liberty"),
        "died": pa.Column(bool, description="True when the source flags a death (any non-empty text other "
                          "than no/false/0/unknown)"),
        "region": _text("oblast of the case (`brest`, `vitebsk`, `gomel`, `grodno`, `minsk_city`, "
                        "`minsk_region`, `mogilev`) from `clusters`, else from the prison address",
                        checks=pa.Check.isin(REGIONS)),
        "exit_type": _text("`died`, `sentence_served`, `early_release`, `still_held`, `unknown` (rule in "
                           "docs/PEOPLE_SCHEMA.md)", False, pa.Check.isin(EXIT_TYPES)),
        "recognised_date": pa.Column("datetime64[ns]", nullable=True, description=(
            "date of recognition as a political prisoner (YYYY-MM-DD; first day of the month/year when only that "
            "is given) from the optional `recognised_date` column; empty when unknown. Viasna's export has no "
            "such column (docs/VIASNA_EXPORT_FORMAT.md), so it is empty for a real export unless the user adds it")),
    },
    checks=[
        pa.Check(_precision_matches_date, name="precision_iff_date"),
        pa.Check(_exit_type_follows_rule, name="exit_type_rule"),
    ],
    unique=["record_id"],
    strict=True,
    ordered=True,
    name="people",
)

QUARANTINE_SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64", pa.Check.ge(1), description="1-based data row number in the input file "
                         "(header not counted; a quoted multi-line cell is one row)"),
        "column": _text("input column name as written in the file", False),
        "value_shape": _text("the shape of the cell, never its text: `len=<characters> <classes>` with classes "
                             "among letters, digits, spaces, punct, other (e.g. `len=10 digits+punct`), or `empty`",
                             False, pa.Check.str_matches(SHAPE_PATTERN)),
        "reason": _text("why the value or record could not be used", False),
        "whole_row": pa.Column(bool, description="True when the whole record is held out of people.csv; "
                               "False when only this value is left empty (or a note such as a possible "
                               "duplicate person that was not merged)"),
    },
    strict=True,
    ordered=True,
    name="quarantine",
)

COUNTS_DOC = {
    "input_rows": "data rows read from the input file (fully blank rows skipped)",
    "clean_rows": "rows in people.csv",
    "quarantined_rows": "records held out of people.csv (distinct rows with a whole_row problem)",
    "field_problems": "quarantine rows with whole_row False (values left empty, possible duplicates)",
    "synthetic_rows": "input rows that carry the synthetic generator's marker (0 for a real export)",
    "synthetic": "true when any input row carries the marker: every output of the folder is synthetic "
                 "(the folder also holds a file `SYNTHETIC`)",
    "source": "`--source` of the clean run (`viasna` or `synthetic`: which pseudonym key was used)",
}


def _dtype_name(column: pa.Column) -> str:
    text = str(column.dtype)
    return {"object": "str", "datetime64[ns]": "date", "float64": "float", "bool": "bool",
            "Int64": "int (nullable)", "int64": "int"}.get(text, text)


def data_dictionary() -> str:
    """The markdown data dictionary of people.csv, quarantine.csv and counts.json."""
    lines = [
        "# data/processed — person-level tables",
        "",
        "<!-- generated by `python -m analysis.schemas_people > data/processed/README.md`; edit the schema -->",
        "",
        "`synthetic/` is made by every build (`analysis.people.build_synthetic`: generated people, not real);",
        "`user/<source>/` by `python -m analysis clean` without `--out` (never commit it). Every output folder",
        "is private (folder 0700, files 0600) and holds a `.gitignore` of `*`. Only parsed, typed fields and",
        "keyed-hash ids reach these files: no names, URLs, judges, counsel, prosecutors, addresses or free",
        "text, and quarantine.csv gives the shape of a bad value, never its text (`analysis.clean.pseudonym`).",
        "Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is written",
        "with a leading `'`. Dates are `YYYY-MM-DD`; empty cells are missing values.",
        "",
    ]
    for title, schema, intro in (
        ("people.csv", PEOPLE_SCHEMA, "one row per record (a person can have several: re-arrests); "
         "sorted by person_id, detention_date, record_id"),
        ("quarantine.csv", QUARANTINE_SCHEMA, "one row per problem; sorted by row"),
    ):
        lines += [f"## {title}", "", intro, "", "| column | type | missing allowed | meaning |", "|---|---|---|---|"]
        for name, column in schema.columns.items():
            lines.append(f"| {name} | {_dtype_name(column)} | {'yes' if column.nullable else 'no'} | "
                         f"{column.description} |")
        lines.append("")
    lines += ["## counts.json", "", "`input_rows` = `clean_rows` + `quarantined_rows` always.", "",
              "| key | meaning |", "|---|---|"]
    lines += [f"| {key} | {text} |" for key, text in COUNTS_DOC.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(data_dictionary(), end="")
