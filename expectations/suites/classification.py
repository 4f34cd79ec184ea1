"""The classifier's output: raw.appeal_labels (restricted: counts only) and the two BI marts it feeds."""

from expectations.reference import contract_types, seed_values
from expectations.suite import Suite, between, columns, dates, in_set, no_rows, not_null, shares, unique

METHODS = ("category_map", "rubric_name", "text_model", "fallback")

LABELS = Suite(
    name="raw_appeal_labels",
    relation="raw.appeal_labels",
    asset=("raw", "appeal_labels"),
    restricted=True,
    description="Решения классификатора: ключ, категория из справочника и ее блок, уверенность 0–1, способ.",
    expectations=(
        *columns(
            {
                "source": "text",
                "appeal_id": "text",
                "input_sha256": "text",
                "model_version": "text",
                "category_code": "text",
                "sector_code": "text",
                "confidence": "numeric(5, 4)",
                "method": "text",
                "needs_review": "boolean",
                "guesses": "jsonb",
                "batch_id": "bigint",
                "loaded_at": "timestamp with time zone",
            }
        ),
        *not_null(
            "source",
            "appeal_id",
            "input_sha256",
            "model_version",
            "category_code",
            "sector_code",
            "confidence",
            "method",
            "needs_review",
            "batch_id",
            "loaded_at",
        ),
        unique("source", "appeal_id", "batch_id"),
        in_set("category_code", seed_values("categories", "category_code")),
        in_set("method", METHODS),
        between("confidence", 0, 1, note="уверенность от 0 до 1"),
        *dates("loaded_at"),
        no_rows(
            "source, appeal_id, category_code, sector_code",
            "(category_code, sector_code) not in (select category_code, sector_code from reference.categories)",
            "блок решения — блок его категории",
        ),
        no_rows(
            "source, appeal_id, batch_id",
            "batch_id not in (select batch_id from raw.load_batches where loader = 'classifier')",
            "решение записано пакетом классификатора",
        ),
    ),
)

REVIEW = Suite(
    name="mart_classification_review",
    relation="marts.mart_classification_review",
    model="mart_classification_review",
    blocking=True,
    description="Очередь разметки: обращение один раз, варианты из справочника, уверенности 0–1.",
    expectations=(
        *columns(contract_types("mart_classification_review")),
        *not_null("sector_code", "category_code", "category_method"),
        *[in_set(f"guess_{n}_code", seed_values("categories", "category_code")) for n in (1, 2, 3)],
        *shares("category_confidence", "guess_1_confidence", "guess_2_confidence", "guess_3_confidence"),
    ),
    deps=("fct_appeals", "int_appeal_categories"),
)

TOPICS = Suite(
    name="mart_other_topics",
    relation="marts.mart_other_topics",
    model="mart_other_topics",
    blocking=True,
    description="Темы «прочих»: тема и месяц один раз, неотрицательные счета, доли 0–1, прирост = разность.",
    expectations=(
        *columns(contract_types("mart_other_topics")),
        *not_null("topic_no", "topic_label", "month", "appeals", "growth"),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        between("appeals", 0, note="обращений не меньше нуля"),
        *shares("share_of_bucket"),
        no_rows(
            "sector_code, topic_no, month",
            "growth <> appeals - previous_month_appeals",
            "прирост = обращений за месяц − за предыдущий",
        ),
    ),
    deps=("fct_appeals",),
)

MODELS = Suite(
    name="mart_classifier_models",
    relation="marts.mart_classifier_models",
    model="mart_classifier_models",
    blocking=True,
    description="Версии модели: версия один раз, число примеров положительно, доли перекрестной проверки 0–1.",
    expectations=(
        *columns(contract_types("mart_classifier_models")),
        *not_null("created_at", "training_appeals", "classes"),
        between("training_appeals", 1, note="модель обучена хотя бы на одном обращении"),
        *shares("cv_sector_accuracy", "cv_sector_macro_f1", "cv_category_accuracy", "cv_category_macro_f1"),
    ),
)

# The restricted tables around the labels: counts and keys only, like every raw suite.
RAW = (
    Suite(
        name="raw_classifier_runs",
        relation="raw.classifier_runs",
        asset=("raw", "appeal_labels"),
        restricted=True,
        description="Запуски классификатора: пакет, версия, последняя прочитанная партия.",
        expectations=(
            *not_null("batch_id", "model_version", "input_hwm"),
            unique("batch_id"),
            no_rows("batch_id, input_hwm", "input_hwm >= batch_id", "прочитаны только более ранние партии"),
        ),
    ),
    Suite(
        name="raw_classifier_models",
        relation="raw.classifier_models",
        asset=("raw", "classifier_models"),
        restricted=True,
        description="Обученные модели: версия один раз, массивы модели на месте.",
        expectations=(
            *not_null("model_version", "created_at", "training_appeals", "artifact"),
            unique("model_version"),
            between("training_appeals", 1, note="обучена на обращениях"),
        ),
    ),
    Suite(
        name="raw_other_topic_runs",
        relation="raw.other_topic_runs",
        asset=("raw", "other_topic_runs"),
        restricted=True,
        description="Запуски декомпозиции «прочих».",
        expectations=(*not_null("run_id", "computed_at", "batch_hwm", "appeals"), unique("run_id")),
    ),
    Suite(
        name="raw_other_topics",
        relation="raw.other_topics",
        asset=("raw", "other_topics"),
        restricted=True,
        description="Темы «прочих»: тема один раз в запуске, блок из справочника, число обращений положительно.",
        expectations=(
            *not_null("run_id", "sector_code", "topic_no", "label", "appeals"),
            unique("run_id", "sector_code", "topic_no"),
            in_set("sector_code", seed_values("sectors", "sector_code")),
            between("appeals", 1, note="в теме есть обращения"),
        ),
    ),
    Suite(
        name="raw_other_topic_members",
        relation="raw.other_topic_members",
        asset=("raw", "other_topic_members"),
        restricted=True,
        description="Отнесение к темам: обращение один раз в запуске, тема существует.",
        expectations=(
            *not_null("run_id", "source", "appeal_id", "sector_code", "topic_no"),
            unique("run_id", "source", "appeal_id"),
            no_rows(
                "run_id, sector_code, topic_no",
                "(run_id, sector_code, topic_no) not in (select run_id, sector_code, topic_no from raw.other_topics)",
                "тема существует",
            ),
        ),
    ),
)
