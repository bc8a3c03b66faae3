"""Tests of analysis.stats.survival against lifelines, closed forms and simulation with known truth."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter, CoxPHFitter, KaplanMeierFitter

from analysis.errors import DataError
from analysis.stats import survival as sv

HAZARDS = {1: 0.05, 2: 0.03, 3: 0.01}  # per month: early release, sentence served, died
SURV_TOL = 1e-10  # KM / AJ point estimates vs lifelines (same arithmetic, floating-point only)
CI_TOL = 1e-8  # KM / AJ confidence limits vs lifelines (same formulas)
COX_REL_TOL = 1e-4  # Cox hazard ratios and SEs vs lifelines CoxPHFitter (both Efron; optimiser tolerance)
CLOSED_FORM_Z = 4.0  # AJ vs closed-form CIF: within 4 standard errors at every checked time
# Of 100 seeded replicates, how many 95% CIs cover the true HR. Under exact 95% coverage the count is
# Binomial(100, 0.95): P(≤ 89) = 1.1%. 100/100 is allowed (P = 0.6% at 95%); over-coverage is caught instead
# by comparing the mean model SE with the replicate SD of the estimates (SE_CALIBRATION).
COVERAGE_RANGE = (90, 100)
SE_CALIBRATION = (0.85, 1.15)  # mean SE / empirical SD of log-HR estimates over the replicates


def tied_data(n: int = 400, seed: int = 5) -> pd.DataFrame:
    """Competing-risks sample with heavy ties: event times rounded up to whole months, censoring at x.5."""
    d = sv.simulate_competing(n, HAZARDS, {1: 1.5}, 0.4, 0.01, seed)
    obs = d["event"] > 0
    d.loc[obs, "duration"] = np.ceil(d.loc[obs, "duration"])
    d.loc[~obs, "duration"] = np.floor(d.loc[~obs, "duration"]) + 0.5
    d["g"] = np.where(np.random.default_rng(seed).random(n) < 0.5, "a", "b")
    return d


def step_at(times: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Right-continuous step function (times sorted, first time ≤ every query) evaluated at `at`."""
    return values[np.searchsorted(times, at, side="right") - 1]


# ── Kaplan–Meier ──────────────────────────────────────────────────────────────────────────────
def test_km_matches_lifelines_with_ties():
    d = tied_data()
    assert d["duration"].duplicated().any()
    km = sv.kaplan_meier(d, "duration", "event")
    lf = KaplanMeierFitter().fit(d["duration"], d["event"] > 0)
    ev = lf.event_table[lf.event_table["observed"] > 0]
    ours = km.iloc[1:].set_index("time")
    assert np.allclose(ours.index, ev.index, atol=0, rtol=0)
    np.testing.assert_allclose(ours["survival"], lf.survival_function_.loc[ev.index].iloc[:, 0], atol=SURV_TOL, rtol=0)
    ci = lf.confidence_interval_.loc[ev.index].to_numpy()
    pos = (ours["survival"] > 0).to_numpy()  # at S = 0 the log-log CI is undefined: NaN here, lifelines fills 1.0
    np.testing.assert_allclose(ours["ci_low"][pos], ci[pos, 0], atol=CI_TOL, rtol=0)
    np.testing.assert_allclose(ours["ci_high"][pos], ci[pos, 1], atol=CI_TOL, rtol=0)
    assert ours.loc[~pos, ["ci_low", "ci_high"]].isna().all().all()
    np.testing.assert_array_equal(ours["at_risk"], ev["at_risk"])
    np.testing.assert_array_equal(ours["events"], ev["observed"])
    assert km.iloc[0][["time", "survival", "ci_low", "ci_high"]].tolist() == [0.0, 1.0, 1.0, 1.0]


def test_km_groups_and_median_match_lifelines():
    d = sv.simulate_competing(300, HAZARDS, {1: 1.5}, 0.5, 0.02, 11)  # continuous times: median unambiguous
    km = sv.kaplan_meier(d, "duration", "event", group="x")
    med = sv.median_survival(d, "duration", "event", group="x").set_index("group")
    for level in (0, 1):
        sub = d[d["x"] == level]
        lf = KaplanMeierFitter().fit(sub["duration"], sub["event"] > 0)
        ours = km[km["group"] == level].iloc[1:]
        np.testing.assert_allclose(ours["survival"], lf.survival_function_.loc[ours["time"]].iloc[:, 0], atol=SURV_TOL)
        assert med.loc[level, "median"] == pytest.approx(lf.median_survival_time_, abs=1e-12)
        assert med.loc[level, "ci_low"] < med.loc[level, "median"] < med.loc[level, "ci_high"]
        assert med.loc[level, "n"] == len(sub) and med.loc[level, "events"] == int((sub["event"] > 0).sum())


def test_risk_table_counts_duration_at_least_t():
    d = pd.DataFrame({"t": [1.0, 2.0, 2.0, 3.0, 5.0], "e": [1, 0, 1, 1, 0], "g": list("aabbb")})
    rt = sv.risk_table(d, "t", None, [0, 2, 2.5, 5, 6])
    assert rt["at_risk"].tolist() == [5, 4, 2, 1, 0]
    rt = sv.risk_table(d, "t", "g", [2])
    assert rt.set_index("group")["at_risk"].to_dict() == {"a": 1, "b": 3}


def test_censored_subjects_never_count_as_events():
    d = pd.DataFrame({"t": [1.0, 2.0, 2.0, 3.0, 4.0, 4.0], "e": [0, 1, 0, 2, 0, 0]})
    d.attrs[sv.EVENT_CODES_ATTR] = {"e": {0: "censored", 1: "a", 2: "b"}}  # codes declared by the data
    km = sv.kaplan_meier(d, "t", "e")
    assert km["events"].sum() == 2 and km["time"].tolist() == [0.0, 2.0, 3.0]
    # censored at 2 is still at risk at 2 (censoring after events at the same time), gone at 3
    assert km["at_risk"].tolist() == [6, 5, 3]
    assert km["survival"].iloc[-1] == pytest.approx((4 / 5) * (2 / 3))
    allc = pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [0, 0, 0]})
    assert sv.kaplan_meier(allc, "t", "e")["survival"].tolist() == [1.0]
    cif = sv.cumulative_incidence(d, "t", "e", cause=1)
    assert cif["events_cause"].sum() == 1 and cif["events_competing"].sum() == 1
    big = tied_data(300, 6)
    r = sv.cox(big, "duration", "event", ["x"], cause=2, on_ph_violation="ignore")
    assert r.events == int((big["event"] == 2).sum()) and r.n == len(big)


# ── Cox ───────────────────────────────────────────────────────────────────────────────────────
def test_cox_matches_lifelines_efron_with_ties():
    d = tied_data(500, 7)
    r = sv.cox(d, "duration", "event", ["x", "g"], on_ph_violation="ignore")
    lf = CoxPHFitter().fit(
        pd.DataFrame({"T": d["duration"], "E": (d["event"] > 0).astype(int), "x": d["x"],
                      "g_b": (d["g"] == "b").astype(float)}), "T", "E")
    t = r.table.set_index("term")
    ref = r.table.loc[r.table["covariate"] == "g", "reference"].iloc[0]
    other = "b" if ref == "a" else "a"
    sign = 1 if ref == "a" else -1
    np.testing.assert_allclose(t.loc["x", "hr"], lf.hazard_ratios_["x"], rtol=COX_REL_TOL)
    np.testing.assert_allclose(t.loc[f"g[{other}]", "coef"], sign * lf.params_["g_b"], rtol=COX_REL_TOL)
    np.testing.assert_allclose(t.loc["x", "se"], lf.standard_errors_["x"], rtol=COX_REL_TOL)
    np.testing.assert_allclose(t.loc["x", "p"], lf.summary.loc["x", "p"], rtol=1e-3)
    assert r.ties == "efron" and r.events == int((d["event"] > 0).sum())


def test_cox_stratified_matches_lifelines():
    d = tied_data(500, 8)
    r = sv.cox(d, "duration", "event", ["x"], strata="g", cause=1, on_ph_violation="ignore")
    lf = CoxPHFitter().fit(pd.DataFrame({"T": d["duration"], "E": (d["event"] == 1).astype(int), "x": d["x"],
                                         "g": d["g"]}), "T", "E", strata=["g"])
    np.testing.assert_allclose(r.table.set_index("term").loc["x", "hr"], lf.hazard_ratios_["x"], rtol=COX_REL_TOL)


def test_categorical_reference_levels():
    d = tied_data(300, 9)
    d["c"] = pd.Categorical(np.where(d["x"] == 1, "late", "early"), categories=["early", "late"], ordered=True)
    d["s"] = np.where(np.arange(len(d)) % 3 == 0, "rare", "common")
    r = sv.cox(d, "duration", "event", ["c", "s"], on_ph_violation="ignore")
    assert r.table["term"].tolist() == ["c[late]", "s[rare]"]
    assert r.table["reference"].tolist() == ["early", "common"]  # first category; first string level sorted
    r2 = sv.cox(d, "duration", "event", ["s"], reference={"s": "rare"}, on_ph_violation="ignore")
    assert r2.table["term"].tolist() == ["s[common]"]


def test_cox_drops_missing_covariates_only_when_asked_and_says_so():
    d = tied_data(200, 10)
    d["gender"] = np.where(np.arange(200) % 10 == 0, None, np.where(d["x"] == 1, "female", "male"))
    with pytest.raises(DataError, match="column 'gender': missing values"):
        sv.cox(d, "duration", "event", ["gender"], on_ph_violation="ignore")
    r = sv.cox(d, "duration", "event", ["gender"], on_ph_violation="ignore", dropna=True)
    assert r.dropped_missing == 20 and r.n == 180
    assert any("20 rows with a missing value in gender excluded" in note for note in r.notes)


def _non_ph_sample(n: int, seed: int) -> pd.DataFrame:
    """x=1: hazard high early and low late (Weibull shape 3 vs exponential) → PH fails for x; z obeys PH."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    z = rng.integers(0, 2, n)
    scale = np.exp(-0.4 * z)  # z multiplies the time scale: PH holds within each shape
    t0 = rng.exponential(10.0, n)
    t1 = 10.0 * rng.weibull(3.0, n) * scale ** (1 / 3)
    t = np.where(x == 1, t1, t0 * scale)
    c = rng.exponential(40.0, n)
    return pd.DataFrame({"t": np.minimum(t, c), "e": (t <= c).astype(int), "x": x,
                         "z": np.where(z == 1, "yes", "no")})


def test_ph_check_flags_violation_and_stratify_remedy():
    d = _non_ph_sample(400, 1)
    ph = sv.ph_check(d, "t", "e", ["x", "z"]).set_index("covariate")
    assert bool(ph.loc["x", "violated"]) and not bool(ph.loc["z", "violated"])
    r = sv.cox(d, "t", "e", ["x", "z"], on_ph_violation="stratify")
    assert r.strata == ["x"] and r.table["covariate"].tolist() == ["z"]
    assert any("Refitted stratified on x" in note for note in r.notes)
    assert not r.ph["violated"].any()
    kept = sv.cox(d, "t", "e", ["x", "z"], on_ph_violation="report")
    assert kept.strata == [] and "x" in kept.table["covariate"].tolist()
    assert any("rejected" in note for note in kept.notes)


def test_cox_recovers_known_hazard_ratio_coverage():
    truth = 1.5
    covered, coefs, ses = 0, [], []
    for seed in range(100):
        d = sv.simulate_competing(150, HAZARDS, {1: truth, 2: 1.0, 3: 1.0}, 0.5, 0.01, seed)
        # continuous times → no ties, Breslow = Efron exactly and is ~2x faster in statsmodels
        t = sv.cox(d, "duration", "event", ["x"], cause=1, on_ph_violation="ignore", ties="breslow").table.iloc[0]
        covered += int(t["ci_low"] <= truth <= t["ci_high"])
        coefs.append(t["coef"])
        ses.append(t["se"])
    assert COVERAGE_RANGE[0] <= covered <= COVERAGE_RANGE[1], covered
    sd = np.std(coefs, ddof=1)
    assert SE_CALIBRATION[0] <= np.mean(ses) / sd <= SE_CALIBRATION[1]
    assert abs(np.mean(coefs) - np.log(truth)) < 3 * sd / np.sqrt(len(coefs))  # no detectable bias


# ── Aalen–Johansen ────────────────────────────────────────────────────────────────────────────
def _lifelines_aj(d: pd.DataFrame, cause: int) -> AalenJohansenFitter:
    """lifelines AJ with its tie jitter seeded (and its jitter warning silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return AalenJohansenFitter(seed=0).fit(d["duration"], d["event"], event_of_interest=cause)


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("cause", [1, 2, 3])
def test_aj_matches_lifelines(tied, cause):
    d = tied_data(400, 5) if tied else sv.simulate_competing(400, HAZARDS, {1: 1.5}, 0.4, 0.01, 5)
    ours = sv.cumulative_incidence(d, "duration", "event", cause)
    aj = _lifelines_aj(d, cause)
    if tied:
        # lifelines jitters tied event times by ±1e-4; compare between tied blocks (whole months + 0.25)
        at = np.arange(0.0, np.floor(d["duration"].max())) + 0.25
    else:
        at = aj.cumulative_density_.index.to_numpy()
    lf_t = aj.cumulative_density_.index.to_numpy()
    lf_cif = step_at(lf_t, aj.cumulative_density_.iloc[:, 0].to_numpy(), at)
    ci = aj.confidence_interval_.to_numpy()  # lifelines labels its lower limit "upper": take min / max
    lf_lo = step_at(lf_t, np.fmin(ci[:, 0], ci[:, 1]), at)
    lf_hi = step_at(lf_t, np.fmax(ci[:, 0], ci[:, 1]), at)
    t = ours["time"].to_numpy()
    np.testing.assert_allclose(step_at(t, ours["cif"].to_numpy(), at), lf_cif, atol=SURV_TOL, rtol=0)
    # lifelines' variance is infinite (CI NaN) where everyone left at risk exits (n = d); ours sets that
    # Greenwood term to 0 because it multiplies (F(t) − F(t_j)) = 0 — compare only where lifelines is finite.
    ok = (lf_cif > 0) & np.isfinite(lf_lo) & np.isfinite(lf_hi)
    np.testing.assert_allclose(step_at(t, ours["ci_low"].to_numpy(), at)[ok], lf_lo[ok], atol=CI_TOL, rtol=0)
    np.testing.assert_allclose(step_at(t, ours["ci_high"].to_numpy(), at)[ok], lf_hi[ok], atol=CI_TOL, rtol=0)


def test_aj_cifs_sum_to_one_minus_km():
    d = tied_data(300, 12)
    km = sv.kaplan_meier(d, "duration", "event")
    total = sum(sv.cumulative_incidence(d, "duration", "event", k)["cif"].to_numpy() for k in HAZARDS)
    np.testing.assert_allclose(total, 1 - km["survival"].to_numpy(), atol=1e-12)


def test_aj_matches_exponential_closed_form():
    d = sv.simulate_competing(20_000, HAZARDS, {}, 0.0, 0.02, 2024)
    for cause in HAZARDS:
        out = sv.cumulative_incidence(d, "duration", "event", cause)
        t = out["time"].to_numpy()
        for at in (3.0, 6.0, 12.0, 24.0, 48.0):
            i = np.searchsorted(t, at, side="right") - 1
            truth = sv.cif_exponential(at, HAZARDS, cause)
            assert abs(out["cif"].iloc[i] - truth) <= CLOSED_FORM_Z * out["se"].iloc[i], (cause, at)
            assert out["ci_low"].iloc[i] <= out["cif"].iloc[i] <= out["ci_high"].iloc[i]


def test_one_minus_km_overestimates_cumulative_incidence():
    d = sv.simulate_competing(2000, HAZARDS, {}, 0.0, 0.01, 3)
    aj = sv.cumulative_incidence(d, "duration", "event", 1)
    naive = sv.kaplan_meier(d.assign(e1=(d["event"] == 1).astype(int)), "duration", "e1")
    at = np.array([6.0, 12.0, 24.0, 60.0])
    cif = step_at(aj["time"].to_numpy(), aj["cif"].to_numpy(), at)
    one_minus_km = 1 - step_at(naive["time"].to_numpy(), naive["survival"].to_numpy(), at)
    assert np.all(one_minus_km > cif)
    assert one_minus_km[-1] > 0.9 and cif[-1] == pytest.approx(HAZARDS[1] / sum(HAZARDS.values()), abs=0.03)


def test_unknown_route_rule():
    d = tied_data(200, 13)
    d.loc[d.index[:15], "event"] = sv.UNKNOWN_ROUTE
    d.attrs[sv.EVENT_CODES_ATTR] = {"event": sv.EVENT_LABELS}  # the project's codes, as prepare declares them
    km = sv.kaplan_meier(d, "duration", "event")
    assert km["events"].sum() == int((d["event"] > 0).sum())  # all-cause: unknown route is an event
    cif = sv.cumulative_incidence(d, "duration", "event", 1)
    assert (cif["excluded_unknown_route"] == 15).all() and cif["at_risk"].iloc[0] == 185
    comp = sv.cumulative_incidence(d, "duration", "event", 1, unknown="competing")
    assert comp["at_risk"].iloc[0] == 200
    r = sv.cox(d, "duration", "event", ["x"], cause=1, on_ph_violation="ignore")
    assert r.excluded_unknown_route == 15 and r.n == 185


def test_simulate_competing_is_seeded_and_censoring_independent():
    a = sv.simulate_competing(1000, HAZARDS, {1: 2.0}, 0.3, 0.05, 4)
    b = sv.simulate_competing(1000, HAZARDS, {1: 2.0}, 0.3, 0.05, 4)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["event"]) <= {0, 1, 2, 3} and (a["duration"] <= a["true_event_time"]).all()
    cens = a["event"] == 0
    assert (a.loc[~cens, "duration"] == a.loc[~cens, "true_event_time"]).all()
    none = sv.simulate_competing(500, HAZARDS, {}, 0.5, 0.0, 4)
    assert (none["event"] > 0).all()


# ── prepare ───────────────────────────────────────────────────────────────────────────────────
AS_OF = "2025-01-01"


def _person(rid, det, det_p, rel, rel_p, exit_type, status="former", sentence=24.0, penalty="imprisonment",
            gender="male", family="protest"):
    """One people-table row with the columns prepare reads."""
    return {"record_id": rid, "person_id": "p" + rid, "status": status, "gender": gender,
            "detention_date": det, "detention_precision": det_p, "release_date": rel, "release_precision": rel_p,
            "exit_type": exit_type, "sentence_months": sentence, "penalty_type": penalty, "article_family": family}


PEOPLE = pd.DataFrame([
    _person("a", "2021-03-10", "day", None, None, "still_held", status="current"),
    _person("b", "2021-03-01", "month", "2022-03-01", "month", "sentence_served"),
    _person("c", "2021-01-01", "year", "2022-05-05", "day", "early_release"),
    _person("d", "2021-02-02", "day", "2022-01-01", "year", "early_release"),
    _person("e", "2021-06-10", "day", "2021-06-01", "day", "early_release"),
    _person("f", "2021-06-10", "day", "2021-06-10", "day", "early_release"),
    _person("g", "2023-02-01", "day", "2024-02-01", "day", "unknown"),
    _person("h", "2022-07-01", "day", "2023-07-01", "day", "early_release", sentence=None),
    _person("i", "2022-07-01", "day", "2023-07-01", "day", "early_release", sentence=None, penalty="life"),
    _person("j", "2024-03-01", "day", "2025-06-01", "day", "early_release"),
    _person("k", "2020-09-01", "day", "2021-09-01", "day", "sentence_served", status="not_recognised"),
    _person("l", "2019-05-01", "day", "2022-01-10", "day", "died", gender=None),
    _person("m", "2025-03-01", "day", None, None, "still_held", status="current"),
    _person("n", "2020-08-15", "day", None, None, "early_release"),
])


def test_prepare_rules_and_exclusions():
    out, exc = sv.prepare(PEOPLE, AS_OF)
    o = out.set_index("record_id")
    months = lambda a, b: (pd.Timestamp(b) - pd.Timestamp(a)).days / sv.DAYS_PER_MONTH  # noqa: E731
    assert o.loc["a", "event"] == sv.CENSORED and o.loc["a", "duration"] == pytest.approx(months("2021-03-10", AS_OF))
    # month precision → 15th for detention and release
    assert o.loc["b", "start"] == pd.Timestamp("2021-03-15") and o.loc["b", "end"] == pd.Timestamp("2022-03-15")
    assert o.loc["b", "event"] == sv.SENTENCE_SERVED and o.loc["b", "duration"] == pytest.approx(months("2021-03-15", "2022-03-15"))
    assert o.loc["g", "event"] == sv.UNKNOWN_ROUTE  # unknown route with a release date
    assert o.loc["h", "event"] == sv.UNKNOWN_ROUTE  # "early" release without a term: route undeterminable
    assert o.loc["i", "event"] == sv.EARLY_RELEASE  # life term: any release is early
    assert o.loc["j", "event"] == sv.CENSORED and o.loc["j", "end"] == pd.Timestamp(AS_OF)  # released after as_of
    assert o.loc["l", "event"] == sv.DIED and o.loc["l", "gender"] == sv.MISSING_LEVEL
    assert o.loc["l", "cohort"] == "before 2020" and o.loc["a", "cohort"] == "2020–2021 protests"
    assert o.loc["g", "cohort"] == "2022–2023" and o.loc["j", "cohort"] == "2024+"
    assert list(out["cohort"].cat.categories) == ["before 2020", "2020–2021 protests", "2022–2023", "2024+"]
    assert sorted(o.index) == ["a", "b", "g", "h", "i", "j", "l"]
    e = exc.set_index("reason")["n"]
    assert e[sv.R_DETENTION_YEAR] == 1 and e[sv.R_RELEASE_YEAR] == 1  # c, d
    assert e[sv.R_NONPOSITIVE] == 2  # e (negative), f (zero)
    assert e[sv.R_STATUS] == 1 and e[sv.R_AFTER_AS_OF] == 1 and e[sv.R_NO_RELEASE] == 1  # k, m, n
    assert e["total input"] == len(PEOPLE) == e["total kept"] + e["total excluded"]
    assert e["total excluded"] == e[list(sv.EXCLUSION_REASONS)].sum()


def test_prepare_min_date_and_custom_cohorts():
    out, exc = sv.prepare(PEOPLE, AS_OF, min_date="2020-01-01", cohorts=((2020, "early"), (2023, "late")))
    assert "l" not in set(out["record_id"])
    assert exc.set_index("reason").loc[sv.R_BEFORE_MIN, "n"] == 1
    assert set(out["cohort"]) == {"early", "late"}


def test_prepare_month_precision_negative_duration_is_excluded():
    p = pd.DataFrame([_person("x", "2022-05-01", "month", "2022-05-03", "day", "early_release")])
    out, exc = sv.prepare(p, AS_OF)  # detention placed on 15 May → release on 3 May is before it
    assert out.empty and exc.set_index("reason").loc[sv.R_NONPOSITIVE, "n"] == 1


def test_prepare_output_feeds_estimators():
    out, _ = sv.prepare(PEOPLE, AS_OF)
    km = sv.kaplan_meier(out, "duration", "event", group="cohort")
    assert set(km["group"]) <= set(out["cohort"].cat.categories)
    cif = sv.cumulative_incidence(out, "duration", "event", sv.EARLY_RELEASE)
    assert cif["excluded_unknown_route"].iloc[0] == 2


def test_clustered_se_matches_statsmodels_where_it_is_defined():
    """Our sandwich equals statsmodels' robust covariance when nobody is censored before the first event."""
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(7)
    n = 400
    x = rng.integers(0, 2, n).astype(float)[:, None]
    t = rng.exponential(1 / np.exp(0.4 * x[:, 0])) + 0.05
    status = np.ones(n)
    status[rng.random(n) < 0.3] = 0
    status[np.argmin(t)] = 1  # the earliest time is an event, so no score residual is undefined
    groups = np.arange(n) // 2
    reference = PHReg(t, x, status=status).fit(groups=groups)
    ours = sv.clustered_se(PHReg(t, x, status=status).fit(), pd.Series(groups))
    np.testing.assert_allclose(ours, reference.bse, rtol=1e-10)


def test_clustered_se_defined_with_early_censoring():
    """statsmodels gives NaN when someone is censored before the first event; ours stays finite."""
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(8)
    n = 300
    x = rng.integers(0, 2, n).astype(float)[:, None]
    t = rng.exponential(1.0, n) + 0.1
    status = np.ones(n)
    status[np.argmin(t)] = 0
    ours = sv.clustered_se(PHReg(t, x, status=status).fit(), pd.Series(np.arange(n) // 3))
    assert np.isfinite(ours).all() and (ours > 0).all()
