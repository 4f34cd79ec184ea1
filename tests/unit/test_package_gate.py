"""The package gate uses each mart's own quality suite, and refuses a mart that has none."""

import pytest

from exports.package import gate


def test_every_mart_of_the_package_is_checked_by_its_registered_suite():
    from expectations.suites import SUITES

    chosen = gate.gate_suites()
    assert {s.model for s in chosen} == set(gate.PACKAGE_MODELS)
    assert all(s in SUITES for s in chosen)  # the suites themselves, not copies of their rules


def test_a_mart_without_a_suite_stops_the_package(monkeypatch):
    monkeypatch.setattr(gate, "PACKAGE_MODELS", (*gate.PACKAGE_MODELS, "mart_without_rules"))
    with pytest.raises(gate.PackageRefused, match="mart_without_rules"):
        gate.gate_suites()
