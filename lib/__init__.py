"""Shared ground below every layer: settings, clocks, periods, the production calendar, dbt invocation, the
warehouse connection, its embedded server, roles and pseudonyms.

Layers import downward only: lib ← sources ← expectations ← exports ← orchestration. Nothing here imports a
layer (tests/unit/test_import_direction.py checks it)."""
