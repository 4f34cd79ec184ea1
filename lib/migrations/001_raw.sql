-- The restricted layer: what arrived, verbatim, with lineage. Rows are only ever inserted.
create schema if not exists raw;
comment on schema raw is 'Ограниченный слой: обращения как получены, с персональными данными и происхождением';

create sequence if not exists raw.load_batch_seq;

create table if not exists raw.load_batches (
    batch_id        bigint primary key,
    loader          text not null,
    source          text,
    origin          text not null,
    origin_sha256   text,
    started_at      timestamptz not null,
    finished_at     timestamptz not null,
    lines_read      integer not null,
    blank_lines     integer not null default 0,
    loaded          integer not null,
    duplicates      integer not null,
    quarantined     integer not null,
    constraint load_batches_reconcile check (lines_read = loaded + duplicates + quarantined)
);
comment on table raw.load_batches is 'Партии загрузки: файл или запрос, сколько строк прочитано, загружено, пропущено как дубликаты, отправлено в карантин';
create index if not exists load_batches_origin_sha on raw.load_batches (loader, origin_sha256);
create index if not exists load_batches_finished on raw.load_batches (finished_at);

create table if not exists raw.appeal_events (
    source          text not null,
    event_id        text not null,
    payload         jsonb not null,
    occurred_at     timestamptz not null,
    flags           text[] not null default '{}',
    batch_id        bigint not null references raw.load_batches,
    origin          text not null,
    line_no         integer not null,
    line_sha256     text not null,
    loaded_at       timestamptz not null,
    primary key (source, event_id)
);
comment on table raw.appeal_events is 'События appeal-event/1 как получены (payload), с происхождением: файл, строка, партия, sha256 строки';
create index if not exists appeal_events_batch on raw.appeal_events (batch_id);

create table if not exists raw.quarantine (
    quarantine_id   bigserial primary key,
    batch_id        bigint not null references raw.load_batches,
    loader          text not null,
    source          text,
    origin          text not null,
    sheet           text,
    line_no         integer,
    record_key      text,
    reason_code     text not null,
    reason          text not null,
    raw_text        text,
    raw_bytes       bytea,
    quarantined_at  timestamptz not null
);
comment on table raw.quarantine is 'Карантин: строки, которые не удалось принять, с причиной и исходным текстом';
create index if not exists quarantine_batch on raw.quarantine (batch_id);
