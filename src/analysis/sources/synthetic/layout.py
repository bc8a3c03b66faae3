"""Header layouts (machine, ru, en) and deterministic writers of the export and its truth."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.sources.synthetic.marker import MARKER_COLUMN, row_markers
from analysis.sources.synthetic.params import (
    LAYOUT_LABELS, LAYOUTS, NAME_EN, NAME_RU, PENALTY_EN, PENALTY_RU, RELEASED_MARKERS_F, RELEASED_MARKERS_M,
    _json_default,
)

RECOGNISED_COLUMN = "recognised_date"
LAYOUT_NAME = {layout: next(label for label, col in labels.items() if col == "name")
               for layout, labels in LAYOUT_LABELS.items()}

# ------------------------------------------------------------------------------------------ layouts / writers
def to_layout(df: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Machine export -> localized label layout (`ru` or `en`); `machine` returns a copy.

    The optional `recognised_date` column is kept; the marker is recomputed from the layout's name cell.

    Status and gender become text (gendered Russian status forms); names become ``Synthetic Person …``
    in `en`; penalties and release markers are translated in `en`. The np label
    (``Преследование задокументировано`` / ``Repression documented``) is OUR wording: the localized
    label of np is not documented.
    """
    if layout == "machine":
        return df.copy()
    if layout not in LAYOUT_LABELS:
        raise UsageError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    fem = df["gender"].str.lower().eq("female")
    st = df["status"]
    if layout == "ru":
        status = np.select([st.eq("active") & ~fem, st.eq("active") & fem, st.eq("former") & ~fem,
                            st.eq("former") & fem, st.eq("np")],
                           ["Политзаключенный", "Политзаключенная", "Бывший политзаключенный",
                            "Бывшая политзаключённая", "Преследование задокументировано"], default="")
        gender = np.where(fem, "Женщина", "Мужчина")
        name, judge, penalty, prison = df["name"], df["judge"], df["penalty"], df["prison"]
    else:
        status = np.select([st.eq("active"), st.eq("former"), st.eq("np")],
                           ["Political prisoner", "Former political prisoner", "Repression documented"], default="")
        gender = np.where(fem, "Female", "Male")
        name = df["name"].str.replace(NAME_RU, NAME_EN, regex=False)
        judge = df["judge"].str.replace("Синтетический Судья", "Synthetic Judge", regex=False)
        penalty = df["penalty"].replace({v: PENALTY_EN[k] for k, v in PENALTY_RU.items()})
        prison = df["prison"].replace({m: "released" for m in RELEASED_MARKERS_M + RELEASED_MARKERS_F})
    source = {"name": name, "status": pd.Series(status, index=df.index), "gender": pd.Series(gender, index=df.index),
              "judge": judge, "penalty": penalty, "prison": prison}
    out = pd.DataFrame(index=df.index)
    for label, col in LAYOUT_LABELS[layout].items():
        out[label] = "" if not col else source.get(col, df[col] if col else "")
    if RECOGNISED_COLUMN in df:  # our optional column keeps its name in every layout
        out[RECOGNISED_COLUMN] = df[RECOGNISED_COLUMN]
    blank = pd.Series("", index=df.index)
    out[MARKER_COLUMN] = row_markers(blank, blank, out[LAYOUT_NAME[layout]])  # no id/url in this layout
    return out.astype(object)


def export_bytes(df: pd.DataFrame, fmt: str = "csv") -> bytes:
    """Deterministic bytes of the export: UTF-8 CSV (minimal quoting; multi-line cells quoted) or XLSX."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "xlsx":
        return _xlsx_bytes(df)
    raise UsageError(f"unknown format {fmt!r}; use csv or xlsx")


def _xlsx_bytes(df: pd.DataFrame) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("export")
    ws.append(list(df.columns))
    def text_cell(v: str) -> object:
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"  # text, never a formula
        return c

    for row in df.itertuples(index=False, name=None):
        ws.append([text_cell(v) if v[:1] == "=" else v for v in row])
    raw = io.BytesIO()
    wb.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-03-31T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    return fixed.getvalue()


def truth_json(truth: dict) -> str:
    return json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1, default=_json_default) + "\n"


def layout_truth(truth: dict, layout: str) -> dict:
    """Truth adjusted to a layout: malformed kinds whose column the layout lacks count 0 there."""
    t = json.loads(truth_json(truth))
    t["layout"] = layout
    if layout != "machine":
        kept = set(LAYOUT_LABELS[layout].values())
        for kind, info in t["malformed"].items():
            if info["column"] != "*" and info["column"] not in kept:
                info["count"], info["ids"], info["note"] = 0, [], f"column {info['column']} not in the {layout} layout"
        t["malformed_rows_total"] = sum(v["count"] for v in t["malformed"].values())
        t["ids_note"] = "localized layouts have no id column: ids refer to the machine export of the same seed"
    return t


def write_export(df: pd.DataFrame, truth: dict, out: str | Path, layout: str = "machine", fmt: str = "csv") -> tuple[Path, Path]:
    """Write the export (in `layout`, `fmt`) and ``<out>.truth.json`` beside it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(export_bytes(to_layout(df, layout), fmt))
    truth_path = out.with_name(out.name + ".truth.json")
    truth_path.write_text(truth_json(layout_truth(truth, layout)), encoding="utf-8")
    return out, truth_path
