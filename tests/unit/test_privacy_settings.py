"""Malformed privacy settings fail with a message that names the variable; unset ones keep today's behaviour."""

import pytest

from exports.package.territory import min_cell
from orchestration.retention import RetentionError, retention_days


@pytest.mark.parametrize("value", ["thirty", "-5", "0", "1.5"])
def test_a_malformed_retention_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("TSUR_TEXT_RETENTION_DAYS", value)
    with pytest.raises(RetentionError, match="TSUR_TEXT_RETENTION_DAYS"):
        retention_days()


def test_retention_is_off_unless_set(monkeypatch):
    monkeypatch.delenv("TSUR_TEXT_RETENTION_DAYS", raising=False)
    assert retention_days() is None
    monkeypatch.setenv("TSUR_TEXT_RETENTION_DAYS", " 1095 ")
    assert retention_days() == 1095


def test_the_minimum_cell_defaults_to_three_and_refuses_words(monkeypatch):
    monkeypatch.delenv("TSUR_PUBLICATION_MIN_CELL", raising=False)
    assert min_cell() == 3
    monkeypatch.setenv("TSUR_PUBLICATION_MIN_CELL", "five")
    with pytest.raises(ValueError, match="TSUR_PUBLICATION_MIN_CELL"):
        min_cell()
