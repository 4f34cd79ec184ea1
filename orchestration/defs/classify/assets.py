"""Structuring appeals in the restricted layer: labels for appeals without codes, the trained model, and the
topics of the «прочие» buckets. Texts are read here and nowhere else; only codes and lemma names leave."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource
from sources.classify import run, store, topics

LOADS = [
    ["raw", "appeal_events"],
    ["raw", "pos_exports"],
    ["raw", "incident_exports"],
    ["raw", "sed_letters"],
    ["raw", "open311_requests"],
]
FCT_APPEALS = get_asset_key_for_model([tsur_dbt_assets], "fct_appeals")


@dg.asset(
    key=["raw", "appeal_labels"],
    deps=LOADS,
    group_name="intermediate",
    kinds={"postgres", "python"},
    description="Категории обращений без кода источника: известные рубрикаторы, рубрика и текст "
    "(словарь лемм, эмбеддинги, обученная модель), пороги блоков, очередь разметки.",
)
def raw_appeal_labels(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Classifies the appeals that new load batches touched (all of them for a new model version)."""
    wh = warehouse.get()
    with wh.connect("loader") as read_conn, wh.connect("loader") as write_conn:
        report = run.classify_new(read_conn, write_conn)
    context.log.info(report.line())
    return dg.MaterializeResult(
        metadata={
            "model_version": report.model_version,
            "input_hwm": report.input_hwm,
            "batch_id": report.batch_id or 0,
            "considered": report.considered,
            "written": report.written,
            **{f"method_{k}": v for k, v in sorted(report.methods.items())},
        }
    )


@dg.asset(
    key=["raw", "classifier_models"],
    deps=[FCT_APPEALS],
    group_name="intermediate",
    kinds={"postgres", "scikitlearn"},
    description="Обучение модели на обращениях с известной категорией (код, соответствие, решение "
    "оператора); версия с числом примеров и перекрестной проверкой.",
)
def raw_classifier_models(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Trains a new model version when there is none or the known appeals grew by a tenth."""
    wh = warehouse.get()
    with wh.connect("transformer") as conn, wh.connect("loader") as write_conn:
        outcome = run.train(conn, write_conn=write_conn)
    context.log.info(str(outcome))
    return dg.MaterializeResult(
        metadata={k: (v if isinstance(v, (int, str, bool)) else str(v)) for k, v in outcome.items()}
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "other_topic_runs"], deps=[FCT_APPEALS]),
        dg.AssetSpec(["raw", "other_topics"], deps=[FCT_APPEALS]),
        dg.AssetSpec(["raw", "other_topic_members"], deps=[FCT_APPEALS]),
    ],
    group_name="intermediate",
    description="Декомпозиция «прочих по направлению» (п. 21): темы из текстов каждой корзины.",
)
def raw_other_topics(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Clusters each sector's «прочие» texts into topics named by their lemmas."""
    wh = warehouse.get()
    with wh.connect("transformer") as conn, wh.connect("loader") as write_conn:
        outcome = topics.decompose(conn, store.input_hwm(conn), write_conn=write_conn)
    context.log.info(str(outcome))
    for key in (["raw", "other_topic_runs"], ["raw", "other_topics"], ["raw", "other_topic_members"]):
        yield dg.MaterializeResult(asset_key=key, metadata=outcome)


classify_assets = [raw_appeal_labels, raw_classifier_models, raw_other_topics]
