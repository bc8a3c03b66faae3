"""Event codes, labels and method names shared by every survival module (named once here)."""

from __future__ import annotations

DAYS_PER_MONTH = 30.4375  # mean Gregorian month (365.25 / 12)

CENSORED, EARLY_RELEASE, SENTENCE_SERVED, DIED, UNKNOWN_ROUTE = 0, 1, 2, 3, 4
EVENT_LABELS = {
    CENSORED: "still_held",
    EARLY_RELEASE: "early_release",
    SENTENCE_SERVED: "sentence_served",
    DIED: "died",
    UNKNOWN_ROUTE: "released_unknown_route",
}
BINARY_CODES = {CENSORED: "censored", 1: "event"}  # what an event column means unless a mapping is declared
COMPETING_CAUSES = (EARLY_RELEASE, SENTENCE_SERVED, DIED)
EVENT_CODES_ATTR = "event_codes"  # DataFrame.attrs key: {event column: {code: label}} declared by the data's maker

ALL_GROUP = "all"  # group label when no grouping column is given
CI_METHOD_KM = "log-log (exponential Greenwood)"
CI_METHOD_MEDIAN = "cloglog (Brookmeyer–Crowley inversion, statsmodels quantile_ci)"
CI_METHOD_CIF = "log(-log) delta method on a Greenwood-type variance (Collett; as lifelines)"
PH_TIME_TRANSFORM = "rank"
PH_VIOLATION_MODES = ("ignore", "report", "stratify")
UNKNOWN_MODES = ("exclude", "competing")
TIES_METHODS = ("efron", "breslow")
TIES = "efron"  # default tie method (lifelines and R use Efron too)
