"""marts.fct_residents_monthly: residents by municipality and month, the denominator of appeals_per_1000."""

from expectations.suite import Suite, non_negative

SUITE = Suite(
    name="fct_residents_monthly",
    relation="marts.fct_residents_monthly",
    model="fct_residents_monthly",
    blocking=True,
    description="Жители по муниципалитетам и месяцам: ключ уникален, численность не отрицательна.",
    expectations=(*non_negative("population"),),
)
