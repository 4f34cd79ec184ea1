-- Write–audit–publish: the current build writes the marts to marts_build; when every blocking check passed
-- there they are published as `marts` in one schema swap (orchestration/publish.py). One row per publication.
create table if not exists quality.publications (
    publication_id  bigserial primary key,
    run_id          text,
    published_at    timestamptz not null default now(),
    as_of           timestamptz,
    batch_hwm       bigint,
    relations       integer not null check (relations >= 0),
    checks_passed   integer not null check (checks_passed >= 0)
);
comment on table quality.publications is 'Публикации витрин: сборка прошла блокирующие проверки в marts_build и стала схемой marts';
comment on column quality.publications.publication_id is 'Номер публикации';
comment on column quality.publications.run_id is 'Запуск Dagster, который собрал и опубликовал витрины';
comment on column quality.publications.published_at is 'Когда витрины стали видны BI (переключение схем)';
comment on column quality.publications.as_of is 'Момент, на который собраны витрины (as_of сборки)';
comment on column quality.publications.batch_hwm is 'Последняя партия загрузки, которую видела сборка';
comment on column quality.publications.relations is 'Сколько таблиц и представлений опубликовано';
comment on column quality.publications.checks_passed is 'Сколько проверок этого запуска прошло перед публикацией';
