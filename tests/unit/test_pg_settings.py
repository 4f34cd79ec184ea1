"""The embedded server's settings follow the machine, and the project's file is included once."""

from lib.pg_settings import CONF_NAME, INCLUDE, sized_settings, write_settings

GB = 1 << 30


def test_settings_are_sized_by_memory():
    small, here, big = sized_settings(2 * GB), sized_settings(24 * GB), sized_settings(256 * GB)
    assert small["shared_buffers"] == "512MB" and here["shared_buffers"] == "6144MB"
    assert big["shared_buffers"] == "8192MB"  # capped: the OS cache does the rest
    assert small["maintenance_work_mem"] == "128MB" and big["maintenance_work_mem"] == "1024MB"
    assert not {"random_page_cost", "effective_cache_size"} & set(here)  # plans stay PostgreSQL's
    assert sized_settings(256 << 20)["shared_buffers"] == "128MB"  # never below PostgreSQL's own default


def test_the_file_is_rewritten_and_included_once(tmp_path):
    (tmp_path / "postgresql.conf").write_text("max_connections = 100\n")
    write_settings(tmp_path, 4 * GB)
    write_settings(tmp_path, 8 * GB)
    conf = (tmp_path / "postgresql.conf").read_text()
    assert conf.count(INCLUDE) == 1 and conf.startswith("max_connections = 100\n")
    assert "shared_buffers = '2048MB'" in (tmp_path / CONF_NAME).read_text()
