-- The raw events' batch is checked where it is cheap, not once per row. The foreign key to raw.load_batches
-- ran a lookup trigger for every event loaded: a fifth of the loader's database time at 10 × the sample year.
-- The loader writes the batch row first, in the same transaction as its events, and raw.load_batches is
-- append-only (011), so an event cannot point at a batch that is not there; the dbt source test
-- `relationships` on raw.appeal_events.batch_id checks it after every build all the same.
alter table raw.appeal_events drop constraint if exists appeal_events_batch_id_fkey;
comment on column raw.appeal_events.batch_id is 'Партия загрузки (raw.load_batches); проверяется тестом dbt, а не внешним ключом: так загрузка быстрее';
