-- What the warehouse reported, and when: each monthly report's headline figures, kept per revision so that
-- later restatements can be shown against the figures as first reported. Rows are only ever inserted.
create schema if not exists reports;
comment on schema reports is 'Отчетность: показатели в том виде, в каком они были сообщены (ревизии)';

create table if not exists reports.kpi_snapshots (
    period          text not null,
    revision        integer not null check (revision >= 1),
    slice_kind      text not null,
    slice_code      text not null,
    indicator       text not null,
    value           numeric,
    as_of           timestamptz not null,
    batch_hwm       bigint not null,
    source_schema   text not null,
    recorded_at     timestamptz not null default now(),
    primary key (period, revision, slice_kind, slice_code, indicator)
);
comment on table reports.kpi_snapshots is 'Показатели отчетов по ревизиям: период, разрез, показатель, значение и момент знания (as_of, batch_hwm), на котором они посчитаны';
comment on column reports.kpi_snapshots.period is 'Отчетный период: 2025-10 (месяц), 2025-Q4, 2025';
comment on column reports.kpi_snapshots.revision is 'Ревизия отчета за период: 1 — как сообщено впервые; новая ревизия — только если цифры изменились';
comment on column reports.kpi_snapshots.slice_kind is 'Разрез: region (округ) или sector (отраслевой блок)';
comment on column reports.kpi_snapshots.slice_code is 'Код разреза: nao или код отраслевого блока';
comment on column reports.kpi_snapshots.indicator is 'Код показателя (marts.dim_kpis)';
comment on column reports.kpi_snapshots.value is 'Значение показателя в этой ревизии (пусто — не определено, например доля без знаменателя)';
comment on column reports.kpi_snapshots.as_of is 'Мировое время сборки: учтены события, произошедшие до этого момента';
comment on column reports.kpi_snapshots.batch_hwm is 'Время знания: последняя партия загрузки, видимая сборке';
comment on column reports.kpi_snapshots.source_schema is 'Схема витрин, из которой взяты цифры (например marts__asof_2025_10)';
comment on column reports.kpi_snapshots.recorded_at is 'Когда ревизия записана';
