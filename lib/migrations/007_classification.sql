-- What the classifier decided, kept like a load: one batch per classification run (raw.load_batches, loader
-- 'classifier'), each label a row of it. Labels are only ever added; the build reads each appeal's latest
-- label within its batch_hwm, so a past report rebuilt with its batch_hwm shows the categories it showed.
-- They live here, in the restricted layer, because texts are read to make them; they hold no text.
create table if not exists raw.appeal_labels (
    source          text not null,
    appeal_id       text not null,
    input_sha256    text not null,
    model_version   text not null,
    category_code   text not null,
    sector_code     text not null,
    confidence      numeric(5, 4) not null check (confidence between 0 and 1),
    method          text not null check (method in ('category_map', 'rubric_name', 'text_model', 'fallback')),
    needs_review    boolean not null,
    guesses         jsonb not null default '[]',
    batch_id        bigint not null references raw.load_batches,
    loaded_at       timestamptz not null,
    primary key (source, appeal_id, batch_id)
);
comment on table raw.appeal_labels is 'Решения классификатора: категория, уверенность, способ, версия модели, три лучших варианта; без текста';
create index if not exists appeal_labels_batch on raw.appeal_labels (batch_id);

-- Each classification run: its batch, the model version it used and the last load batch it read. The next
-- run of the same version reads only the appeals that later batches touched.
create table if not exists raw.classifier_runs (
    batch_id        bigint primary key references raw.load_batches,
    model_version   text not null,
    input_hwm       bigint not null
);
create index if not exists classifier_runs_version on raw.classifier_runs (model_version, input_hwm);

-- Every trained model, with what it learnt from and how well it did in cross-validation. The artifact is
-- arrays in an npz blob (vocabularies, idf, coefficients): loading it runs no code.
create table if not exists raw.classifier_models (
    model_version     text primary key,
    created_at        timestamptz not null,
    trained_on_hwm    bigint not null,
    training_appeals  integer not null,
    class_counts      jsonb not null,
    cv                jsonb not null,
    params            jsonb not null,
    artifact          bytea not null
);
comment on table raw.classifier_models is 'Обученные модели классификатора: на чем обучены, перекрестная проверка, параметры, массивы модели';

-- «Прочие по направлению» decomposed (п. 21 Положения): each run clusters every sector's bucket texts into
-- topics named by their most telling lemmas (never people's names, never a lemma of fewer than 3 appeals).
create table if not exists raw.other_topic_runs (
    run_id          bigserial primary key,
    computed_at     timestamptz not null,
    batch_hwm       bigint not null,
    appeals         integer not null,
    params          jsonb not null
);
create table if not exists raw.other_topics (
    run_id          bigint not null references raw.other_topic_runs,
    sector_code     text not null,
    topic_no        integer not null,
    label           text not null,
    top_lemmas      text[] not null,
    appeals         integer not null,
    primary key (run_id, sector_code, topic_no)
);
create table if not exists raw.other_topic_members (
    run_id          bigint not null references raw.other_topic_runs,
    source          text not null,
    appeal_id       text not null,
    sector_code     text not null,
    topic_no        integer not null,
    primary key (run_id, source, appeal_id)
);
comment on table raw.other_topics is 'Темы внутри «прочих по направлению»: метка из характерных лемм, число обращений';
comment on table raw.other_topic_members is 'Какое обращение «прочих» к какой теме отнесено';
