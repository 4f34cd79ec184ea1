"""The classifier's runs against the warehouse: label what is new or changed, train a model on what is known.

classify_new(read_conn, write_conn)   → a batch of raw.appeal_labels (only appeals touched since the
                                        last run of the same model version; all of them for a new one)
train(conn)                            → a new row of raw.classifier_models, when there is enough to learn
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import psycopg

from sources.classify import reference, store, training
from sources.classify.decide import classify
from sources.classify.engine import Engine
from sources.classify.supervised import SupervisedModel

CHUNK = 2000
# The modules whose code decides what a label is: a change in any of them is a new classifier version.
LOGIC = ("text.py", "lexicon.py", "vectors.py", "engine.py", "supervised.py", "decide.py")


def logic_digest() -> str:
    folder = Path(__file__).parent
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in LOGIC)).hexdigest()


def model_version(ref: reference.Reference, supervised: tuple[str, bytes] | None) -> str:
    """lex-<seeds and code> or lex-<…>+<model>: a change of the seeds, the logic or the model is a new
    version, and a new version classifies every appeal again."""
    lexicon = hashlib.sha256(f"{logic_digest()}:{ref.digest}".encode()).hexdigest()[:10]
    return f"lex-{lexicon}" + (f"+{supervised[0]}" if supervised else "")


def load_engine(conn: psycopg.Connection, ref: reference.Reference | None = None) -> tuple[Engine, str]:
    ref = ref or reference.load()
    found = store.latest_model(conn)
    model = SupervisedModel.from_bytes(bytes(found[1])) if found else None
    return Engine(ref.codes, ref.descriptions, ref.lexicon, ref.params, model), model_version(ref, found)


@dataclass
class RunReport:
    model_version: str
    input_hwm: int
    since: int | None
    batch_id: int | None = None
    considered: int = 0
    written: int = 0
    seconds: float = 0.0
    methods: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        if self.batch_id is None:
            return f"classifier {self.model_version}: nothing new since batch {self.since}"
        rate = self.considered / self.seconds if self.seconds else 0
        return (
            f"classifier {self.model_version}: batch {self.batch_id}, {self.considered} appeals considered, "
            f"{self.written} labels written, {rate:,.0f} appeals/s"
        )


def classify_new(read_conn: psycopg.Connection, write_conn: psycopg.Connection, *, full: bool = False) -> RunReport:
    """Label the appeals touched by load batches since this model version's last run (all, if `full`)."""
    started = datetime.now(UTC)
    ref = reference.load()
    engine, version = load_engine(read_conn, ref)
    hwm = store.input_hwm(read_conn)
    since = None if full else store.last_run_hwm(read_conn, version)
    report = RunReport(version, hwm, since)
    if since is not None and since >= hwm:
        return report
    inputs = store.read_inputs(read_conn, hwm, since)

    def chunks():
        while batch := list(islice(inputs, CHUNK)):
            labels = classify(batch, engine, ref)
            for lab in labels:
                report.methods[lab.method] = report.methods.get(lab.method, 0) + 1
            yield [(store.input_sha256(a), lab) for a, lab in zip(batch, labels)]

    with read_conn.transaction():
        report.batch_id, report.considered, report.written = store.write_labels(write_conn, chunks(), version, hwm)
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def train(
    conn: psycopg.Connection,
    *,
    min_appeals: int = training.MIN_APPEALS,
    growth: float = training.RETRAIN_GROWTH,
    write_conn: psycopg.Connection | None = None,
) -> dict:
    """Train a model on the appeals whose category is known, when none exists or the known set grew enough.
    Reads on `conn`, writes the model on `write_conn` when given (reader and writer are different roles)."""
    ref = reference.load()
    hwm = store.input_hwm(conn)
    examples = training.examples(conn)
    last = conn.execute(
        "select training_appeals, model_version from raw.classifier_models"
        " order by created_at desc, model_version desc limit 1"
    ).fetchone()
    if len(examples) < min_appeals:
        return {"trained": False, "reason": f"{len(examples)} known appeals with text, fewer than {min_appeals}"}
    if last and len(examples) < last[0] * (1 + growth):
        return {
            "trained": False,
            "reason": f"{len(examples)} known appeals, {last[0]} at {last[1]}: not {growth:.0%} more",
            "model_version": last[1],
        }
    fitted = training.fit_with_cv(examples, ref)
    blob = fitted.model.to_bytes()
    version = "sup-" + hashlib.sha256(blob).hexdigest()[:10]
    conn = write_conn or conn
    conn.execute(
        "insert into raw.classifier_models (model_version, created_at, trained_on_hwm, training_appeals,"
        " class_counts, cv, params, artifact) values (%s, now(), %s, %s, %s, %s, %s, %s)"
        " on conflict (model_version) do nothing",
        (
            version,
            hwm,
            len(examples),
            json.dumps(fitted.class_counts),
            json.dumps(fitted.cv),
            json.dumps(fitted.params),
            blob,
        ),
    )
    conn.commit()
    return {"trained": True, "model_version": version, "training_appeals": len(examples), "cv": fitted.cv}
