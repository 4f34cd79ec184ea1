"""Superset settings for the ЦУР dashboard: metadata and secret key under TSUR_BI_HOME, never in git."""

import os
import secrets
from pathlib import Path

_home = Path(os.environ["TSUR_BI_HOME"])
_home.mkdir(parents=True, exist_ok=True)
_home.chmod(0o700)  # metadata holds the connection (password encrypted with the key beside it)
_key_file = _home / "secret.key"
if not _key_file.exists():
    _fd = os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(_fd, "w") as _fh:
        _fh.write(secrets.token_urlsafe(48))

SECRET_KEY = _key_file.read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_home / 'superset.db'}?check_same_thread=false"
DATA_DIR = str(_home)
BABEL_DEFAULT_LOCALE = "ru"
LANGUAGES = {"ru": {"flag": "ru", "name": "Русский"}, "en": {"flag": "us", "name": "English"}}
# On loopback, no Celery or Redis: simple caches and synchronous queries.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
# Chart data in files under the home, shared by the gunicorn workers (a rebuild shows within 5 minutes).
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "FileSystemCache",
    "CACHE_DIR": str(_home / "cache"),
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_THRESHOLD": 2000,
}
FILTER_STATE_CACHE_CONFIG = CACHE_CONFIG
EXPLORE_FORM_DATA_CACHE_CONFIG = CACHE_CONFIG
RATELIMIT_STORAGE_URI = "memory://"
TALISMAN_ENABLED = False
WTF_CSRF_ENABLED = True
# Charts pick the latest month with a subquery in their filters; every chart loads at once, not on scrolling.
FEATURE_FLAGS = {"ALLOW_ADHOC_SUBQUERY": True, "ENABLE_TEMPLATE_PROCESSING": False, "DASHBOARD_VIRTUALIZATION": False}
# Numbers as Russians write them: 12 345,6 (browser_check.py reads them back).
D3_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]}
SQLLAB_CTAS_NO_LIMIT = False
PREVENT_UNSAFE_DB_CONNECTIONS = True
LOG_LEVEL = os.environ.get("TSUR_BI_LOG_LEVEL", "WARNING")
# Served on loopback: compressing the multi-megabyte JS bundles on every request costs more than it saves.
COMPRESS_REGISTER = False
