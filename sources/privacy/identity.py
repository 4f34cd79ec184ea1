"""Who an appeal's author is, as the warehouse keys them, and which fields of a raw row are personal.

`author_key` mirrors dbt's `author_identity` + `pseudonym` macros (macros/pseudonym.sql): the erasure finds
a person by the key analysts see in the marts, over every raw row, including those no build has seen yet.
tests/e2e/test_erasure.py proves the two agree on real rows.
"""

from __future__ import annotations

import re

from lib.pii import pseudonym

# Fields of an appeal-event/1 payload that are personal data or may hold it (the contract's own words).
EVENT_TEXTS = ("text", "answer_text")
EVENT_PERSONAL = (*EVENT_TEXTS, "address", "location")
# Keys of a native row's record in the warehouse vocabulary (sources/mappings) that are personal.
RECORD_TEXTS = ("text", "answer_text")
RECORD_PERSONAL = (
    *RECORD_TEXTS,
    "author_name",
    "author_phone",
    "author_email",
    "author_id",
    "address",
    "lat",
    "lon",
    "url",
    "media_url",
    "status_notes",
)
# attrs are "everything else the source said, verbatim": kept only where the warehouse knows them to be
# codes, not people (the theme rubric, an operator's review decision).
SAFE_ATTRS = ("theme", "review")


def normalized_text(value: str | None) -> str | None:
    if value is None:
        return None
    folded = value.lower().replace("ё", "е")
    return re.sub(r"[^0-9a-zа-я]+", " ", folded).strip() or None


def author_identity(author: dict | None) -> str | None:
    """Phone first (it crosses channels), then e-mail, the source's id, the name — as the macro does."""
    author = author or {}
    phone = re.sub(r"\D", "", author.get("phone") or "")
    phone = re.sub(r"^8(\d{10})$", r"7\1", phone)
    email = (author.get("email") or "").strip(" ").lower()
    ident = (author.get("id") or "").strip(" ")
    name = normalized_text(author.get("name"))
    for prefix, value in (("phone:", phone), ("email:", email), ("id:", ident), ("name:", name)):
        if value:
            return prefix + value
    return None


def strong_identifiers(author: dict | None) -> set[str]:
    """Phone, e-mail and account id as the identity spells them: what names one person across sources."""
    author = author or {}
    out = set()
    for field in ("phone", "email", "id"):
        identity = author_identity({field: author.get(field)})
        if identity:
            out.add(identity)
    return out


def author_key(key: bytes, author: dict | None) -> str | None:
    identity = author_identity(author)
    return pseudonym(key, identity) if identity else None  # what the dbt macro computes


def record_author(record: dict) -> dict:
    return {
        "phone": record.get("author_phone"),
        "email": record.get("author_email"),
        "id": record.get("author_id"),
        "name": record.get("author_name"),
    }


def literals(values) -> set[str]:
    """The strings worth searching a quarantined line for: long enough to be someone's, not a code."""
    out = set()
    for value in values:
        if isinstance(value, str) and len(value.strip()) >= 6:
            out.add(value.strip())
    return out


def blank_event(payload: dict, texts_only: bool = False) -> tuple[dict, list[str]]:
    """The payload with its personal fields set to null (keys kept: `has_text` stays true); what was there."""
    out, found = dict(payload), []
    for field in EVENT_TEXTS if texts_only else EVENT_PERSONAL:
        if out.get(field) is not None:
            found.append(out[field] if isinstance(out[field], str) else "")
            out[field] = None
    if not texts_only:
        if isinstance(out.get("author"), dict):
            found += [v for v in out["author"].values() if isinstance(v, str)]
            out["author"] = {k: None for k in out["author"]}
        if isinstance(out.get("attrs"), dict):
            attrs = dict(out["attrs"])
            for k, v in attrs.items():
                if k not in SAFE_ATTRS and v is not None:
                    found += [v] if isinstance(v, str) else []
                    attrs[k] = None
            out["attrs"] = attrs
    return out, found


def blank_record(record: dict, payload: dict, texts_only: bool = False) -> tuple[dict, dict, list[str]]:
    """A native row with its personal record fields nulled, and every header value equal to one of them."""
    fields = RECORD_TEXTS if texts_only else RECORD_PERSONAL
    found = [record[f] for f in fields if isinstance(record.get(f), str) and record[f].strip()]
    new_record = {k: (None if k in fields else v) for k, v in record.items()}
    secret = {v.strip() for v in found if len(v.strip()) >= 4}

    def personal(v) -> bool:  # the cell a field was read from, or one holding a piece of it (a split name)
        text = v.strip() if isinstance(v, str) else ""
        return len(text) >= 4 and any(text in s or s in text for s in secret)

    new_payload = {k: (None if personal(v) else v) for k, v in payload.items()}
    return new_record, new_payload, found
