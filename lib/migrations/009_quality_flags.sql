-- Plausibility rules flag odd rows instead of stopping the reporting (expectations/plausibility.py): each
-- offending row is kept here with the value seen, when it was first and last seen, and when it stopped
-- offending. A rule blocks only when the share of its rows passes its limit (a systematic break).
alter table quality.validation_runs drop constraint if exists validation_runs_kind_check;
alter table quality.validation_runs add constraint validation_runs_kind_check
    check (kind in ('expectations', 'reconciliation', 'freshness', 'plausibility'));

create table if not exists quality.flagged_rows (
    rule            text not null,
    relation        text not null,
    row_key         text not null,
    value_seen      text,
    first_seen_at   timestamptz not null,
    first_batch     bigint,
    last_seen_at    timestamptz not null,
    resolved_at     timestamptz,
    primary key (rule, relation, row_key)
);
comment on table quality.flagged_rows is 'Правдоподобие: строки, отмеченные правилом (не блокируют отчетность), со значением, первым и последним обнаружением';
comment on column quality.flagged_rows.rule is 'Правило правдоподобия (expectations/plausibility.py)';
comment on column quality.flagged_rows.relation is 'Проверенная таблица';
comment on column quality.flagged_rows.row_key is 'Ключ строки (для обращений — источник/номер)';
comment on column quality.flagged_rows.value_seen is 'Значение, которое показалось неправдоподобным';
comment on column quality.flagged_rows.first_seen_at is 'Когда строка отмечена впервые';
comment on column quality.flagged_rows.first_batch is 'Последняя партия загрузки на момент первой отметки';
comment on column quality.flagged_rows.last_seen_at is 'Когда строка была отмечена в последний раз';
comment on column quality.flagged_rows.resolved_at is 'Когда строка перестала нарушать правило (исправлена источником); пусто — нарушает';
