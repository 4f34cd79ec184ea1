"""Validation as Dagster asset checks: GX suites, reconciliations, channel freshness; results kept in the warehouse."""
