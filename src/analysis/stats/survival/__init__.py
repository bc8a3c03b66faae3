"""Time held from detention to release: Kaplan–Meier, Cox, Aalen–Johansen cumulative incidence.

`from analysis.stats import survival; survival.kaplan_meier(...)` is the public entry point; the work lives in
small modules: checks (the input rules every estimator shares), prepare (people table → episodes), km, design,
cox, ph (proportional-hazards test), scores (Efron/Breslow score residuals, cluster-robust SEs), competing
(Aalen–Johansen, simulation) and codes.
Methods, input rules and conventions: docs/SURVIVAL.md. Durations are in months (days / DAYS_PER_MONTH). Event
codes of `prepare`: 0 censored (still held at `as_of`), 1 early release, 2 sentence served, 3 died, 4 released by
an unknown route (an event in all-cause analyses; excluded from competing-risks analyses by default).
"""

from analysis.stats.survival.checks import Checked, check_input, declared_codes
from analysis.stats.survival.codes import (
    ALL_GROUP, BINARY_CODES, CENSORED, CI_METHOD_CIF, CI_METHOD_KM, CI_METHOD_MEDIAN, COMPETING_CAUSES,
    DAYS_PER_MONTH, DIED, EARLY_RELEASE, EVENT_CODES_ATTR, EVENT_LABELS, PH_TIME_TRANSFORM, PH_VIOLATION_MODES,
    SENTENCE_SERVED, TIES, TIES_METHODS, UNKNOWN_MODES, UNKNOWN_ROUTE,
)
from analysis.stats.survival.competing import cif_exponential, cumulative_incidence, simulate_competing
from analysis.stats.survival.cox import CoxResult, concordance, cox
from analysis.stats.survival.design import reference_level
from analysis.stats.survival.km import kaplan_meier, median_survival, risk_table
from analysis.stats.survival.prepare import (
    AGE_LEVELS, BEFORE_FIRST_COHORT, DEFAULT_COHORTS, ENTRY_COLUMN, EXCLUSION_REASONS, EXIT_TYPE_TO_EVENT,
    GENDER_LEVELS, INCLUDED_STATUSES, MID_MONTH_DAY, MISSING_LEVEL, OLDER_AGE, R_AFTER_AS_OF, R_BAD_EXIT,
    R_BEFORE_MIN, R_DETENTION_YEAR, R_NO_DETENTION, R_NO_RELEASE, R_NONPOSITIVE, R_RELEASE_YEAR, R_STATUS,
    RECOGNISED_COLUMN, REQUIRED_COLUMNS, UNTERMED_PENALTIES, entry_months, prepare,
)
from analysis.stats.survival.ph import gt_statistic, ph_check
from analysis.stats.survival.scores import clustered_se, sandwich_se, schoenfeld_residuals, score_residuals

__all__ = [name for name in dir() if not name.startswith("_")]
