"""The verdict of each of the 15 claims on the shipped curated data, pinned with its reason (the numbers each
verdict rests on, read off the curated files by hand). Changing one of these is a visible diff in review."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import claims
from analysis.claims import prose
from analysis.stats import ranking


@pytest.fixture(scope="module")
def shipped():
    tables = claims.load_tables(verify=False)  # checksums are tested in test_curated
    return tables, {r["no"]: r for r in claims.claim_results(tables)}


PINNED = {
    # no: (verdict, reason)
    1: ("supported", "3 release events in the 31 days up to 18 Dec 2025 (20 Nov, 22 Nov, 13 Dec) freed 156 people, "
                     "8 of them named"),
    2: ("not measurable", "qualitative"),
    3: ("supported", "224 of the 326 people freed from 18 Dec 2024 to 18 Dec 2025 documented abroad (69% >= 50%)"),
    4: ("not measurable", "qualitative"),
    5: ("not contradicted", "112 convicted in absentia by 21 Nov 2024 (Viasna); the OHCHR returnee figure left out"),
    6: ("supported", "9 releases of >= 10 people in the past year; the release naming all three is 13 Dec 2025"),
    7: ("supported", "Jan 18, Feb 39, Sep 17 (partial): > 0 in all 3 months dated up to the statement"),
    8: ("supported", "1,197 (13 Dec) and more than 1,100 (15 Dec) both above the statement's 1,100"),
    9: ("supported", "ranks 4, 2, 4 within the top 5 under the three 12-month definitions, intervals within too"),
    10: ("supported", "freed 11 Sep 2025, reported back in prison 15 Sep 2025 (2 sources)"),
    11: ("not contradicted", "no row links an in-absentia case to a released person; 112 convicted in absentia"),
    12: ("not contradicted", "29 (Oct 2023) and 46 (Jul 2024) political prisoners faced Art. 411 cases"),
    13: ("not measurable", "qualitative"),
    14: ("supported", "9 recognised political prisoners died in custody by 3 Sep 2025 = Viasna's count of Sep 2025"),
    15: ("consistent with the data", "1,413 (30 Jun 2024) fell to 1,197 (13 Dec 2025) while 411 were freed: "
                                     "1,608 >= 1,413; an interpretation is capped"),
}


@pytest.mark.parametrize("no", range(1, 16))
def test_verdict_of_each_claim_on_shipped_data(shipped, no):
    _, res = shipped
    assert res[no]["verdict"] == PINNED[no][0], PINNED[no][1]


def test_reasons_on_shipped_data(shipped):
    _, res = shipped
    v = {k: r["values"] for k, r in res.items()}
    assert (v[1]["events"], v[1]["released"], v[1]["named"]) == (3, 156.0, 8)
    assert (v[3]["freed"], v[3]["abroad"], v[3]["us_share"]) == (326.0, 224.0, 1.0)
    assert v[5]["in_absentia"][:2] == (pd.Timestamp("2024-11-21"), 112.0) and v[5]["returnees"] is None
    assert (v[6]["waves"], v[6]["named_date"]) == (9, pd.Timestamp("2025-12-13"))
    assert [x for _, x, _ in v[7]["months"]] == [18.0, 39.0, 17.0]
    assert [x for _, x, _ in v[7]["later_months"]] == [50.0]
    assert v[8]["threshold"] == 1100.0 and [(x, q) for _, x, q in v[8]["counts"]] == [(1197.0, "exact"),
                                                                                        (1100.0, "at_least")]
    assert [x for _, x, _ in v[8]["later"]] == [1135.0, 1131.0]
    assert v[9]["ranks"] == {"main_within_12m": 4, "custodial_broadest_12m": 2, "any_within_12m": 4}
    assert v[9]["count"] == 1244.0 and v[9]["count_date"] == pd.Timestamp("2025-01-31")  # last Belarus figure published by then
    assert (v[10]["released"], v[10]["first_report"]) == (pd.Timestamp("2025-09-11"), pd.Timestamp("2025-09-15"))
    assert [x for _, x in v[12]["cases"]] == [29.0, 46.0]
    assert v[14]["count"] == 9 and v[14]["latest"] == pd.Timestamp("2025-09-03")
    assert v[14]["published"][2:4] == (pd.Timestamp("2025-09-08"), 9.0)  # Viasna's own count, Sep 2025
    assert (v[15]["base"], v[15]["base_date"], v[15]["end"], v[15]["released_waves"]) == (
        1413.0, pd.Timestamp("2024-06-30"), 1197.0, 411.0)


def test_claim_text_takes_its_numbers_from_the_data(shipped):
    _, res = shipped
    assert "1,100" in res[8]["claim"] and "13 Dec 2025" in res[6]["claim"]
    assert all("{" not in r["claim"] for r in res.values())


def test_no_source_url_in_the_report_tables(shipped):
    _, res = shipped
    assert all("http" not in (r["sources"] + r["sources_since"]) for r in res.values())


def test_stock_without_releases_december_2025(shipped):
    tables, _ = shipped
    swr = claims.stock_without_releases(tables["pp_counts"], tables["release_events"])
    dec = swr.loc[swr["month"] == pd.Timestamp("2025-12-01")].iloc[0]
    # 1,131 held on 31 Dec 2025 + 556 freed in release waves from Jul 2024 to Dec 2025 (not 225 taken abroad)
    assert (dec["observed_stock"], dec["released_in_waves_to_date"], dec["stock_without_waves"]) == (1131, 556, 1687)


def test_per_capita_sentence_names_countries_a_window_drops(shipped):
    tables, _ = shipped
    pc = claims.per_capita(tables["cross_country_pp"], tables["population"], n_sim=100, seed=1,
                           dated_up_to=claims.STATEMENT_DATE)
    s = dict(zip(pc["ranked"]["definition"].unique(),
                 prose.per_capita_sentences(ranking.above_and_dropped(pc["ranked"]))))
    assert "above it: Eritrea (2,857), North Korea (2,033) and Myanmar (400)" in s["main_within_12m"]
    assert "Bahrain (346 per million" in s["main_within_12m"] and "Egypt (606 per million" in s["main_within_12m"]
    assert "ranks 2 of 7" in s["custodial_broadest_12m"] and "above it: Myanmar (400)." in s["custodial_broadest_12m"]


def test_key_findings_are_generated(shipped):
    _, res = shipped
    k = prose.key_findings(list(res.values()), claims.STATEMENT_DATE)
    assert 3 <= len(k) <= 7 and k[0].startswith("Of the 15 claims")
    assert any("224 (69%)" in s for s in k) and any("9 recognised political prisoners" in s for s in k)
