"""Key-finding sentences are built from the results (number, date and source in each) and never show a small group;
the Cox table shows the model-fit numbers as soon as the fit provides them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import pytest

from analysis.findings import releases as f02
from analysis.findings import sentencing as f03

R02 = {
    "first_event_date": "2024-07-03", "last_event_date": "2026-03-19", "release_events": 25, "released_in_events": 825.0,
    "released_with_known_destination": 476.0, "exiled_known": 240.0, "exiled_share_of_known_destination": 0.504,
    "waves_start": "2024-07-01", "waves_end": "2026-03-19", "waves_months": 8, "mean_inflow_during_waves": 47.0,
    "mean_implied_outflow_during_waves": 69.0, "deaths_in_custody_people": 9, "deaths_in_custody_other_people": 4,
    "deaths_after_release_people": 3, "deaths_first_date": "2020-08-12",
    "deaths_last_date": "2025-09-03", "person_source": "viasna", "person_as_of": "2026-03-31", "synthetic": False,
    "survival_records": 3021, "median_months_held": 23.98, "median_ci_low": 23.4, "median_ci_high": 24.0,
    "cox_hr_female": 1.39, "cox_hr_female_ci_low": 1.09, "cox_hr_female_ci_high": 1.78,
}
R03 = {
    "window_start": "2020-08-01", "window_end": "2026-03-31", "person_source": "viasna", "person_as_of": "2026-03-31",
    "synthetic": False, "records_in_sample": 2824, "median_sentence_months": 27.0, "p90_sentence_months": 57.0,
    "family_with_longest_median": "insult_of_officials", "longest_family_median_months": 48.0,
    "median_difference_female_vs_male_months": -1.5, "female_ci_low": -3.0, "female_ci_high": 0.0,
    "art411_latest_published_cases": 46.0, "art411_latest_published_date": "2024-07-30",
    "art411_latest_qualifier": "at_least", "art411_records": 12, "art411_inferred_extensions": 3,
}


def test_report_02_sentences_carry_number_date_and_source():
    s = f02.key_findings(R02)
    assert 3 <= len(s) <= 7
    assert s[0] == ("From 3 July 2024 to 19 March 2026, sources record 25 release events freeing 825 people "
                    "(release_events.csv, curated from Viasna, news agencies and government statements).")
    assert "476" in s[1] and "240 (50%)" in s[1]
    assert "47 people a month" in s[2] and "69" in s[2] and "July 2024" in s[2]
    assert ("9 recognised political prisoners who died in custody between 12 August 2020 and 3 September 2025 "
            "(Viasna's definition" in s[3]) and "besides 4 other detainees" in s[3] and "3 people who died after" in s[3]
    assert "3,021 detention records" in s[4] and "24 months" in s[4] and "as of 31 March 2026" in s[4]
    assert "1.39 times" in s[5] and "1.09–1.78" in s[5]
    assert not any("synthetic" in x for x in s)


def test_report_02_synthetic_findings_say_so():
    s = f02.key_findings({**R02, "synthetic": True})
    assert all("made-up data" in x for x in s if "person-level" in x) and any("made-up data" in x for x in s)


def test_report_02_skips_what_it_cannot_say():
    r = {**R02, "mean_inflow_during_waves": None, "cox_hr_female": None, "deaths_in_custody_people": 0}
    s = f02.key_findings(r)
    assert len(s) == 3 and not any("a month" in x or "times the rate" in x for x in s)


def test_report_03_sentences():
    s = f03.key_findings(R03)
    assert 3 <= len(s) <= 7
    assert s[0].startswith("Across 2,824 prison sentences with a verdict from 1 August 2020 to 31 March 2026, the "
                           "median term was 27 months and one in ten was 57 months or longer")
    assert "“insulting officials”" in s[1] and "48 months" in s[1]
    assert "-1.5 months (95% CI -3.0 to 0.0)" in s[2]
    assert s[3].startswith("By 30 July 2024, at least 46 political prisoners had a new Article 411 case")
    assert "12 records include Article 411 and fewer than 5 extensions" in s[4]  # 3 is a small group


@pytest.mark.parametrize("n", [1, 4])
def test_report_03_small_counts_are_words(n):
    s = f03.key_findings({**R03, "art411_records": n, "art411_inferred_extensions": 0})
    assert "fewer than 5 records include Article 411" in s[-1]
    assert not re.search(rf"\b{n} records", s[-1])


@dataclass
class _Fit:
    table: pd.DataFrame
    n: int = 100
    events: int = 40
    strata: list = field(default_factory=lambda: ["cohort"])
    ties: str = "efron"
    covariance: str = "robust"


def _table():
    return pd.DataFrame({"covariate": ["gender", "article_family"], "level": ["female", "insult_of_officials"],
                         "reference": ["male", "protest"], "hr": [1.391, 0.8], "ci_low": [1.09, 0.5],
                         "ci_high": [1.78, 1.2], "p": [0.0004, 0.31]})


def test_cox_table_is_readable_and_names_the_reference():
    t = f02.cox_table(_Fit(_table()))
    assert t.iloc[0].tolist() == ["gender", "female", "male", "1.39", "1.09–1.78", "<0.001"]
    assert t.iloc[1].tolist() == ["article family", "insulting officials", "protest", "0.80", "0.50–1.20", "0.310"]


def test_cox_fit_summary_lights_up_when_the_fit_has_the_numbers():
    plain = f02.cox_fit_summary(_Fit(_table()))
    assert "log-likelihood" not in plain["model"].tolist()
    fit = _Fit(_table())
    fit.loglik, fit.aic, fit.concordance = -1234.56, 2475.1, 0.612
    fit.lr_test = {"statistic": 21.3, "df": 2, "p": 0.00002}
    rich = f02.cox_fit_summary(fit).set_index("model")["value"]
    assert rich["log-likelihood"] == "-1,234.6" and rich["AIC"] == "2,475.1" and rich["concordance (C)"] == "0.612"
    assert rich["likelihood-ratio test"] == "χ² = 21.3 on 2 df, p <0.001"
    fit.lr_test = (3.0, 1, 0.083)
    assert f02.cox_fit_summary(fit).set_index("model")["value"]["likelihood-ratio test"] == "χ² = 3.0 on 1 df, p = 0.083"


def test_medians_shown_explains_a_missing_interval():
    m = pd.DataFrame({"group": ["female", "male"], "n": [362, 2659], "events": [284, 1893], "median": [21.0, 24.0],
                      "ci_low": [20.7, float("nan")], "ci_high": [24.0, float("nan")], "compared_by": "gender"})
    out = f02.medians_shown(m)
    assert out.loc[1, "note"] == f02.NO_INTERVAL and out.loc[0, "note"] == ""


def test_exclusions_pool_small_reasons():
    ex = pd.DataFrame({"reason": ["a", "b", "c", "total excluded", "total input", "total kept"],
                       "n": [100, 3, 0, 103, 1000, 897]})
    out = f02.exclusions_shown(ex)
    assert out["reason"].tolist() == ["a; b", "total excluded", "total input", "total kept"] or \
        out["reason"].tolist() == ["b; a", "total excluded", "total input", "total kept"]
    assert out["n"].tolist()[0] == 103


def test_report_02_says_when_records_enter_at_their_recognition_date():
    s = f02.key_findings({**R02, "records_entering_at_recognition": 1737})
    assert any("the 1,737 records with a recognition date enter the risk set then (delayed entry)" in x for x in s)
    assert not any("delayed entry" in x for x in f02.key_findings({**R02, "records_entering_at_recognition": 0}))
