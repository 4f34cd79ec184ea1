"""Every suite the warehouse runs. Adding one: write expectations/suites/<asset>.py with SUITE, add it here."""

from expectations.suites import (dims, fct_appeal_events, fct_appeals, mart_sector_monthly, raw_appeal_events,
                                 raw_load_batches, raw_quarantine, raw_source_rows)

SUITES = [
    raw_appeal_events.SUITE,
    raw_load_batches.SUITE,
    raw_quarantine.SUITE,
    raw_source_rows.SUITE,
    fct_appeals.SUITE,
    fct_appeal_events.SUITE,
    mart_sector_monthly.SUITE,
    *dims.SUITES,
]
