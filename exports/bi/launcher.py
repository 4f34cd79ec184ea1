"""`make bi`: install Superset in its own venv if missing, initialise it, start it on 127.0.0.1, add the dashboard."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
READY = ".tsur-ready"
TEMPLATE = "metadata-template.db"  # Superset's metadata right after `init`, kept beside its venv
DEFAULT_PORT = 8088
SUPERSET_CLI = "from superset.cli.main import superset; superset()"


def venv_dir() -> Path:
    """TSUR_BI_VENV, else a cache folder named after the requirements' hash: a new pin makes a new venv."""
    if os.environ.get("TSUR_BI_VENV"):
        return Path(os.environ["TSUR_BI_VENV"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tsur" / f"superset-{hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]}"


def venv_python() -> Path:
    """The Superset venv's python (it may not be installed yet)."""
    return venv_dir() / "bin" / "python"


def ensure_venv(log=print) -> Path:
    """Install the requirements into a fresh venv beside the target, then move it in place (never half-made)."""
    target = venv_dir()
    if (target / READY).exists():
        return target / "bin" / "python"
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    base = (
        os.environ.get("TSUR_BI_PYTHON")
        or shutil.which("python3.11")
        or getattr(sys, "_base_executable", sys.executable)
    )
    log(f"installing Superset into {target} (a few minutes, once)")
    started = time.monotonic()
    subprocess.run([base, "-m", "venv", str(partial)], check=True)
    install = ("install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS))
    pip = subprocess.run(
        [str(partial / "bin" / "python"), "-m", "pip", *install], capture_output=True, text=True, check=False
    )
    if pip.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        noise = "is neither a file nor a directory"
        raise SystemExit(
            "pip failed:\n"
            + "\n".join(line for line in (pip.stdout + pip.stderr).splitlines() if noise not in line)[-4000:]
        )
    # Scripts' shebangs would name the partial folder: everything here runs as `python -m`/`-c`.
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    (target / READY).write_text(f"installed in {time.monotonic() - started:.0f} s\n")
    log(f"Superset installed in {time.monotonic() - started:.0f} s")
    return target / "bin" / "python"


def bi_home() -> Path:
    """TSUR_BI_HOME, else `superset/` in the project's git-ignored home (TSUR_HOME or .tsur)."""
    if os.environ.get("TSUR_BI_HOME"):
        return Path(os.environ["TSUR_BI_HOME"])
    return Path(os.environ.get("TSUR_HOME") or HERE.parent.parent / ".tsur") / "superset"


def admin_password(home: Path) -> str:
    """TSUR_BI_ADMIN_PASSWORD, else one generated once and kept in the home folder (0600)."""
    if os.environ.get("TSUR_BI_ADMIN_PASSWORD"):
        return os.environ["TSUR_BI_ADMIN_PASSWORD"]
    path = home / "admin-password"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(18))
    return path.read_text().strip()


def superset_env(home: Path) -> dict[str, str]:
    """The environment Superset's processes run in: this config, this home, nothing of the project's venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {
        **env,
        "TSUR_BI_HOME": str(home),
        "SUPERSET_CONFIG_PATH": str(HERE / "superset_config.py"),
        "FLASK_APP": "superset.app:create_app()",
        "SUPERSET_LOAD_EXAMPLES": "no",
    }


def initialise(home: Path, password: str, log=print) -> None:
    """db upgrade, the admin user (its password set again when it changed), init; skipped when done already."""
    stamp = home / "initialised"
    digest = hashlib.sha256(password.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    python, env = str(venv_python()), superset_env(home)
    log("initialising Superset (metadata in SQLite)")

    def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [python, "-c", SUPERSET_CLI, *args], env=env, capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise SystemExit(f"superset {args[0]} failed:\n{(result.stdout + result.stderr)[-4000:]}")
        return result

    metadata, template = home / "superset.db", venv_dir() / TEMPLATE
    if not metadata.exists() and template.exists():  # a fresh home starts from the venv's initialised copy
        home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, metadata)
        cli("fab", "reset-password", "--username", "admin", "--password", password)
    else:
        fresh = not metadata.exists()
        cli("db", "upgrade")
        admin = ("--username", "admin", "--firstname", "ЦУР", "--lastname", "НАО", "--email", "admin@localhost")
        cli("fab", "create-admin", *admin, "--password", password, check=False)  # may exist already
        cli("fab", "reset-password", "--username", "admin", "--password", password)
        cli("init")
        if fresh:  # schema, roles and permissions only: no connection, nothing encrypted with this home's key
            partial = template.with_name(f"{TEMPLATE}.{os.getpid()}")
            shutil.copyfile(metadata, partial)
            partial.replace(template)
    stamp.write_text(digest)


def start_server(home: Path, port: int, log_file: Path | None = None) -> subprocess.Popen:
    """Superset under gunicorn on 127.0.0.1:port; returns when /health answers."""
    out = open(log_file or home / "superset.log", "ab")  # noqa: SIM115 — the server keeps it
    bind = (
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "3",
        "--threads",
        "4",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
    )
    proc = subprocess.Popen(
        [str(venv_python()), "-m", "gunicorn", *bind, "--no-control-socket", "superset.app:create_app()"],
        env=superset_env(home),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Superset exited with {proc.returncode}; see {out.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise SystemExit(f"Superset did not answer on port {port} in 180 s; see {out.name}")


def provision(home: Path, port: int, password: str, database_uri: str) -> tuple[str, dict]:
    """Run provision.py in the Superset venv; returns the dashboard's URL and the ids it made or updated."""
    env = {**superset_env(home), "TSUR_BI_ADMIN_PASSWORD": password, "TSUR_BI_SQLALCHEMY_URI": database_uri}
    result = subprocess.run(
        [str(venv_python()), str(HERE / "provision.py"), f"http://127.0.0.1:{port}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"provisioning failed:\n{(result.stdout + result.stderr)[-4000:]}")
    lines = result.stdout.strip().splitlines()
    return lines[-1], json.loads(lines[-2])


def main(argv: list[str] | None = None) -> None:
    """Everything `make bi` does; serves until interrupted unless --no-serve."""
    parser = argparse.ArgumentParser(prog="python -m exports.bi.launcher", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("TSUR_BI_PORT", DEFAULT_PORT)))
    parser.add_argument("--no-serve", action="store_true", help="provision, then stop Superset")
    args = parser.parse_args(argv)
    from exports.bi.connection import BiConnectionError, bi_uri, marts_present

    ensure_venv()
    try:
        uri = bi_uri()
    except BiConnectionError as exc:
        raise SystemExit(str(exc)) from None
    if not marts_present(uri):
        raise SystemExit("the marts are not built yet: run `make run` first")
    home = bi_home()
    password = admin_password(home)
    initialise(home, password)
    proc = start_server(home, args.port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop Superset with us (the finally below)
    try:
        url, _ = provision(home, args.port, password, uri)
        print(f"Superset: {url}  (user admin, password: TSUR_BI_ADMIN_PASSWORD or {home / 'admin-password'})")
        if not args.no_serve:
            print("Ctrl-C stops it.")
            proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
