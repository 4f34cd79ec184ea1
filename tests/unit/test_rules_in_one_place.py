"""A rule of a model is written once: what its dbt YAML declares (not_null, unique, unique_combination,
accepted_values), the GX suite reads from there and does not state again."""

from expectations.suite import declared
from expectations.suites import SUITES


def rule_key(spec) -> tuple | None:
    kind, kw = spec.type, spec.kwargs
    if kind == "expect_column_values_to_not_be_null":
        return ("not_null", kw["column"])
    if kind == "expect_column_values_to_be_unique":
        return ("unique", (kw["column"],))
    if kind == "expect_compound_columns_to_be_unique":
        return ("unique", tuple(kw["column_list"]))
    if kind == "expect_column_values_to_be_in_set":
        return ("in_set", kw["column"])
    return None


def test_no_suite_states_again_what_its_model_declares():
    repeated = {}
    for suite in SUITES:
        if suite.model:
            both = {rule_key(s) for s in declared(suite.model)} & {rule_key(s) for s in suite.expectations}
            if both:
                repeated[suite.name] = sorted(both, key=str)
    assert repeated == {}


def test_a_suite_checks_what_the_yaml_declares():
    # dbt_project/models/marts/bi/mart_agency_rating.yml, read by eye: the key and two value sets.
    suite = next(s for s in SUITES if s.model == "mart_agency_rating")
    keys = [rule_key(s) for s in suite.rules]
    assert ("unique", ("period_kind", "period_start", "agency_code")) in keys
    value_sets = {s.kwargs["column"]: s.kwargs["value_set"] for s in suite.rules if s.type.endswith("_in_set")}
    assert value_sets["period_kind"] == ["month", "quarter"]
    assert value_sets["rating_status"] == ["insufficient_data", "rated"]
    assert keys.index(("unique", ("period_kind", "period_start", "agency_code"))) < len(declared("mart_agency_rating"))
