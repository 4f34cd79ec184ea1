-- Deadline alerts to the responsible bodies (exports/alerts): which appeal was reported to which body, in which
-- state and against which deadline. An appeal is alerted once per (appeal, state, deadline): the same state at
-- the next build is not sent again, a new state (due_soon → overdue) or a moved deadline (extension, redirect)
-- is. Rows are only ever inserted: this is the record of what the bodies were told; a trigger refuses changes.
-- No personal data: appeal keys and body codes only, like the mart the alerts are read from.
-- Schema reports comes from 004_reports.sql (no CREATE SCHEMA here: it checks a database privilege).

create table if not exists reports.deadline_alerts (
    appeal_key        text not null,
    state             text not null check (state in ('due_soon', 'overdue')),
    due_at            timestamptz not null,
    agency_code       text,
    first_alerted_at  timestamptz not null,
    as_of             timestamptz not null,
    emailed           boolean not null,
    recipients        integer not null default 0 check (recipients >= 0),
    primary key (appeal_key, state, due_at),
    check (emailed or recipients = 0)
);
comment on table reports.deadline_alerts is 'Оповещения органов о сроках: какое обращение, в каком состоянии и с каким сроком сообщено ответственному органу; одно оповещение на обращение, состояние и срок';
comment on column reports.deadline_alerts.appeal_key is 'Ключ обращения: источник/номер (marts.mart_deadline_control)';
comment on column reports.deadline_alerts.state is 'Состояние: due_soon — срок истекает не позднее чем через 1 рабочий день; overdue — срок истек, обращение в работе';
comment on column reports.deadline_alerts.due_at is 'Срок ответа, о котором сообщено (новый срок после продления или перенаправления — новое оповещение)';
comment on column reports.deadline_alerts.agency_code is 'Код ответственного органа на момент оповещения; пусто — орган не назначен (список unassigned, дежурный ЦУР)';
comment on column reports.deadline_alerts.first_alerted_at is 'Когда оповещение отправлено (записано) впервые';
comment on column reports.deadline_alerts.as_of is 'Мировое время сборки витрины (_built_as_of), по которой определено состояние';
comment on column reports.deadline_alerts.emailed is 'Список отправлен органу по электронной почте (нет — почта не настроена или у органа нет адреса: только файл)';
comment on column reports.deadline_alerts.recipients is 'Число адресов, принявших письмо (0 — письмо не отправлялось)';
create index if not exists deadline_alerts_agency on reports.deadline_alerts (agency_code, first_alerted_at);

-- What was reported is not rewritten: a retry inserts the rows it could not insert before, nothing else.
create or replace function reports.deadline_alerts_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'reports.deadline_alerts is append-only: % is not allowed', tg_op;
end
$$;
drop trigger if exists deadline_alerts_append_only on reports.deadline_alerts;
create trigger deadline_alerts_append_only before update or delete on reports.deadline_alerts
    for each row execute function reports.deadline_alerts_append_only();
drop trigger if exists deadline_alerts_no_truncate on reports.deadline_alerts;
create trigger deadline_alerts_no_truncate before truncate on reports.deadline_alerts
    for each statement execute function reports.deadline_alerts_append_only();
