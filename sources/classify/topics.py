"""«Прочие по направлению» decomposed into topics (п. 21 Положения): per sector, the texts of its bucket as lemma
TF-IDF, clustered by k-means (k grows with the bucket), each topic named by its heaviest lemmas.

A topic's name is shown to BI, so it must not point at anyone: only lemmas that at least MIN_AUTHORS different
authors used may name a topic, never a word the dictionary reads as a person's name, never a number.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import psycopg

from sources.classify import store
from sources.classify.text import tokens

VERSION = "2"  # bump when the method changes what the topics would be
MIN_AUTHORS = 3
MIN_BUCKET = 12  # fewer appeals than this are one topic
NAMING = frozenset({"NOUN", "ADJF", "ADJS", "LATN"})
TOP_LEMMAS = 8
_BUCKET = """
with bucket as (
    select f.source, f.appeal_id, f.sector_code, coalesce(f.author_key, f.appeal_key) as author
    from {facts} as f
    inner join reference.categories as c using (category_code)
    where c.is_other_bucket and not f.is_rejected
),
inputs as ({inputs})
select b.source, b.appeal_id, b.sector_code, b.author, i.text
from bucket as b join inputs as i using (source, appeal_id)
where i.text is not null
order by b.sector_code, b.source, b.appeal_id
"""
_INPUTS = store.inputs_sql("array(select source || '/' || appeal_id from bucket)")


@dataclass
class Topic:
    sector_code: str
    topic_no: int
    label: str
    top_lemmas: list[str]
    members: list[tuple[str, str]]


def topic_count(n: int) -> int:
    """About one topic per 15 appeals at first, growing with the square root: 2 at 12, 6 at 500, 12 at 2,000+."""
    return 1 if n < MIN_BUCKET else int(min(12, max(2, round(np.sqrt(n / 14)))))


def cluster(rows: list[tuple[str, str, str, str]], sector: str) -> list[Topic]:
    """Topics of one sector's bucket from (source, appeal_id, author, text) rows."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs, authors_of = [], defaultdict(set)
    for _, _, author, text in rows:
        # Topics are named by what people write about: nouns and adjectives, not «ждать» or «только».
        toks = [t for t in tokens(text) if not t.name and not t.place and len(t.lemma) > 2 and t.pos in NAMING]
        docs.append(" ".join(t.lemma for t in toks))
        for t in toks:
            authors_of[t.lemma].add(author)
    keys = [(s, a) for s, a, _, _ in rows]
    k = topic_count(len(rows))
    shareable = sorted(lemma for lemma, who in authors_of.items() if len(who) >= MIN_AUTHORS)
    if k == 1 or len(shareable) < 2:
        return [Topic(sector, 0, "без разбиения", [], keys)]
    x = TfidfVectorizer(vocabulary=shareable, token_pattern=r"\S+", sublinear_tf=True).fit_transform(docs)
    k = min(k, x.shape[0])
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
    order = np.argsort(-np.bincount(model.labels_, minlength=k), kind="stable")  # biggest topic first
    overall = np.asarray(x.mean(axis=0)).ravel()
    topics = []
    for no, cluster_id in enumerate(order):
        # Named by what sets the topic apart from the whole bucket, not by what every text says.
        centre = model.cluster_centers_[cluster_id] - overall
        top = [shareable[i] for i in np.argsort(-centre, kind="stable")[:TOP_LEMMAS] if centre[i] > 0]
        members = [keys[i] for i in np.flatnonzero(model.labels_ == cluster_id)]
        topics.append(Topic(sector, no, " / ".join(top[:3]) or "без слов", top, members))
    return topics


def decompose(conn: psycopg.Connection, batch_hwm: int, write_conn: psycopg.Connection | None = None) -> dict:
    """One run over every sector's bucket; returns its counts. Reads facts and texts on `conn` (the
    transformer can), writes the topics on `write_conn` (the loader can), or both on `conn`."""
    facts = store.facts_relation(conn)
    rows = conn.execute(_BUCKET.format(facts=facts, inputs=_INPUTS)).fetchall() if facts else []
    digest = hashlib.sha256(
        json.dumps([VERSION, MIN_AUTHORS, [list(r) for r in rows]], ensure_ascii=False).encode()
    ).hexdigest()
    last = conn.execute(
        "select run_id, params->>'input_sha256' from raw.other_topic_runs order by run_id desc limit 1"
    ).fetchone()
    if last and last[1] == digest:  # the same buckets with the same texts: the same topics
        return {"run_id": last[0], "appeals": len(rows), "skipped": True}
    by_sector: dict[str, list] = defaultdict(list)
    for source, appeal_id, sector, author, text in rows:
        by_sector[sector].append((source, appeal_id, author, text))
    topics = [t for sector in sorted(by_sector) for t in cluster(by_sector[sector], sector)]
    params = {
        "input_sha256": digest,
        "method": "lemma tf-idf + k-means",
        "min_authors": MIN_AUTHORS,
        "min_bucket": MIN_BUCKET,
        "topics_per_sector": {s: sum(t.sector_code == s for t in topics) for s in sorted(by_sector)},
    }
    conn = write_conn or conn
    with conn.transaction():
        run_id = conn.execute(
            "insert into raw.other_topic_runs (computed_at, batch_hwm, appeals, params)"
            " values (now(), %s, %s, %s) returning run_id",
            (batch_hwm, len(rows), json.dumps(params, ensure_ascii=False)),
        ).fetchone()[0]
        with conn.cursor() as cur:
            cur.executemany(
                "insert into raw.other_topics (run_id, sector_code, topic_no, label, top_lemmas, appeals)"
                " values (%s, %s, %s, %s, %s, %s)",
                [(run_id, t.sector_code, t.topic_no, t.label, t.top_lemmas, len(t.members)) for t in topics],
            )
            with cur.copy(
                "copy raw.other_topic_members (run_id, source, appeal_id, sector_code, topic_no) from stdin"
            ) as copy:
                for t in topics:
                    for source, appeal_id in t.members:
                        copy.write_row((run_id, source, appeal_id, t.sector_code, t.topic_no))
    return {"run_id": run_id, "appeals": len(rows), "topics": len(topics), "sectors": len(by_sector)}
