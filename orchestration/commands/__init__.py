"""Pieces every `tsur` command shares: the error users can act on, the warehouse, running a Dagster job."""

from __future__ import annotations

import contextlib
import sys


class CliError(Exception):
    """A failure the user can act on; printed without a traceback."""


def warehouse():
    from lib.warehouse import Warehouse

    return Warehouse().start()


def execute_job(job_name: str, *, as_of: str | None = None, full_refresh: bool = False, verbose: bool = False) -> None:
    """Run a Dagster job in this process, recorded in the warehouse's Dagster storage."""
    import dagster as dg

    from orchestration.defs.transform.project import ensure_manifest
    from orchestration.instance import prepare_dagster

    wh = warehouse()
    prepare_dagster(wh)
    ensure_manifest()
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO" if verbose else "WARNING"}}}}
    if as_of or full_refresh:
        from orchestration.defs.transform.assets import dbt_run_config

        run_config.update(dbt_run_config(job, as_of=as_of, full_refresh=full_refresh))
    log_path = wh.settings.home / "logs" / f"{job_name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's own log goes to stdout; keep the terminal for the summary unless asked.
    with (
        dg.DagsterInstance.get() as instance,
        open(log_path, "w", encoding="utf-8") as log,
        contextlib.redirect_stdout(sys.stdout if verbose else log),
    ):
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        messages = [
            e.step_failure_data.error.message.strip().splitlines()[-1]
            for e in result.all_events
            if e.is_step_failure and e.step_failure_data.error
        ]
        # A blocking check says why in its description; Dagster's own error only names the check.
        checks = [
            e.event_specific_data.description
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
            and not e.event_specific_data.passed
            and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
        ]
        why = "".join(f"\n  {text[:600]}" for text in checks if text)
        raise CliError(
            f"job {job_name} failed at {', '.join(failed) or 'an unknown step'}: "
            f"{'; '.join(messages)[:800]}{why}"
            f"\n  dbt log: {log_path}; run `tsur ui` to see run {result.run_id}"
        )
