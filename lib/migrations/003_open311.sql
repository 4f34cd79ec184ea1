-- Open311 GeoReport v2 polling. Request snapshots go to raw.source_rows (loader 'open311'); here live the
-- cursor of each endpoint, the ledger of the windows read, and the service list.

-- Where the next poll may start: every window up to window_end was read whole and stored. Advanced only in
-- the transaction that stores a window's batch, so a crash can neither skip nor double a window.
create table if not exists raw.open311_cursors (
    source          text not null,
    endpoint        text not null,
    window_end      timestamptz not null,
    batch_id        bigint references raw.load_batches,
    updated_at      timestamptz not null,
    primary key (source, endpoint)
);
comment on table raw.open311_cursors is 'Курсор опроса Open311: до какого момента (requested_datetime) окна прочитаны целиком';

-- One row per stored window batch: what was fetched against what the batch counted. Broken requests
-- already quarantined by an earlier poll are not quarantined again: objects_read = lines_read + repeated_broken.
create table if not exists raw.open311_windows (
    batch_id        bigint primary key references raw.load_batches,
    source          text not null,
    endpoint        text not null,
    window_start    timestamptz not null,
    window_end      timestamptz not null,
    pages           integer not null,
    http_requests   integer not null,
    objects_read    integer not null,
    repeated_broken integer not null,
    complete        boolean not null
);
comment on table raw.open311_windows is 'Окна опроса Open311: страницы, запросы HTTP, прочитанные объекты, повторно встреченные битые';

-- services.json as read: one row per service and distinct content; the newest loaded row is current.
create table if not exists raw.open311_services (
    source          text not null,
    service_code    text not null,
    payload         jsonb not null,
    origin          text not null,
    line_no         integer,
    line_sha256     text not null,
    batch_id        bigint not null references raw.load_batches,
    loaded_at       timestamptz not null,
    primary key (source, service_code, line_sha256)
);
comment on table raw.open311_services is 'Справочник услуг Open311 (services.json) как прочитан: service_code → service_name';
