"""The survival input checks' messages, word for word: they are what a user reads when their data are wrong."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.stats.survival import checks


def test_fail_counts_rows_in_the_singular_and_plural():
    one = checks.fail("km", "t", "durations must be >= 0", 1)
    two = checks.fail("km", "t", "durations must be >= 0", 2, "drop them")
    assert str(one) == "km(), column 't': durations must be >= 0 (1 row breaks it)"
    assert str(two) == "km(), column 't': durations must be >= 0 (2 rows break it); drop them"
    assert str(checks.fail("km", None, "no rows")) == "km(): no rows"


def _df(**cols):
    return pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 0, 1], **cols})


def test_text_durations_and_text_codes_say_how_to_fix_them():
    with pytest.raises(DataError) as exc:
        checks.check_input(_df(t=["1", "2", "3"]), "t", "e", "km")
    assert str(exc.value).endswith("(3 rows break it); convert it with pd.to_numeric first")
    with pytest.raises(DataError) as exc:
        checks.check_input(_df(t=["1", "x", "3"]), "t", "e", "km")
    assert str(exc.value) == "km(), column 't': durations must be numbers (column dtype is object) (1 row breaks it)"
    with pytest.raises(DataError) as exc:
        checks.check_input(_df(e=["yes", "no", "yes"]), "t", "e", "km")
    assert str(exc.value).endswith("not numbers (3 rows break it); map text codes to integers first")


def test_a_constant_covariate_is_named_with_the_fix():
    with pytest.raises(DataError) as exc:
        checks.check_input(_df(x=[1, 1, 1]), "t", "e", "cox", covariates=["x"])
    assert str(exc.value) == ("cox(), column 'x': a covariate must vary, but all 3 rows hold 1 (3 rows break it); "
                              "drop it from covariates (or stratify on it)")
