"""Personal data on a sample year run through the Dagster job: nothing of the sample's people outside raw,
the BI role reads the marts only, and rotating the pseudonym key changes every key and no figure."""

import hashlib
import hmac
import re
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from lib import pii
from lib.roles import ensure_roles, scram_verifier
from orchestration.defs.transform.assets import dbt_run_config
from sources.sample import build_world, generate_sample
from tests.conftest import TEST_PII_KEY, fresh_database, project_env
from tests.dbroles import connect_as, is_denied, private_roles
from tests.pii_scan import PiiScanner, sample_identities

pytestmark = pytest.mark.slow
SCALE = 0.05
AS_OF = datetime(2026, 1, 25, tzinfo=UTC)
BI_PASSWORD = "bi-password-for-tests"


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at scale 0.05, loaded, built and exported by the tsur_all job, with the roles made
    before the build so that dbt grants the marts to BI."""
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs

    with (
        fresh_database(server_url) as url,
        project_env(url, tmp_path_factory.mktemp("pd")),
        private_roles(url, server_url) as names,
    ):
        warehouse = Warehouse().start()
        generate_sample(warehouse.settings.landing_dir, scale=SCALE)
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
            conn.execute(
                sql.SQL("alter role {} login password {}").format(
                    sql.Identifier(names.bi), sql.Literal(scram_verifier(BI_PASSWORD))
                )
            )
        result = defs.resolve_job_def("tsur_all").execute_in_process(
            run_config=dbt_run_config(defs.resolve_job_def("tsur_all"), as_of=AS_OF.isoformat())
        )
        assert result.success
        # As `tsur run`: the model trained at the end of the run labels and builds again at once.
        build = defs.resolve_job_def("tsur_build")
        assert build.execute_in_process(run_config=dbt_run_config(build, as_of=AS_OF.isoformat())).success
        yield warehouse, names, build_world(2025, 20251, SCALE)


def pseudonymous_session(warehouse) -> psycopg.Connection:
    """A session that can read the staging views: they compute pseudonyms with the key's pads."""
    return psycopg.connect(warehouse.url(), options=pii.pgoptions(warehouse.settings.pii_key), autocommit=True)


def test_nothing_of_the_people_leaves_raw(built):
    warehouse, _, world = built
    scanner = PiiScanner(sample_identities(world.appeals))
    assert sum(len(v) for v in sample_identities(world.appeals).values()) > 3000
    with pseudonymous_session(warehouse) as conn:
        report = scanner.scan_schemas(conn, ["staging", "intermediate", "marts", "reference"])
        # The same scanner finds the people where they are meant to be: it is not blind.
        control = scanner.scan_schemas(conn, ["raw"])
    scanner.scan_tree(warehouse.settings.export_dir, report)
    assert report.findings == []
    assert report.relations >= 25 and report.rows > 10_000 and report.files >= 1 and report.skipped == []
    # Every kind the sample's files carry (native exports and hotline events hold no ЕСИА ids).
    assert control.kinds() >= {"name", "phone", "email", "address", "phone_shape", "email_shape"}
    print(
        f"\nPII scan: {report.relations} relations, {report.rows} rows, {report.files} export files, 0 hits;"
        f" raw (control): {len(control.findings)} hits of kinds {sorted(control.kinds())}"
    )


def test_texts_stay_in_raw_where_the_classifier_reads_them(built):
    """The classifier reads texts in raw; labels, topics, models and the review mart carry none of them."""
    warehouse, _, world = built
    texts = PiiScanner({"text": [a.text[:48] for a in world.appeals if len(a.text) >= 48]}, shapes=False)
    with pseudonymous_session(warehouse) as conn:
        outside = texts.scan_schemas(conn, ["staging", "intermediate", "marts", "reference", "quality"])
        topics = conn.execute("select count(*) from marts.mart_other_topics").fetchone()[0]
        labels = texts.scan_schemas(conn, ["raw"])
    texts.scan_tree(warehouse.settings.export_dir, outside)
    assert outside.findings == [] and topics > 0
    # Labels and topics are in raw too, and hold codes and lemmas only; the texts there are the appeals'.
    assert {f.where.split(" row")[0] for f in labels.findings} <= {
        "raw.appeal_events",
        "raw.source_rows",
        "raw.quarantine",
    }
    assert len(labels.findings) > 100


def test_bi_reads_the_marts_and_nothing_restricted(built):
    warehouse, names, _ = built
    with warehouse.connect() as conn:
        appeals = conn.execute("select count(*) from marts.fct_appeals").fetchone()[0]
    with connect_as(warehouse.url(), names.bi, BI_PASSWORD) as bi:
        assert bi.execute("select count(*) from marts.fct_appeals").fetchone()[0] == appeals > 500
        assert bi.execute("select count(*) from marts.mart_sector_monthly").fetchone()[0] > 0
        for relation in (
            "raw.appeal_events",
            "raw.source_rows",
            "raw.quarantine",
            "raw.load_batches",
            "staging.stg_events__appeal_events",
            "intermediate.int_appeal_events",
            "intermediate.int_appeals__folded",
        ):
            assert is_denied(bi, f"select * from {relation} limit 1"), relation


def _normalized(text: str | None) -> str | None:
    if text is None:
        return None
    value = re.sub(r"[^0-9a-zа-я]+", " ", text.lower().replace("ё", "е")).strip()
    return value or None


def author_identity(author: dict) -> str | None:
    """Who wrote, by the rule the warehouse documents: phone, else e-mail, else the source's id, else name."""
    phone = re.sub(r"^8(\d{10})$", r"7\1", re.sub(r"\D", "", author.get("phone") or ""))
    if phone:
        return "phone:" + phone
    if (author.get("email") or "").strip():
        return "email:" + author["email"].strip().lower()
    if (author.get("id") or "").strip():
        return "id:" + author["id"].strip()
    name = _normalized(author.get("name"))
    return "name:" + name if name else None


# What each native export carries of its author (sources/sample/*_export.py, sed_csv.py); Open311 requests
# carry none (GeoReport v2 publishes no requester), hotline events the whole author.
EXPORTED_AUTHOR = {"medialogia-im": ("name",), "sed-nao": ("name",), "epgu-pos": ("name", "phone", "email")}


def exported_author(appeal) -> dict:
    if appeal.source.startswith("open311-"):
        return {}
    fields = EXPORTED_AUTHOR.get(appeal.source)
    return appeal.author if fields is None else {k: v for k, v in appeal.author.items() if k in fields}


def exported_address(appeal) -> str | None:
    """ИМ exports have no address; a СЭД card has the correspondent's postal address."""
    return {"medialogia-im": None, "sed-nao": appeal.person.address}.get(appeal.source, appeal.address)


def _hmac(key: str, value: str | None) -> str | None:
    return None if value is None else hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def test_the_pipeline_ran_with_least_privilege_and_raw_refuses_change(built):
    warehouse, names, _ = built
    with warehouse.connect() as conn:
        writers = dict(conn.execute("select loader, array_agg(distinct loaded_by) from raw.load_batches group by 1"))
        owners = conn.execute(
            "select distinct pg_get_userbyid(c.relowner) from pg_class as c join pg_namespace as n"
            " on n.oid = c.relnamespace where n.nspname in ('staging', 'intermediate', 'marts', 'reference')"
            " and c.relkind in ('r', 'v')"
        ).fetchall()
        published_by = conn.execute("select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'marts'")
        assert published_by.fetchone() == (names.transformer,)
    assert {"appeal_events", "classifier"} <= set(writers) and all(v == [names.loader] for v in writers.values())
    assert owners == [(names.transformer,)]
    # Not even the owner of raw may change it outside the audited erasure: the guard trigger refuses.
    with warehouse.connect() as conn:
        for query in (
            "update raw.appeal_events set flags = '{}'",
            "delete from raw.quarantine",
            "truncate raw.source_rows",
            "update raw.load_batches set loaded = loaded",
            "delete from raw.appeal_labels",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(query)
            conn.rollback()


def test_rotating_the_key_changes_every_pseudonym_and_no_figure(built, capsys):
    """Runs last in this module: it rebuilds the warehouse under a new key."""
    from orchestration.cli import main

    warehouse, names, world = built
    figures = "select {} from marts.{} order by 1"
    with warehouse.connect() as conn:
        before = {r[0]: r for r in conn.execute("select appeal_key, author_key, address_key from marts.fct_appeals")}
        cols = [
            c
            for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = 'marts'"
                " and table_name = 'fct_appeals' and column_name not in ('author_key', 'address_key')"
                " order by ordinal_position"
            )
        ]
        facts = conn.execute(figures.format(", ".join(cols), "fct_appeals")).fetchall()
        monthly = conn.execute(figures.format("*", "mart_sector_monthly")).fetchall()
    new_key = "rotated-" + TEST_PII_KEY
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUR_PII_KEY", new_key)
        assert main(["build", "--full-refresh", "--as-of", AS_OF.isoformat()]) == 0, capsys.readouterr().err
    with warehouse.connect() as conn:
        after = {r[0]: r for r in conn.execute("select appeal_key, author_key, address_key from marts.fct_appeals")}
        assert conn.execute(figures.format(", ".join(cols), "fct_appeals")).fetchall() == facts
        assert conn.execute(figures.format("*", "mart_sector_monthly")).fetchall() == monthly
    assert after.keys() == before.keys()
    old_keys = {r[1] for r in before.values()} | {r[2] for r in before.values()}
    assert not old_keys & ({r[1] for r in after.values()} | {r[2] for r in after.values()}) - {None}
    # Each key is the HMAC of the appeal's author and address under the new key, computed here from the world.
    by_key = {f"{a.source}/{a.appeal_id}": a for a in world.appeals}
    expected = {
        k: (
            k,
            _hmac(new_key, author_identity(exported_author(by_key[k]))),
            _hmac(new_key, _normalized(exported_address(by_key[k]))),
        )
        for k in after
    }
    assert after == expected
    assert sum(r[1] is not None for r in after.values()) > 0.8 * len(after)
    assert len({r[1] for r in after.values()}) == len({r[1] for r in before.values()})  # same people, same count
    with connect_as(warehouse.url(), names.bi, BI_PASSWORD) as bi:  # the rebuilt tables are granted again
        assert bi.execute("select count(*) from marts.fct_appeals").fetchone()[0] == len(after)
