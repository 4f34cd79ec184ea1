-- The raw log is append-only, enforced: UPDATE, DELETE and TRUNCATE of its tables fail for every role,
-- owner included, except inside the transaction of an audited erasure (sources/privacy/erase.py), which
-- first records its request in privacy.erasure_requests. The loader finishes its own batch row in the
-- transaction that opened it (counts are known only at the end) and nothing else.
create schema if not exists privacy;
comment on schema privacy is 'Защита персональных данных: журнал запросов на удаление (152-ФЗ) и сроков хранения, без самих данных';

create table if not exists privacy.erasure_requests (
    request_id      bigserial primary key,
    kind            text not null check (kind in ('author_key', 'appeal', 'source_row', 'retention')),
    target_sha256   text not null,
    reason          text,
    requested_by    text not null,
    db_user         text not null default session_user,
    requested_at    timestamptz not null default now(),
    finished_at     timestamptz,
    txid            bigint not null default txid_current(),
    batch_id        bigint,
    appeals         integer,
    rows_changed    jsonb not null default '{}'
);
comment on table privacy.erasure_requests is 'Запросы на удаление персональных данных и очистку текстов по сроку хранения: кто, когда, что (хеш цели), сколько строк изменено';
comment on column privacy.erasure_requests.kind is 'Что удаляется: author_key (все данные автора), appeal (обращение), source_row (строка файла), retention (тексты по сроку хранения)';
comment on column privacy.erasure_requests.target_sha256 is 'SHA-256 цели запроса (ключа автора, обращения, строки); сама цель не хранится';
comment on column privacy.erasure_requests.reason is 'Основание (номер заявления, срок хранения), без персональных данных';
comment on column privacy.erasure_requests.requested_by is 'Кто выполнил (пользователь ОС или TSUR_OPERATOR)';
comment on column privacy.erasure_requests.batch_id is 'Партия-отметка в raw.load_batches: сборка после нее пересчитывает витрины';
comment on column privacy.erasure_requests.rows_changed is 'Сколько строк изменено по таблицам слоя raw';
create index if not exists erasure_requests_txid on privacy.erasure_requests (txid) where finished_at is null;

alter table raw.load_batches add column if not exists opened_txid bigint default txid_current();
alter table raw.load_batches add column if not exists loaded_by text default current_user;
comment on column raw.load_batches.loaded_by is 'Роль базы данных, которая записала партию (загрузчик работает как tsur_loader)';

-- Security definer: the roles that fire it cannot read the requests, and need not.
create or replace function raw.reject_changes() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if tg_op <> 'TRUNCATE' and exists (select from privacy.erasure_requests
                                       where txid = txid_current() and finished_at is null) then
        return case when tg_level = 'ROW' then coalesce(new, old) else null end;
    end if;
    -- The loader writes its batch's counts at the end of the transaction that opened the batch.
    if tg_table_name = 'load_batches' and tg_op = 'UPDATE' and tg_level = 'ROW' then
        -- Nested: PL/pgSQL may evaluate every operand, and only this table has the column.
        if old.opened_txid = txid_current() and new.batch_id = old.batch_id
                and new.opened_txid = old.opened_txid then
            return new;
        end if;
    end if;
    raise exception 'raw.% is append-only: % is refused (only `tsur erase` may blank personal data)',
        tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['appeal_events', 'source_rows', 'quarantine', 'appeal_labels', 'classifier_runs',
                             'classifier_models', 'other_topic_runs', 'other_topics', 'other_topic_members']
    loop
        execute format('drop trigger if exists append_only on raw.%I', t);
        execute format('create trigger append_only before update or delete on raw.%I'
                       ' for each statement execute function raw.reject_changes()', t);
        execute format('drop trigger if exists append_only_truncate on raw.%I', t);
        execute format('create trigger append_only_truncate before truncate on raw.%I'
                       ' for each statement execute function raw.reject_changes()', t);
    end loop;
end
$$;
drop trigger if exists append_only on raw.load_batches;
create trigger append_only before update or delete on raw.load_batches
    for each row execute function raw.reject_changes();
drop trigger if exists append_only_truncate on raw.load_batches;
create trigger append_only_truncate before truncate on raw.load_batches
    for each statement execute function raw.reject_changes();
