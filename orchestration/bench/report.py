"""The benchmark's figures as a table for people, with the targets of issue 7 beside the ratios."""

from __future__ import annotations

# Target for each ratio: (key, label, comparison, limit); the dashboards' target is for their slowest ratio.
TARGETS = (
    ("ingest_ratio", "Загрузчик / голый COPY", ">=", 0.6),
    ("incremental_to_full", "Инкрементальная / полная сборка", "<=", 0.15),
    ("dashboards_min_ratio", "Факты / витрины (худший из 10 запросов)", ">=", 20.0),
    ("classifier_rate", "Классификатор, обращений в секунду", ">=", 2000.0),
    ("loader_memory_mb", "Память загрузчика, МБ", "<=", 300.0),
)


def ratios(result: dict) -> dict[str, float | None]:
    return {
        "ingest_ratio": result["ingest"]["ratio_to_copy"],
        "incremental_to_full": result["build"]["incremental_to_full"],
        "dashboards_min_ratio": result.get("dashboards_min_ratio"),
        "classifier_rate": min(
            filter(
                None,
                (
                    (result.get("classify") or {}).get(k)
                    for k in ("appeals_per_second", "with_model_appeals_per_second")
                ),
            ),
            default=None,
        ),
        "loader_memory_mb": result["memory"].get("loader_peak_rss_mb"),
    }


def verdicts(result: dict) -> list[tuple[str, float | None, str, bool | None]]:
    got = ratios(result)
    rows = []
    for key, label, op, limit in TARGETS:
        value = got[key]
        met = None if value is None else (value >= limit if op == ">=" else value <= limit)
        rows.append((label, value, f"{op} {limit:g}", met))
    return rows


def _kinds(seconds: dict[str, float]) -> str:
    return ", ".join(f"{kind} {value:.1f}" for kind, value in sorted(seconds.items()) if kind != "other")


def format_table(result: dict) -> str:
    m, d, i, b = result["machine"], result["data"], result["ingest"], result["build"]
    c = result.get("classify") or {
        "appeals_per_second": 0,
        "appeals": 0,
        "wall_seconds": 0,
        "fixed_seconds": 0,
        "peak_rss_mb": 0,
    }
    lines = [
        f"tsur bench --scale {result['scale']:g}: {m['cpus']} CPU, {m['memory_gb']} GB, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}; {result['seconds']:.0f} s in all",
        f"data: {d['appeals']:,} appeals, {d['lines']:,} lines; held back for the incremental step "
        f"{d['late_lines']:,} lines from {d['late_from_hour']}",
        "",
        f"1 ingest      loader {i['events_per_second']:>9,} events/s  ({i['rows']:,} rows, {i['wall_seconds']} s "
        f"wall − {i['fixed_seconds']} s start)",
        f"              COPY   {i['copy_rows_per_second']:>9,} rows/s    ({i['copy_rows']:,} rows, "
        f"{i['copy_seconds']} s)                       ratio {i['ratio_to_copy']}",
        f"1b classifier {c['appeals_per_second']:>9,} appeals/s ({c['appeals']:,} appeals, {c['wall_seconds']} s "
        f"wall − {c['fixed_seconds']} s start; {c['peak_rss_mb']} MB); with a trained model "
        f"{c.get('with_model_appeals_per_second', 0):,} appeals/s ({c.get('with_model_peak_rss_mb', 0)} MB, "
        f"training {c.get('training_seconds', 0)} s)",
        f"2 full build  {b['full_work_seconds']:>8.1f} s  ({b['full_seconds']} s wall − {b['fixed_seconds']} s "
        "fixed dbt start)",
        f"3 incremental {b['incremental_work_seconds']:>8.1f} s  after {b['late_events']:,} new events touching "
        f"{b['appeals_touched']:,} appeals                ratio {b['incremental_to_full']}",
        "  slowest models, full:        " + ", ".join(f"{n} {s}" for n, s in b["full_slowest_models"][:5]),
        "  slowest models, incremental: " + ", ".join(f"{n} {s}" for n, s in b["incremental_slowest_models"][:5]),
        "  model seconds by kind, full: "
        + _kinds(b["full_model_seconds_by_kind"])
        + "; incremental: "
        + _kinds(b["incremental_model_seconds_by_kind"]),
        "4 dashboards  median ms (marts / facts), ratio:",
    ]
    for q in result.get("dashboards", []):
        same = "" if q["equal"] else "  ANSWERS DIFFER"
        lines.append(
            f"    {q['name']:<28} {q['mart_median_ms']:>9.1f} / {q['facts_median_ms']:>9.1f}  ×{q['ratio']}{same}"
        )
    mem = result["memory"]
    lines += [
        f"5 memory      loader {mem['loader_peak_rss_mb']} MB, "
        f"classifier {mem.get('classifier_peak_rss_mb', '—')} MB, dbt {mem['dbt_peak_rss_mb']} MB, data generator "
        f"{mem['generator_peak_rss_mb']} MB, whole run {mem['whole_run_peak_rss_mb']} MB (PostgreSQL not counted)"
    ]
    if "disk" in result:
        lines.append(
            f"6 disk        database {result['disk']['database_mb']:,} MB, of it raw events "
            f"{result['disk']['raw_events_mb']:,} MB"
        )
    lines += ["", "targets:"]
    for label, value, target, met in verdicts(result):
        mark = "n/a" if met is None else ("met" if met else "NOT met")
        lines.append(f"    {label:<44} {value!s:>8}  {target:<8} {mark}")
    return "\n".join(lines)
