"""The embedded PostgreSQL: binaries from the pgserver wheel, data under TSUR_HOME, shared by processes.

pgserver itself only listens on a Unix socket; BI tools need TCP too, so the server is run here with
pgserver's binaries and our own options: the socket for the project, 127.0.0.1:<free port> for people.
Each process that uses the server holds a handle; the last one out stops a server it did not leave
running on purpose (`tsur db start`).
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import importlib.util
import json
import os
import socket
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib.pg_settings import write_settings

DATABASE = "tsur"
SUPERUSER = "postgres"
_RUN_AS = "pgserver"  # postgres refuses to run as root; pgserver's convention for that user


@dataclass(frozen=True)
class Postmaster:
    pid: int
    port: int
    socket_dir: Path
    ready: bool


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pg_bin_dir() -> Path:
    """PostgreSQL binaries shipped in the pgserver wheel (found without importing pgserver's server code)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pgserver package is not installed: run `make run` or `pip install -e .`")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _locale() -> str:
    """C.UTF-8 where the system has it (Cyrillic sorts by letter, not byte); plain C otherwise.
    The models never rely on the locale for meaning, only people's sorting does."""
    import locale

    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
        return "C.UTF-8"
    except locale.Error:
        return "C"
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class EmbeddedPostgres:
    """One PostgreSQL cluster under `<home>/pg`."""

    def __init__(self, home: Path):
        self.root = home / "pg"
        self.pgdata = self.root / "data"
        self.log_file = self.root / "server.log"
        self._handles = self.root / "handles.json"
        self._lock = self.root / "lock"
        self._port_file = self.root / "port"
        self._registered = False

    # --- process handles -------------------------------------------------
    @contextmanager
    def _locked(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self._lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_state(self) -> dict:
        state = json.loads(self._handles.read_text()) if self._handles.exists() else {}
        pids = [p for p in state.get("pids", []) if _pid_alive(p)]
        return {"persistent": bool(state.get("persistent")), "pids": pids}

    def _write_state(self, state: dict) -> None:
        self._handles.write_text(json.dumps(state))

    def acquire(self, persistent: bool = False) -> Postmaster:
        """Start the server if needed and hold it for this process (or for good, if persistent)."""
        with self._locked():
            state = self._read_state()
            info = self.postmaster()
            if info is None:
                info = self._start()
                state["persistent"] = False
            if persistent:
                state["persistent"] = True
            elif os.getpid() not in state["pids"]:
                state["pids"].append(os.getpid())
                if not self._registered:
                    atexit.register(self.release)
                    self._registered = True
            self._write_state(state)
            return info

    def release(self) -> None:
        """Drop this process's handle; stop the server when nobody holds it."""
        with self._locked():
            state = self._read_state()
            state["pids"] = [p for p in state["pids"] if p != os.getpid()]
            self._write_state(state)
            if not state["pids"] and not state["persistent"] and self.postmaster() is not None:
                self._pg_ctl(["-m", "fast", "-w", "stop"])

    def stop(self) -> bool:
        """Stop the server now, whoever holds it. Returns False if it was not running."""
        with self._locked():
            self._write_state({"persistent": False, "pids": []})
            if self.postmaster() is None:
                return False
            self._pg_ctl(["-m", "fast", "-w", "stop"])
            return True

    # --- server ----------------------------------------------------------
    def postmaster(self) -> Postmaster | None:
        pid_file = self.pgdata / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
        except FileNotFoundError:
            return None
        if len(lines) < 8 or not _pid_alive(int(lines[0])):
            return None
        return Postmaster(int(lines[0]), int(lines[3]), Path(lines[4]), lines[7].strip() == "ready")

    def url(self, database: str = DATABASE, user: str = SUPERUSER, driver: str = "postgresql") -> str:
        info = self.postmaster()
        if info is None:
            raise RuntimeError("the embedded PostgreSQL is not running")
        return f"{driver}://{user}@/{database}?host={info.socket_dir}&port={info.port}"

    def _run_as(self) -> str | None:
        return _RUN_AS if os.geteuid() == 0 else None

    def _prepare_root_user(self) -> None:
        """Postgres will not run as root: run it as an unprivileged user who can reach its files."""
        import pwd

        try:
            entry = pwd.getpwnam(_RUN_AS)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", _RUN_AS],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(_RUN_AS)
        for target in (self.root, pg_bin_dir()):
            for parent in target.parents:  # let that user traverse down to our folders
                parent.chmod(parent.stat().st_mode | 0o011)
        for path in pg_bin_dir().parent.rglob("*"):
            mode = path.stat().st_mode
            path.chmod(mode | (0o055 if path.is_dir() or mode & 0o100 else 0o044))
        for path in [self.root, *self.root.rglob("*")]:
            if path.name not in ("lock", "handles.json"):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _socket_dir(self) -> Path:
        # Unix socket paths are limited to ~107 bytes; deep checkouts fall back to /tmp.
        if len(str(self.root / ".s.PGSQL.65535")) < 100:
            return self.root
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        path = Path("/tmp") / f"tsur-pg-{digest}"
        path.mkdir(mode=0o777, exist_ok=True)
        path.chmod(0o777)
        return path

    def _pg_ctl(self, args: list[str]) -> None:
        self._bin("pg_ctl", ["-D", str(self.pgdata), *args])

    def _bin(self, name: str, args: list[str]) -> None:
        result = subprocess.run(
            [str(pg_bin_dir() / name), *args],
            user=self._run_as(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Ctrl-C in a terminal must not kill the shared server
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{name} failed ({result.returncode}): {result.stdout.strip()[-2000:]}")

    def _start(self) -> Postmaster:
        self.root.mkdir(parents=True, exist_ok=True)
        fresh = not (self.pgdata / "PG_VERSION").exists()
        if fresh:
            self.pgdata.mkdir(mode=0o700, exist_ok=True)
        port = int(self._port_file.read_text()) if self._port_file.exists() else 0
        if not port or not _port_free(port):
            port = _free_port()
            self._port_file.write_text(str(port))
        socket_dir = self._socket_dir()
        if self._run_as():
            self._prepare_root_user()
        if fresh:
            self._bin(
                "initdb",
                [
                    "-D",
                    str(self.pgdata),
                    "-U",
                    SUPERUSER,
                    "--encoding=UTF8",
                    f"--locale={_locale()}",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                ],
            )
        write_settings(self.pgdata)  # sized to this machine at every start: see lib/pg_settings.py
        options = f"-h 127.0.0.1 -p {port} -k {socket_dir} -c timezone=UTC"
        self._pg_ctl(["-w", "-t", "60", "-l", str(self.log_file), "-o", options, "start"])
        info = self.postmaster()
        if info is None:
            raise RuntimeError(f"the embedded PostgreSQL did not start; see {self.log_file}")
        self._ensure_database(info)
        return info

    def _ensure_database(self, info: Postmaster) -> None:
        import psycopg

        admin = f"postgresql://{SUPERUSER}@/postgres?host={info.socket_dir}&port={info.port}"
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("select 1 from pg_database where datname = %s", (DATABASE,)).fetchone() is None:
                conn.execute(f'create database "{DATABASE}"')
