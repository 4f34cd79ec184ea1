"""`tsur classify`, `tsur review`: structuring appeals without codes, and the operators' review loop."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from orchestration.commands import CliError, warehouse


def cmd_classify(args: argparse.Namespace) -> None:
    if args.eval:
        return _evaluate(args)
    from sources.classify import run

    wh = warehouse()
    if args.train:
        with wh.connect("transformer") as conn, wh.connect("loader") as write_conn:
            print(
                json.dumps(
                    run.train(
                        conn,
                        min_appeals=1 if args.force else run.training.MIN_APPEALS,
                        growth=0.0 if args.force else run.training.RETRAIN_GROWTH,
                        write_conn=write_conn,
                    ),
                    ensure_ascii=False,
                )
            )
        return
    with wh.connect("loader") as read_conn, wh.connect("loader") as write_conn:
        print(run.classify_new(read_conn, write_conn, full=args.full).line())
    print("Категории попадут в витрины при следующей сборке: tsur build")


def _evaluate(args: argparse.Namespace) -> None:
    from sources.classify import reference
    from sources.classify.decide import classify
    from sources.classify.engine import Engine
    from sources.classify.evaluate import evaluate, format_report, read_events

    if not args.labels:
        raise CliError("--eval needs --labels LABELS.json ({appeal_id: category or sector code})")
    try:
        appeals = read_events(Path(args.eval))
        truth = json.loads(Path(args.labels).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from None
    if not isinstance(truth, dict) or not all(isinstance(v, str) for v in truth.values()):
        raise CliError(f"{args.labels}: expected a JSON object {{appeal_id: code}}")
    ref = reference.load()
    unknown = sorted({v for v in truth.values()} - set(ref.sector_of) - set(ref.sectors) - {"unknown"})
    if unknown:
        raise CliError(f"{args.labels}: labels that are neither categories nor sectors: {', '.join(unknown[:10])}")
    engine, version = Engine(ref.codes, ref.descriptions, ref.lexicon, ref.params), "lexicon only"
    if args.model:
        from sources.classify.run import load_engine

        with warehouse().connect() as conn:
            engine, version = load_engine(conn, ref)
    report = evaluate(classify(appeals, engine, ref), truth, ref.sector_of)
    if args.json:
        print(json.dumps({"model_version": version, **report.as_dict()}, ensure_ascii=False, indent=2))
    else:
        print(f"классификатор: {version}\n" + format_report(report))


def cmd_review(args: argparse.Namespace) -> None:
    from sources.classify import review

    wh = warehouse()
    folder = wh.settings.home / "review"
    if args.action == "export":
        path = Path(args.out) if args.out else folder / f"worklist-{datetime.now():%Y%m%d-%H%M%S}.xlsx"
        with wh.connect() as conn:
            rows = review.export_worklist(conn, path, limit=args.limit)
        print(f"Рабочий лист: {rows} обращений -> {path}\nСодержит тексты обращений: храните как персональные данные.")
        return
    if not args.file:
        raise CliError("tsur review import FILE")
    try:
        with wh.connect() as conn:
            report = review.import_decisions(conn, Path(args.file), folder, operator=args.operator)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from None
    print(report.line())
    if report.imported:
        print("Решения попадут в витрины при следующей сборке: tsur build")


def add_commands(sub) -> None:
    c = sub.add_parser("classify", help="classify appeals without codes now; --eval: measure on labelled files")
    c.add_argument("--eval", metavar="EVENTS.jsonl", help="appeal-event/1 file to classify without loading it")
    c.add_argument("--labels", metavar="LABELS.json", help="{appeal_id: category or sector code} for --eval")
    c.add_argument("--json", action="store_true", help="--eval figures as JSON")
    c.add_argument("--model", action="store_true", help="--eval with the warehouse's latest trained model")
    c.add_argument("--full", action="store_true", help="classify every appeal again, not only new ones")
    c.add_argument("--train", action="store_true", help="train a model on the appeals whose category is known")
    c.add_argument("--force", action="store_true", help="with --train: train even without enough new data")
    c.set_defaults(func=cmd_classify)
    r = sub.add_parser("review", help="the review queue as an XLSX worklist, and the operators' decisions back")
    r.add_argument("action", choices=("export", "import"))
    r.add_argument("file", nargs="?", help="import: the filled-in worklist")
    r.add_argument("--out", help="export: where to write (default TSUR_HOME/review/)")
    r.add_argument("--limit", type=int, default=500, help="export: newest N appeals of the queue")
    r.add_argument("--operator", help="import: who decided, for rows without an operator")
    r.set_defaults(func=cmd_review)
