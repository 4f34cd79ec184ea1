"""Every suite the warehouse runs. Adding one: write expectations/suites/<asset>.py with SUITE, add it here."""

from expectations.suites import (classification, dim_kpis, mart_quality_flags, dims, fct_appeal_events, fct_appeals,
                                 fct_appeal_measures, fct_residents_monthly, mart_agency_rating,
                                 mart_category_targets, mart_conflicts, mart_deadline_control, mart_kpi_values,
                                 mart_municipal_categories, package_marts,
                                 mart_regional_problems, mart_repeat_appeals, mart_restatements, mart_sector_kpi,
                                 mart_sector_monthly, mart_workload, raw_appeal_events, raw_load_batches,
                                 raw_open311, raw_quarantine, raw_source_rows)

SUITES = [
    raw_appeal_events.SUITE,
    *raw_load_batches.SUITES,
    *raw_quarantine.SUITES,
    *raw_source_rows.SUITES,
    *raw_open311.SUITES,
    fct_appeals.SUITE,
    fct_appeal_events.SUITE,
    fct_appeal_measures.SUITE,
    fct_residents_monthly.SUITE,
    mart_sector_monthly.SUITE,
    mart_sector_kpi.SUITE,
    mart_agency_rating.SUITE,
    mart_deadline_control.SUITE,
    mart_conflicts.SUITE,
    mart_kpi_values.SUITE,
    mart_category_targets.SUITE,
    mart_regional_problems.SUITE,
    mart_municipal_categories.SUITE,
    *package_marts.SUITES,
    mart_repeat_appeals.SUITE,
    mart_restatements.SUITE,
    mart_workload.SUITE,
    dim_kpis.SUITE,
    *dims.SUITES,
    classification.LABELS,
    classification.REVIEW,
    classification.TOPICS,
    classification.MODELS,
    mart_quality_flags.SUITE,
    *classification.RAW,
]
BY_NAME = {suite.name: suite for suite in SUITES}
BY_MODEL = {suite.model: suite for suite in SUITES if suite.model}
