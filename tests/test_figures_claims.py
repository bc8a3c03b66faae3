"""Figure functions of the claims-check report return a figure with a source line."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import claims  # noqa: E402
from analysis.figures import claims as fig_claims  # noqa: E402
from analysis.stats import ranking  # noqa: E402


def _source_texts(fig):
    return [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]


@pytest.fixture(scope="module")
def pc():
    rows, pops = [], []
    for i, (name, n) in enumerate([("Belarus", 1100), ("A", 5000), ("B", 40), ("C", 3), ("D", 200)]):
        iso = "BLR" if name == "Belarus" else f"X{i}"
        rows.append(dict(country=name, iso3=iso, as_of_date="2025-11-30", political_prisoners=n, qualifier="exact",
                         counting_org="Org", definition="held", source_url=f"https://cc/{iso}", notes=""))
        pops.append(dict(country=name, iso3=iso, year=2025, population=9_000_000, source_org="Stat",
                         source_url="https://pop"))
    defs = {"within_12m": ranking.Definition("t", "as_of_date >= @lo and as_of_date <= @hi", "closest"),
            "latest": ranking.Definition("t", None, "latest")}
    return claims.per_capita(pd.DataFrame(rows), pd.DataFrame(pops), "2025-12-18", n_sim=100, seed=1,
                             definitions=defs)


def test_rates_by_definition(pc):
    fig = fig_claims.plot_rates_by_definition(pc["ranked"], ["within_12m", "latest"], "test data", "Rates",
                                              labels={"latest": "latest figure"})
    assert isinstance(fig, plt.Figure) and _source_texts(fig) == ["Source: test data"]
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "latest figure"
    plt.close(fig)


def test_rank_intervals(pc):
    fig = fig_claims.plot_rank_intervals(pc["spread"], pc["intervals"], "test data", "Ranks", top_k=3,
                                         highlight=["within_12m"])
    assert isinstance(fig, plt.Figure) and _source_texts(fig) == ["Source: test data"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["within_12m", "latest *"]  # not highlighted = starred
    assert "90% interval" in fig.axes[0].get_xlabel()  # the level of the intervals, not a typed number
    plt.close(fig)


def test_stock_without_releases():
    swr = pd.DataFrame({"month": pd.to_datetime(["2024-06-01", "2024-12-01", "2025-12-01"]),
                        "observed_stock": [100.0, 95.0, 90.0], "released_in_waves_to_date": [0.0, 20.0, 50.0]})
    swr["stock_without_waves"] = swr["observed_stock"] + swr["released_in_waves_to_date"]
    fig = fig_claims.plot_stock_without_releases(swr, "test data", "Stock", waves_start="2024-07-01",
                                                 base_month="2024-06-01", marker=("statement", "2025-12-18"))
    assert isinstance(fig, plt.Figure) and _source_texts(fig) == ["Source: test data"]
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels[0].startswith("held + released in waves since July 2024")  # from waves_start, not typed
    plt.close(fig)
