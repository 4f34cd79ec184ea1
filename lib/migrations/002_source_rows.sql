-- Snapshot sources (ПОС and ИМ exports, СЭД cards, Open311 requests): each row as read, one row per
-- appeal per snapshot. Events are derived from successive snapshots in dbt; nothing here is updated.
create table if not exists raw.source_rows (
    source          text not null,
    channel         text not null,
    appeal_id       text not null,
    exported_at     timestamptz not null,
    record          jsonb not null,
    payload         jsonb not null,
    flags           text[] not null default '{}',
    origin          text not null,
    sheet           text,
    line_no         integer,
    line_sha256     text not null,
    batch_id        bigint not null references raw.load_batches,
    loaded_at       timestamptz not null,
    primary key (source, appeal_id, exported_at)
);
comment on table raw.source_rows is 'Строки выгрузок (ПОС, ИМ, СЭД, Open311) как прочитаны: payload — заголовок → значение, record — поля в словаре хранилища';
create index if not exists source_rows_batch on raw.source_rows (batch_id);
