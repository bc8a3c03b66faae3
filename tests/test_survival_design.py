"""stats.survival.design by hand: event status per analysis, dummy coding and references, strata, entry nudging."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.stats.survival import design as d
from analysis.stats.survival.checks import Checked
from analysis.stats.survival.codes import EVENT_LABELS


def _chk(codes, mapping=EVENT_LABELS):
    code = np.asarray(codes)
    return Checked(data=pd.DataFrame(index=range(len(code))), time=np.ones(len(code)), code=code, entry=None,
                   codes=dict(mapping))


def test_event_status_all_cause_and_cause_specific():
    chk = _chk([0, 1, 2, 3, 4, 1])
    keep, status, dropped = d.event_status(chk, None, "exclude", "cox")
    assert keep.tolist() == [True] * 6 and status.tolist() == [0, 1, 1, 1, 1, 1] and dropped == 0
    keep, status, dropped = d.event_status(chk, 1, "exclude", "cox")  # unknown route (4) left out
    assert keep.tolist() == [True, True, True, True, False, True]
    assert status.tolist() == [0, 1, 0, 0, 1] and dropped == 1
    keep, status, dropped = d.event_status(chk, 1, "competing", "cox")  # unknown route kept as a competing event
    assert keep.all() and status.tolist() == [0, 1, 0, 0, 0, 1] and dropped == 0


def test_code_4_is_only_dropped_when_it_means_unknown_route():
    chk = _chk([0, 1, 4], {0: "censored", 1: "a", 4: "something else"})
    keep, status, dropped = d.event_status(chk, 1, "exclude", "cox")
    assert keep.all() and status.tolist() == [0, 1, 0] and dropped == 0


def test_event_status_refusals():
    chk = _chk([0, 1])
    with pytest.raises(ValueError, match=r"^unknown must be one of \('exclude', 'competing'\)$"):
        d.event_status(chk, 1, "drop", "cox")
    with pytest.raises(DataError, match=r"cox\(\): cause 9 is not an event code of the declared mapping \[0, 1, 2, 3, 4\]"):
        d.event_status(chk, 9, "exclude", "cox")
    with pytest.raises(DataError, match="cause 0 is not an event code"):
        d.event_status(chk, 0, "exclude", "cox")


def test_reference_levels_and_dummy_coding():
    cat = pd.Series(pd.Categorical(["b", "c", "b"], categories=["a", "b", "c"]))
    assert d.reference_level(cat) == "b"  # first category that is present
    assert d.reference_level(pd.Series(["z", "y", 10])) == 10  # sorted as text: "10" < "y" < "z"
    df = pd.DataFrame({"g": ["m", "f", "f", "x"], "age": [30, 40, 50, 60], "flag": [True, False, True, False],
                       "c": cat.tolist() + ["a"]})
    df["c"] = pd.Categorical(df["c"], categories=["a", "b", "c"])
    X, terms = d.design(df, ["g", "age", "flag"], {"g": "m"}, "cox")
    assert list(X.columns) == ["g[f]", "g[x]", "age", "flag"]
    assert X["g[f]"].tolist() == [0.0, 1.0, 1.0, 0.0] and X["g[x]"].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert X["age"].tolist() == [30.0, 40.0, 50.0, 60.0] and X["flag"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert terms[0] == {"term": "g[f]", "covariate": "g", "level": "f", "reference": "m"}
    assert terms[2] == {"term": "age", "covariate": "age", "level": None, "reference": None}
    X, terms = d.design(df, ["g", "c"], None, "cox")
    assert list(X.columns) == ["g[m]", "g[x]", "c[b]", "c[c]"]  # default references: 'f' (sorted), 'a' (first)
    assert {t["reference"] for t in terms if t["covariate"] == "c"} == {"a"}
    with pytest.raises(DataError, match=r"column 'g': reference level 'q' is not among the levels present \['f', 'm', 'x'\]"):
        d.design(df, ["g"], {"g": "q"}, "cox")


def test_strata_codes_and_strict_entry():
    df = pd.DataFrame({"a": ["y", "x", "y", "x"], "b": [1, 1, 2, 1]})
    assert d.strata_codes(df, []) is None
    assert d.strata_codes(df, ["a", "b"]).tolist() == [1, 0, 2, 0]  # sorted combinations: x|1, y|1, y|2
    time, entry = np.array([5.0, 7.0, 10.0]), np.array([0.0, 5.0, 2.0])
    assert d.strict_entry(time, None) is None
    assert d.strict_entry(time, entry).tolist() == [1.0, 6.0, 3.0]  # smallest gap between distinct times is 2
    assert d.strict_entry(np.array([3.0]), np.array([3.0])).tolist() == [3.5]  # one distinct time: gap 1
