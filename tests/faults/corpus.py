"""A corpus of bad input, one small file per case, each with the outcome a person expects written beside it.

A case names the landing folder its file goes to (the channel, as `tsur ingest` finds it), how to write the
file, and what the load must give: lines read, loaded, duplicates, quarantined, reason codes, words the
reasons must contain, and keys that must be in raw (the valid rows of the same file). Open311 cases are
request objects a local server sends among valid ones (tests/faults/test_bad_input.py polls it).

The cases themselves are in the corpus_*.py modules beside this one, by kind of input; CASES lists them in the
order they are loaded (a file that repeats another's event ids comes after it).
"""

from __future__ import annotations

from tests.faults.corpus_event_bytes import FRAMING_CASES, LINE_CASES
from tests.faults.corpus_event_fields import FIELD_CASES
from tests.faults.corpus_kit import INJECTION, SOURCE, Case
from tests.faults.corpus_pos_csv import POS_CSV_CASES
from tests.faults.corpus_sed_csv import SED_CASES
from tests.faults.corpus_workbooks import WORKBOOK_CASES

__all__ = ["CASES", "EVENT_CASES", "INJECTION", "NATIVE_CASES", "OPEN311_BROKEN", "OPEN311_FLAGGED", "SOURCE", "Case"]

EVENT_CASES = FRAMING_CASES + FIELD_CASES + LINE_CASES
NATIVE_CASES = POS_CSV_CASES + WORKBOOK_CASES + SED_CASES
CASES = EVENT_CASES + NATIVE_CASES

# Open311: request objects (as JSON text, repeated keys and all) a city's server sends among valid ones.
OPEN311_BROKEN = {
    "not_an_object": '"R-STRING"',
    "missing_field": '{"service_request_id": null, "requested_datetime": "2025-02-03T10:00:00+03:00"}',
    "bad_date": '{"service_request_id": "O-BAD", "requested_datetime": "2025-02-30T10:00:00+03:00",'
    ' "updated_datetime": "2025-02-04T10:00:00+03:00"}',
    "control_character": '{"service_request_id": "O-NUL", "requested_datetime": "2025-02-05T10:00:00+03:00",'
    ' "description": "a\\u0000b"}',
}
# Loaded, with flags: wrong types, an answer (closing) before receipt, text shaped as SQL, a zone-less date.
OPEN311_FLAGGED = {
    "O-TYPES": (
        '{"service_request_id": "O-TYPES", "requested_datetime": "2025-02-06T10:00:00+03:00",'
        ' "lat": "север", "long": true, "status": "open"}',
        ["bad_lat", "bad_lon"],
    ),
    "O-EARLY": (
        '{"service_request_id": "O-EARLY", "requested_datetime": "2025-02-07T10:00:00+03:00",'
        ' "updated_datetime": "2025-02-01T10:00:00+03:00", "status": "closed"}',
        ["answer_before_receipt:closed_at"],
    ),
    "O-SQL": (
        '{"service_request_id": "O-SQL", "requested_datetime": "2025-02-08T10:00:00+03:00",'
        f' "description": "{INJECTION}"}}',
        ["exported_at_from_requested_datetime"],
    ),
    "O-ZONE": (
        '{"service_request_id": "O-ZONE", "requested_datetime": "2025-02-09T10:00:00", "status": "open"}',
        ["exported_at_from_requested_datetime"],
    ),
}
