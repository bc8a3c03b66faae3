"""Figures of the sentencing / Article 411 report: each returns a Figure with a source line, and the synthetic
stamp when asked (small hand-made tables; fast)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import SYNTHETIC_STAMP  # noqa: E402
from analysis.figures import sentencing as fs  # noqa: E402

SOURCE = "hand-made test table"


def _summary(groups: dict[str, list], n: int = 20) -> pd.DataFrame:
    keys = pd.MultiIndex.from_product(list(groups.values()), names=list(groups)).to_frame(index=False)
    k = len(keys)
    med = np.linspace(20, 40, k)
    return keys.assign(n=n, median=med, q25=med - 5, q75=med + 6, q90=med + 15, median_ci_low=med - 2,
                       median_ci_high=med + 2, suppressed=False)


def _qr() -> pd.DataFrame:
    rows = []
    for q in (0.5, 0.9):
        for term, ref, est in (("Intercept", None, 24.0), ("article_family[T.extremism]", "protest", 12.0),
                               ("verdict_year[T.2022]", "2021", -1.5), ("gender[T.female]", "male", 0.0)):
            rows.append(dict(quantile=q, term=term, estimate=est * (1 + q), ci_low=est - 3, ci_high=est + 4,
                             p_value=0.01, n=100, reference=ref))
    return pd.DataFrame(rows)


def _curated() -> pd.DataFrame:
    return pd.DataFrame({
        "as_of_date": pd.to_datetime(["2023-10-31", "2023-10-31", "2024-07-30", "2024-07-30"]),
        "metric": ["art411_cases", "transferred_to_prison_regime"] * 2,
        "value": [29.0, 59.0, 46.0, 84.0], "qualifier": ["at_least", "exact", "at_least", "at_least"],
    })


def _extensions(n: int) -> pd.DataFrame:
    return pd.DataFrame({"gap_months": np.linspace(-6, 2, n)})


CASES = {
    "family_year": lambda syn: fs.plot_family_year(
        _summary({"article_family": ["protest", "extremism", "other"], "verdict_year": ["2021", "2022"]}),
        SOURCE, "t", synthetic=syn),
    "family_year_suppressed": lambda syn: fs.plot_family_year(
        _summary({"article_family": ["protest"], "verdict_year": ["2021"]}).assign(
            suppressed=True, median=np.nan, q25=np.nan, q75=np.nan, q90=np.nan, n=3), SOURCE, "t", synthetic=syn),
    "coefficients": lambda syn: fs.plot_coefficients(_qr(), SOURCE, "t", synthetic=syn),
    "group_quantiles": lambda syn: fs.plot_group_quantiles(
        _summary({"detention_cohort": ["2020", "2021"], "gender": ["female", "male"]}), "detention_cohort",
        SOURCE, "t", hue="gender", synthetic=syn),
    "group_quantiles_no_hue": lambda syn: fs.plot_group_quantiles(_summary({"gender": ["female", "male"]}),
                                                                  "gender", SOURCE, "t", synthetic=syn),
    "art411_curated": lambda syn: fs.plot_art411_curated(_curated(), SOURCE, "t", synthetic=syn),
    "extension_gaps": lambda syn: fs.plot_extension_gaps(_extensions(7), SOURCE, "t", synthetic=syn),
}


@pytest.mark.parametrize("synthetic", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_has_source_and_stamp(name, synthetic):
    fig = CASES[name](synthetic)
    try:
        assert isinstance(fig, plt.Figure)
        texts = [t.get_text() for t in fig.texts]
        assert f"Source: {SOURCE}" in texts
        assert (SYNTHETIC_STAMP in texts) is synthetic
    finally:
        plt.close(fig)


def test_term_labels_are_readable():
    assert fs.term_label("article_family[T.insult_of_officials]", "protest") == \
        "family: insulting officials (vs protest)"
    assert fs.term_label("verdict_year[T.2022]", "2021") == "verdict year: 2022 (vs 2021)"
    assert fs.term_label("Intercept", None) == "intercept (reference groups)"


def test_coefficient_plot_leaves_out_the_intercept_by_default():
    fig = fs.plot_coefficients(_qr(), SOURCE, "t")
    try:
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert len(labels) == 3 and not any("intercept" in x for x in labels)
    finally:
        plt.close(fig)


def test_no_extension_figure_when_nothing_to_show():
    """An empty histogram is not drawn: the function returns None and the report says so in words."""
    assert fs.plot_extension_gaps(_extensions(0), SOURCE, "t") is None
    assert fs.plot_extension_gaps(pd.DataFrame({"gap_months": [np.nan, np.nan]}), SOURCE, "t") is None
