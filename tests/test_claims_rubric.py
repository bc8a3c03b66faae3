"""Every decision rule of the claims rubric at, just below and just above its boundary. The expected verdicts are
written here by hand, not computed by the code under test."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import rubric

SUP, CON, NC, CTR, NM = ("supported", "consistent with the data", "not contradicted", "contradicted",
                         "not measurable")


def test_vocabulary_and_thresholds():
    assert rubric.VERDICTS == (SUP, CON, NC, CTR, NM)
    assert (rubric.SEVERAL, rubric.WAVE_MIN, rubric.MANY_SHARE, rubric.TOP_K, rubric.WINDOW_DAYS) == (3, 10, 0.5, 5, 31)
    assert set(rubric.RULES) == set(range(1, 16)) and set(rubric.MEANING) == set(rubric.VERDICTS)


@pytest.mark.parametrize("n, expected", [(0, CTR), (1, NC), (2, NC), (3, SUP), (4, SUP)])
def test_at_least_several(n, expected):  # claims 1 and 14
    assert rubric.at_least_several(n) == expected


@pytest.mark.parametrize("abroad, released, expected", [
    (50, 100, SUP),  # exactly half
    (49, 100, NC),  # just below
    (51, 100, SUP),
    (1, 100, NC),
    (0, 100, CTR),
    (0, 0, NM),
    (1, 1, SUP),  # one person released, taken abroad: measurable
    (0, 1, CTR),
])
def test_share_taken_abroad(abroad, released, expected):  # claim 3
    assert rubric.share_taken_abroad(abroad, released) == expected


@pytest.mark.parametrize("waves, named, expected", [
    (3, True, SUP), (2, True, NC), (1, True, CTR), (4, True, SUP), (3, False, CTR), (0, False, CTR)])
def test_waves_and_named(waves, named, expected):  # claim 6
    assert rubric.waves_and_named(waves, named) == expected


@pytest.mark.parametrize("values, expected", [
    ([1, 1, 1], SUP), ([1, 1], NC), ([5, 0, 5], NC), ([0, 0, 0], CTR), ([0], CTR), ([], NM), ([1, 1, 1, 1], SUP)])
def test_monthly_inflow(values, expected):  # claim 7
    assert rubric.monthly_inflow(values) == expected


@pytest.mark.parametrize("values, exact, expected", [
    ([1100], [True], CTR),  # "over 1,100" is not met by exactly 1,100
    ([1101], [True], SUP),
    ([1099], [True], CTR),
    ([1100], [False], SUP),  # "at least 1,100" stored as 1,100 means "more than 1,100"
    ([1099], [False], NC),  # an "at least 1,099" says nothing either way
    ([1101, 1100], [True, True], NC),
    ([1101, 1100], [True, False], SUP),
    ([], [], NM),
])
def test_over_threshold(values, exact, expected):  # claim 8
    assert rubric.over_threshold(values, exact, 1100) == expected


@pytest.mark.parametrize("ranks, highs, expected", [
    ([5, 5], [5, 5], SUP),  # at the top-k boundary
    ([5, 5], [5, 6], NC),  # interval reaches beyond the top k
    ([4, 6], [4, 6], CTR),  # inside under exactly half: not more than half
    ([4, 4, 6], [4, 4, 6], NC),  # two of three
    ([6, 6], [6, 6], CTR),
    ([], [], NM),
])
def test_rank_in_top(ranks, highs, expected):  # claim 9
    assert rubric.rank_in_top(ranks, highs, top_k=5) == expected


@pytest.mark.parametrize("n, subject, expected", [(1, True, SUP), (1, False, SUP), (0, True, NC), (0, False, NM)])
def test_reports_found(n, subject, expected):  # claims 10 and 11
    assert rubric.reports_found(n, subject) == expected


def test_indirect():  # claims 5 and 12
    assert (rubric.indirect(True), rubric.indirect(False)) == (NC, NM)


@pytest.mark.parametrize("end, lo, hi, expected", [
    (50, 50, 60, SUP),  # 50 + 50 == base 100: back at the level before the waves
    (50, 49, 60, NC),  # one short with the smallest total, over with the largest
    (50, 49, 50, NC),  # the largest total reaches the base exactly
    (50, 40, 49, CTR),  # even the largest total falls one short
])
def test_replacement(end, lo, hi, expected):  # claim 15, before the cap
    assert rubric.replacement(100, end, lo, hi) == expected


def test_interpretive_cap():
    assert rubric.cap(SUP, "interpretation") == CON
    assert rubric.cap(CTR, "interpretation") == CTR and rubric.cap(NC, "interpretation") == NC
    assert rubric.cap(SUP, "number") == SUP


def test_split_at_statement_day_and_publication_date():
    df = pd.DataFrame({"as_of_date": pd.to_datetime(["2025-12-17", "2025-12-18", "2025-12-19", None, "2025-09-15"]),
                       "source_published": pd.to_datetime([None, "2025-12-18", None, "2025-01-01", "2026-02-19"])})
    before, after = rubric.split_at(df, "as_of_date", "2025-12-18")
    assert before.index.tolist() == [0, 1]  # the statement's own day counts as before
    assert after.index.tolist() == [2, 4]  # a figure published after the statement is "since then"
    # the undated row (index 3) is in neither


def test_split_at_without_publication_column():
    df = pd.DataFrame({"event_date": pd.to_datetime(["2025-12-18", "2025-12-19"])})
    before, after = rubric.split_at(df, "event_date", pd.Timestamp("2025-12-18"))
    assert before.index.tolist() == [0] and after.index.tolist() == [1]
