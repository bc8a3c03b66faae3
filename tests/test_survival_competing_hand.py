"""Aalen–Johansen cumulative incidence on four people, worked by hand; no warning at F = 0 or F = 1."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.stats.survival import competing
from analysis.stats.survival.codes import EVENT_LABELS

CODES = {0: "censored", 1: "a", 2: "b"}


def test_cif_by_hand_with_columns_and_no_warning():
    # t=1 cause a (4 at risk): F = 1/4; t=2 cause b (3 at risk): F stays, S = 1/2; t=3 censored;
    # t=4 cause a (1 at risk): F = 1/4 + S(4-) * 1/1 = 3/4
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0, 4.0], "e": [1, 2, 0, 1], "g": "all"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # F = 0 at the start and the log(-log) band at its limits warn nothing
        out = competing.cumulative_incidence(df, "t", "e", cause=1, codes=CODES)
    assert list(out.columns) == ["group", "cause", "time", "cif", "se", "ci_low", "ci_high", "at_risk",
                                 "events_cause", "events_competing", "excluded_unknown_route"]
    assert out["time"].tolist() == [0.0, 1.0, 2.0, 4.0]
    assert out["cif"].tolist() == pytest.approx([0.0, 0.25, 0.25, 0.75])
    assert out["at_risk"].tolist() == [4, 4, 3, 1]
    assert out["events_cause"].tolist() == [0, 1, 0, 1] and out["events_competing"].tolist() == [0, 0, 1, 0]
    assert (out["cause"] == 1).all() and (out["excluded_unknown_route"] == 0).all()
    assert out.loc[0, ["se", "ci_low", "ci_high"]].tolist() == [0.0, 0.0, 0.0]
    assert ((out["ci_low"] <= out["cif"]) & (out["cif"] <= out["ci_high"])).all()


def test_everyone_ends_by_the_cause_without_warnings():
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 1, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = competing.cumulative_incidence(df, "t", "e", cause=1, codes=CODES)
    assert out["cif"].tolist() == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])


def test_unknown_routes_are_excluded_or_compete():
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0, 4.0], "e": [1, 4, 1, 0]})
    excluded = competing.cumulative_incidence(df, "t", "e", cause=1, codes=EVENT_LABELS)
    assert excluded["excluded_unknown_route"].iloc[0] == 1 and excluded["cif"].iloc[-1] == pytest.approx(2 / 3)
    kept = competing.cumulative_incidence(df, "t", "e", cause=1, codes=EVENT_LABELS, unknown="competing")
    assert kept["excluded_unknown_route"].iloc[0] == 0 and kept["cif"].iloc[-1] == pytest.approx(0.25 + 0.5 * 1 / 2)  # S = 1/2 after the competing exit
    with pytest.raises(ValueError, match=r"^unknown must be one of \('exclude', 'competing'\)$"):
        competing.cumulative_incidence(df, "t", "e", cause=1, codes=EVENT_LABELS, unknown="drop")
    with pytest.raises(DataError, match="cause 7 is not an event code .*; declare the codes with codes=\\{code: label\\}"):
        competing.cumulative_incidence(df, "t", "e", cause=7, codes=EVENT_LABELS)


def test_simulated_covariate_is_binary_with_the_given_share():
    sim = competing.simulate_competing(4000, {1: 0.1, 2: 0.05}, {1: 2.0}, covariate_share=0.3, censor_rate=0.0,
                                       seed=2)
    assert set(sim["x"].unique()) == {0, 1} and sim["x"].dtype.kind == "i"
    assert sim["x"].mean() == pytest.approx(0.3, abs=0.03)
    assert (sim["event"] != 0).all()  # censor_rate 0: nobody censored
