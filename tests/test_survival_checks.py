"""Every bad input named in issue 11 fed to every estimator: one DataError naming the column, never a silent answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.stats import survival as sv

# A clean frame with deliberately odd column names: no project schema needed.
T, E, X, G, ENTRY = "Time held (months)", "état", "x22", "grp → level", "entered at"


def clean_frame(n: int = 120, seed: int = 4) -> pd.DataFrame:
    """Tied, two-group, 0/1-coded sample with a numeric covariate and entry times before exit."""
    rng = np.random.default_rng(seed)
    t = np.ceil(rng.exponential(12, n))
    return pd.DataFrame({T: t, E: (rng.random(n) < 0.7).astype(int), X: rng.normal(size=n),
                         G: np.where(rng.random(n) < 0.5, "north", "south"), ENTRY: np.floor(rng.random(n) * t)})


ESTIMATORS = {
    "kaplan_meier": lambda d, **kw: sv.kaplan_meier(d, T, E, group=G, **kw),
    "median_survival": lambda d, **kw: sv.median_survival(d, T, E, group=G, **kw),
    "risk_table": lambda d, **kw: sv.risk_table(d, T, G, [0, 6, 12], **kw),
    "cox": lambda d, **kw: sv.cox(d, T, E, [X, G], **kw),
    "cox_ignore_ph": lambda d, **kw: sv.cox(d, T, E, [X, G], on_ph_violation="ignore", **kw),
    "ph_check": lambda d, **kw: sv.ph_check(d, T, E, [X, G], **kw),
    "cumulative_incidence": lambda d, **kw: sv.cumulative_incidence(d, T, E, 1, group=G, **kw),
}
USES_EVENT = [k for k in ESTIMATORS if k != "risk_table"]
USES_COVARIATES = ["cox", "cox_ignore_ph", "ph_check"]


def with_value(column: str, rows: list[int], value) -> pd.DataFrame:
    """Clean frame with `value` written into `rows` of `column` (column cast to object when needed)."""
    d = clean_frame()
    if isinstance(value, str) or value is None:
        d[column] = d[column].astype(object)
    d.loc[rows, column] = value
    return d


def expect_error(name: str, d: pd.DataFrame, column: str, words: str, n_bad: int | None = None, **kw) -> None:
    """The estimator raises one DataError whose one-line message names the column, the rule and the count."""
    with pytest.raises(DataError) as err:
        ESTIMATORS[name](d, **kw)
    msg = str(err.value)
    assert "\n" not in msg and f"column '{column}'" in msg and words in msg, msg
    if n_bad is not None:
        assert f"({n_bad} row" in msg, msg


@pytest.mark.parametrize("name", ESTIMATORS)
def test_clean_frame_with_arbitrary_column_names_runs(name):
    out = ESTIMATORS[name](clean_frame())
    assert out is not None


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("bad, words", [(np.nan, "missing values"), (np.inf, "finite"), (-1.0, "≥ 0"),
                                        ("12", "must be numbers")])
def test_bad_durations(name, bad, words):
    expect_error(name, with_value(T, [3, 7, 9], bad), T, words, None if bad == "12" else 3)


@pytest.mark.parametrize("name", USES_EVENT)
@pytest.mark.parametrize("column_values, words", [
    (["1", "0"], "not numbers"),  # text digits
    (["yes", "no"], "not numbers"),  # strings
    ([1, 2], "found 2"),  # R-style 1 = censored, 2 = event
    ([np.nan, 1], "missing values"),
    ([1, 5], "found 5"),
])
def test_bad_event_codes(name, column_values, words):
    d = clean_frame()
    d[E] = np.where(np.arange(len(d)) % 2 == 0, *[np.array([v], dtype=object) for v in column_values])
    if all(isinstance(v, (int, float)) for v in column_values):
        d[E] = d[E].astype(float)
    expect_error(name, d, E, words)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_missing_group_or_covariate_is_an_error_unless_dropna(name):
    d = with_value(G, [0, 5], None)
    expect_error(name, d, G, "missing values", 2)
    out = ESTIMATORS[name](d, dropna=True)
    notes = out.notes if isinstance(out, sv.CoxResult) else out.attrs.get("notes", [])
    if name != "ph_check":  # ph_check returns the test table only
        assert any("2 rows with a missing value" in note for note in notes), notes


@pytest.mark.parametrize("name", ["kaplan_meier", "median_survival", "cumulative_incidence"])
def test_dropna_excludes_and_counts_missing_durations(name):
    d = with_value(T, [1, 2], np.nan)
    out = ESTIMATORS[name](d, dropna=True)
    assert any("2 rows with a missing value in Time held (months)" in n for n in out.attrs["notes"])
    if name == "median_survival":
        assert out["n"].sum() == len(d) - 2  # NaN rows are not counted in n


def test_nan_duration_example_by_hand():
    """The issue's failure: a NaN duration stayed in the risk set for ever and added a row time=NaN, S=0."""
    d = pd.DataFrame({"t": [1.0, 2.0, np.nan, 3.0, 4.0], "e": [1, 0, 1, 1, 1]})
    with pytest.raises(DataError, match="column 't': missing values"):
        sv.kaplan_meier(d, "t", "e")
    km = sv.kaplan_meier(d, "t", "e", dropna=True)
    assert km["time"].tolist() == [0.0, 1.0, 3.0, 4.0]  # no NaN time
    assert km["survival"].tolist() == pytest.approx([1.0, 0.75, 0.375, 0.0])  # 3/4 · 1/2 · 0


@pytest.mark.parametrize("name", USES_COVARIATES)
def test_constant_numeric_covariate(name):
    d = clean_frame()
    d[X] = 1.0
    expect_error(name, d, X, "a covariate must vary")


@pytest.mark.parametrize("name", USES_COVARIATES)
def test_one_level_string_covariate(name):
    d = clean_frame()
    d[G] = "north"
    expect_error(name, d, G, "a covariate must vary")


@pytest.mark.parametrize("name", USES_COVARIATES)
def test_infinite_covariate(name):
    expect_error(name, with_value(X, [2], np.inf), X, "finite", 1)


@pytest.mark.parametrize("name", ["kaplan_meier", "median_survival", "risk_table", "cox", "cumulative_incidence"])
def test_bad_entry_times(name):
    for bad, words in [(np.nan, "missing values"), (-2.0, "≥ 0"), ("3", "must be numbers")]:
        with pytest.raises(DataError) as err:
            ESTIMATORS[name](with_value(ENTRY, [4], bad), entry=ENTRY)
        assert f"column '{ENTRY}'" in str(err.value) and words in str(err.value)


def test_missing_column_and_non_frame():
    with pytest.raises(DataError, match="column 'nope': column not found"):
        sv.kaplan_meier(clean_frame(), "nope", E)
    with pytest.raises(DataError, match="expects a pandas DataFrame"):
        sv.kaplan_meier(clean_frame().to_dict(), T, E)


def test_three_events_at_time_zero_give_one_row_at_zero():
    d = pd.DataFrame({"t": [0.0, 0.0, 0.0, 2.0, 3.0, 5.0, 5.0, 8.0], "e": [1, 1, 1, 1, 0, 1, 0, 1]})
    km = sv.kaplan_meier(d, "t", "e")
    assert (km["time"] == 0).sum() == 1
    first = km.iloc[0]
    assert first["survival"] == pytest.approx(5 / 8) and first["at_risk"] == 8 and first["events"] == 3
    cif = sv.cumulative_incidence(d, "t", "e", 1)
    assert (cif["time"] == 0).sum() == 1 and cif["cif"].iloc[0] == pytest.approx(3 / 8)


def test_competing_codes_must_be_declared():
    d = pd.DataFrame({"t": [1.0, 2.0, 3.0, 4.0], "route": [1, 2, 0, 2]})
    with pytest.raises(DataError, match="found 2"):
        sv.cumulative_incidence(d, "t", "route", 1)
    out = sv.cumulative_incidence(d, "t", "route", 1, codes={1: "pardon", 2: "served"})
    assert out["cif"].iloc[-1] == pytest.approx(0.25)
    with pytest.raises(DataError, match="cause 3 is not an event code"):
        sv.cumulative_incidence(d, "t", "route", 3, codes=[0, 1, 2])
    with pytest.raises(DataError, match="cause 3 is not an event code"):
        sv.cox(d.assign(x=[0, 1, 0, 1]), "t", "route", ["x"], cause=3, codes=[0, 1, 2], on_ph_violation="ignore")


def test_declared_codes_travel_with_prepare_output():
    d = clean_frame()
    d[E] = np.arange(len(d)) % 5  # codes 0–4 as prepare makes them
    with pytest.raises(DataError):
        sv.kaplan_meier(d, T, E)
    d.attrs[sv.EVENT_CODES_ATTR] = {E: sv.EVENT_LABELS}
    assert sv.kaplan_meier(d, T, E)["events"].sum() == int((d[E] > 0).sum())
    assert sv.kaplan_meier(d.assign(e01=(d[E] == 1).astype(int)), T, "e01")["events"].sum() == int((d[E] == 1).sum())


# ── reference levels ──────────────────────────────────────────────────────────────────────────
def test_reference_level_default_sorted_first_and_explicit():
    d = clean_frame()
    d["colour"] = np.where(np.arange(len(d)) % 3 == 0, "red", np.where(np.arange(len(d)) % 3 == 1, "blue", "green"))
    r = sv.cox(d, T, E, ["colour"], on_ph_violation="ignore")
    assert r.table["reference"].unique().tolist() == ["blue"]  # sorted first, as R
    assert r.table["term"].tolist() == ["colour[green]", "colour[red]"]
    r = sv.cox(d, T, E, ["colour"], reference={"colour": "red"}, on_ph_violation="ignore")
    assert r.table["reference"].unique().tolist() == ["red"]
    with pytest.raises(DataError, match="column 'colour': reference level 'pink'"):
        sv.cox(d, T, E, ["colour"], reference={"colour": "pink"}, on_ph_violation="ignore")


def test_prepare_categoricals_keep_the_documented_reference():
    people = pd.DataFrame({
        "record_id": list("abcd"), "person_id": list("abcd"), "status": ["former"] * 4,
        "detention_date": ["2021-01-01"] * 4, "detention_precision": ["day"] * 4,
        "release_date": ["2022-01-01", "2022-06-01", "2023-01-01", "2021-09-01"], "release_precision": ["day"] * 4,
        "exit_type": ["sentence_served"] * 4, "gender": ["female", "male", None, "female"],
        "birth_year": [1950, 1990, None, 1960],
    })
    ep, _ = sv.prepare(people, "2025-01-01")
    assert list(ep["gender"].cat.categories) == ["male", "female", "unknown"]
    assert list(ep["age_group"].cat.categories) == ["under 50", "50+", "unknown"]
    assert sv.reference_level(ep["gender"]) == "male" and sv.reference_level(ep["age_group"]) == "under 50"


# ── PH remedy notes ───────────────────────────────────────────────────────────────────────────
def test_violation_left_after_stratifying_is_in_the_notes():
    """x (binary) and w (continuous) both break PH; stratifying moves x only, so w's violation must be noted."""
    rng = np.random.default_rng(5)
    n = 600
    x, w = rng.integers(0, 2, n), rng.uniform(0, 1, n)
    shape = np.where(x == 1, 3.0, 1.0) * (0.5 + 2.5 * w)  # Weibull shape depends on both: hazards cross
    t = 10 * rng.weibull(shape)
    c = rng.exponential(40, n)
    d = pd.DataFrame({"t": np.minimum(t, c), "e": (t <= c).astype(int), "x": np.where(x == 1, "b", "a"), "w": w})
    r = sv.cox(d, "t", "e", ["x", "w"], on_ph_violation="stratify")
    assert r.strata == ["x"]
    assert any("Not stratified (continuous): w" in note for note in r.notes)
    assert any(note.startswith("After stratifying, proportional hazards still rejected") and "w" in note
               for note in r.notes), r.notes


def test_median_ci_defined_across_a_large_tied_step():
    """Whole-month data where S steps from above to below 0.5 with a small SE: the test inversion finds no time
    (statsmodels: NaN, shown for n = 2,659 in report 02); R's band rule gives [median, median]."""
    d = pd.DataFrame({"t": np.r_[np.full(900, 10.0), np.full(200, 24.0), np.full(900, 30.0)], "e": 1})
    m = sv.median_survival(d, "t", "e").iloc[0]
    assert m["median"] == 24.0 and m["ci_low"] == 24.0 and m["ci_high"] == 24.0
