"""Release-report figures carry a source line (and the synthetic stamp when asked); custody tables are per person."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from analysis import SYNTHETIC_STAMP
from analysis.figures import releases
from analysis.stats import custody


def _texts(fig):
    return " ".join(t.get_text() for t in fig.texts)


def test_km_figure_has_source_stamp_and_risk_table():
    curves = pd.DataFrame({"group": ["a"] * 3 + ["b"] * 3, "time": [0, 1, 2] * 2, "survival": [1, .8, .5, 1, .9, .7],
                           "ci_low": [1, .7, .4, 1, .8, .6], "ci_high": [1, .9, .6, 1, 1, .8]})
    risk = pd.DataFrame({"group": ["a", "a", "b", "b"], "time": [0, 12, 0, 12], "at_risk": [10, 4, 8, 3]})
    fig = releases.plot_km(curves, risk, "test source", "title", synthetic=True)
    assert "Source: test source" in _texts(fig) and SYNTHETIC_STAMP in _texts(fig)


def test_waves_figure_splits_stayed_abroad_unknown():
    stock = pd.DataFrame({"month": pd.date_range("2025-01-01", periods=3, freq="MS"),
                          "currently_held": [100.0, 90.0, 80.0], "observed": [True, False, True]})
    waves = pd.DataFrame({"event_date": pd.to_datetime(["2025-01-10", "2025-02-10"]),
                          "released": pd.array([10, 60], dtype="Float64"), "exiled": pd.array([pd.NA, 15], dtype="Float64")})
    fig = releases.plot_waves(stock, waves, "src", "t")
    bars = fig.axes[1].patches
    heights = sorted(round(b.get_height()) for b in bars)
    assert heights == [0, 0, 0, 10, 15, 45]  # stayed (0, 45), abroad (0, 15), unknown (10, 0)
    assert SYNTHETIC_STAMP not in _texts(fig)


DEATHS = pd.DataFrame({
    "death_id": ["DC-001", "DC-001", "DC-002"],
    "date_of_death": pd.to_datetime(["2021-05-03", "2021-05-01", None]),
    "date_precision": ["day", "month", None],
    "in_custody_or_after_release": ["in_custody", "in_custody", "after_release"],
    "age": ["50", "50", None], "source_url": ["https://a", "https://b", "https://c"],
})


def test_deaths_one_row_per_person_with_earliest_date():
    by_person = custody.deaths_by_person(DEATHS)
    assert list(by_person["death_id"]) == ["DC-001", "DC-002"]
    assert by_person.loc[0, "date_of_death"] == pd.Timestamp("2021-05-01")
    assert list(by_person["n_sources"]) == [2, 1]
    per_year = custody.deaths_per_year(by_person).set_index("year")
    assert per_year.loc["2021", "in_custody"] == 1 and per_year.loc["undated", "after_release"] == 1


def test_cif_figure_draws_each_route():
    cif = pd.DataFrame({"cause": [1, 1, 2, 2], "time": [0, 5, 0, 5], "cif": [0, .2, 0, .5],
                        "ci_low": [0, .1, 0, .4], "ci_high": [0, .3, 0, .6]})
    fig = releases.plot_cif(cif, None, "src", "t")
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert releases.ROUTE_LABELS[1] in labels and releases.ROUTE_LABELS[2] in labels


def _table_texts(fig):
    """Text drawn on the numbers-at-risk axis (the second axis of the KM figure)."""
    return [t.get_text() for t in fig.axes[1].texts]


def test_km_risk_table_hides_small_numbers_and_their_complements():
    curves = pd.DataFrame({"group": ["a"] * 3 + ["b"] * 3, "time": [0, 1, 2] * 2, "survival": [1, .8, .5, 1, .9, .7],
                           "ci_low": [1, .7, .4, 1, .8, .6], "ci_high": [1, .9, .6, 1, 1, .8],
                           "at_risk": [10, 7, 4, 8, 6, 5]})
    risk = pd.DataFrame({"group": ["a", "a", "b", "b"], "time": [0, 12, 0, 12], "at_risk": [10, 4, 8, 30]})
    fig = releases.plot_km(curves, risk, "src", "t")
    texts = _table_texts(fig)
    assert "<5" in texts and "withheld" in texts  # 4 hidden, and 30 too: the 12-month total would reveal it
    assert not any(t.isdigit() and 0 < int(t) < 5 for t in texts)
    assert sorted(texts) == sorted(["10", "8", "<5", "withheld"])
    # curve 'a' stops before the step where only 4 remain at risk
    a_line = fig.axes[0].get_lines()[0]
    assert max(a_line.get_xdata()) == 1


def test_km_labels_are_readable_and_rows_line_up_with_times():
    curves = pd.DataFrame({"group": ["insult_of_officials"] * 2, "time": [0, 1], "survival": [1, .8],
                           "ci_low": [1, .7], "ci_high": [1, .9], "at_risk": [20, 18]})
    risk = pd.DataFrame({"group": ["insult_of_officials"] * 2, "time": [0, 12], "at_risk": [20, 9]})
    fig = releases.plot_km(curves, risk, "src", "t")
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["insulting officials"]
    assert [t.get_position()[0] for t in fig.axes[1].texts] == [0, 12]  # each number at its time on the axis
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "insulting officials"


def test_deaths_figure_has_no_overlapping_labels():
    deaths = pd.DataFrame({"death_id": ["DC-1", "DC-2", "DC-3"],
                           "date_of_death": pd.to_datetime(["2024-01-05", "2024-01-20", "2025-06-01"]),
                           "in_custody_or_after_release": ["in_custody"] * 3})
    fig = releases.plot_deaths(deaths, "src", "t")
    ax = fig.axes[0]
    assert not ax.texts  # no per-point id labels that collide
    ys = ax.collections[0].get_offsets()[:, 1]
    assert ys[0] != ys[1] and ys[2] == 0  # two deaths 15 days apart are drawn apart
