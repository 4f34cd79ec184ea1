-- Validation results: every run of a GX suite, reconciliation or freshness check, with what failed.
-- Observed values of restricted (raw) tables are never stored here, only counts.
create schema if not exists quality;
comment on schema quality is 'Качество данных: результаты проверок (наборы ожиданий GX, сверки, свежесть каналов)';

create table if not exists quality.validation_runs (
    validation_id       bigserial primary key,
    run_id              text,
    check_name          text not null,
    kind                text not null check (kind in ('expectations', 'reconciliation', 'freshness')),
    suite               text not null,
    asset_key           text not null,
    relation            text,
    blocking            boolean not null,
    severity            text not null check (severity in ('error', 'warn')),
    success             boolean not null,
    evaluated           integer not null check (evaluated >= 0),
    failed              integer not null check (failed >= 0),
    failed_expectations jsonb not null default '[]',
    stats               jsonb not null default '{}',
    error               text,
    batch_hwm           bigint,
    started_at          timestamptz not null,
    finished_at         timestamptz not null
);
comment on table quality.validation_runs is 'Запуски проверок: набор, актив, успех, число проверенных и нарушенных ожиданий, нарушения с наблюдаемыми значениями';
comment on column quality.validation_runs.run_id is 'Идентификатор запуска Dagster';
comment on column quality.validation_runs.check_name is 'Имя проверки актива в Dagster';
comment on column quality.validation_runs.kind is 'Вид: expectations (набор GX), reconciliation (сверка), freshness (свежесть канала)';
comment on column quality.validation_runs.suite is 'Набор ожиданий или правило сверки';
comment on column quality.validation_runs.asset_key is 'Ключ проверенного актива Dagster, через /';
comment on column quality.validation_runs.relation is 'Проверенная таблица (схема.таблица)';
comment on column quality.validation_runs.blocking is 'Провал останавливает зависимые активы (выгрузки)';
comment on column quality.validation_runs.severity is 'Серьезность провала: error или warn';
comment on column quality.validation_runs.failed_expectations is 'Нарушенные ожидания: правило, столбец, ожидалось, наблюдалось, примеры';
comment on column quality.validation_runs.stats is 'Счетчики проверки (строк, сумм, и т. п.)';
comment on column quality.validation_runs.batch_hwm is 'Последняя зафиксированная партия загрузки на момент проверки';
create index if not exists validation_runs_asset on quality.validation_runs (asset_key, finished_at desc);
