"""What the role tests (tests/integration/test_roles.py, test_role_logins.py) load: one appeal-event/1 line
with personal data in it."""

import json


def event_line(event_id: str) -> str:
    return json.dumps(
        {
            "event_id": event_id,
            "source": "hotline-nao",
            "channel": "hotline",
            "appeal_id": "HL-1",
            "event_type": "received",
            "occurred_at": "2025-03-03T10:00:00+03:00",
            "author": {"name": "Иванов Иван Иванович", "phone": "+7 911 555-11-22"},
        }
    )
