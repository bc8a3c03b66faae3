"""`generate`: one synthetic export (histories -> text -> malformed rows and duplicates -> marker) and its truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.sources.synthetic.histories import simulate
from analysis.sources.synthetic.layout import RECOGNISED_COLUMN
from analysis.sources.synthetic.marker import MARKER_COLUMN, row_markers
from analysis.sources.synthetic.params import SynthParams
from analysis.sources.synthetic.recognition import apply_recognition, recognition_truth
from analysis.sources.synthetic.render import add_malformed, render_records
from analysis.sources.synthetic.text import _iso
from analysis.sources.synthetic.truth import build_truth



def recognised_text(h: dict, as_of: int) -> np.ndarray:
    """ISO recognition date of records recognised by ``as_of``, '' otherwise."""
    day = h["recognised"]
    known = h["rec"] & (day <= as_of)
    out = np.full(len(day), "", dtype=object)
    out[known] = _iso(day[known])
    return out


def with_marker(df: pd.DataFrame) -> pd.DataFrame:
    """The export with the generator's marker as its last column (see analysis.sources.synthetic.marker)."""
    out = df.drop(columns=[MARKER_COLUMN], errors="ignore")
    out[MARKER_COLUMN] = row_markers(out["id"], out["url"], out["name"])
    return out


def generate(params: SynthParams, n: int | None = None, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Synthetic machine export (23 Viasna columns [+ recognised_date] + synthetic_marker, all text) and its truth.

    ``n`` is the number of export rows (including duplicate rows); ``None`` = ``params.n_default``.
    Inflow and wave sizes are rescaled by ``n / n_default``. Deterministic in (params, n, seed).
    """
    if not params.inflow:
        raise UsageError("params are not calibrated (empty inflow): use calibrate() or default_params()")
    h = simulate(params, n, seed)
    late = params.late_recognition_share > 0
    if late:
        apply_recognition(params, h, h["as_of"])
    df, forms = render_records(params, h)
    h.update(forms)
    if late:
        df[RECOGNISED_COLUMN] = recognised_text(h, h["as_of"])
    out, malformed = add_malformed(params, h, df)
    h.update(malformed, out=out)
    truth = build_truth(params, h)
    if late:
        ends = np.array([int((pd.Timestamp(m) + pd.offsets.MonthEnd(0) - pd.Timestamp("1970-01-01")).days)
                         for m in params.months], dtype=np.int64)
        truth["recognition"] = recognition_truth(h, h["rec_id"].astype(np.int64), h["as_of"],
                                                 np.minimum(ends, h["as_of"]))
    return with_marker(out), truth
