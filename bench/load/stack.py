"""The service as it runs in production, on this machine, for load and fault runs.

A private PostgreSQL cluster (initdb into a temporary folder, its own port), migrated and
seeded; staff accounts for the virtual editors and managers; gunicorn with 2 x cores + 1
workers, MLE_ENV=production and freshly generated SECRET_KEY and MLE_DATA_KEYS; rate limits
counted in Redis (a database number of its own). Everything it starts it stops and removes.

It also samples the CPU time and memory of the gunicorn workers with psutil.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
ACCESS_LOG_FORMAT = '%(t)s pid=%(p)s "%(r)s" %(s)s %(b)s %(L)ss'
STAFF_PASSWORD = "load test staff password " + secrets.token_hex(4)
STAFF = {"editor": "load-editor@example.org", "manager": "load-manager@example.org"}


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def cpu_seconds_of(processes) -> float:
    """User + system CPU time of these processes so far; one that has ended counts nothing."""
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


class PrivatePostgres:
    """A PostgreSQL cluster of our own, so restarts never touch anybody else's database.

    Its ports (25432 and up) lie below the kernel's ephemeral range (32768-60999 on Linux), so
    an outgoing connection of some other program can never be holding them."""

    def __init__(self, port: int = 25432):
        self.port = port
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="mle-bench-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/mle"

    def init(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U",
                                     "postgres", "-A", "trust", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        conf = self.data / "postgresql.conf"
        with conf.open("a") as out:
            out.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                      f"unix_socket_directories = '{self.dir}'\nmax_connections = 100\n"
                      "shared_buffers = 128MB\nfsync = on\n")
        self.start()
        subprocess.run(_as_postgres([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p",
                                     str(self.port), "-U", "postgres", "mle"]), check=True)

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                                     str(self.log), "-w", *args]),
                       check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self._ctl("restart", "-m", mode)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Gunicorn:
    env: dict
    workers: int
    app: str = "wsgi:app"  # the service; the load test's own pages are in bench/load
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path) -> None:
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "--access-logfile", "-",
             # Worker pid and seconds taken, so a worker's memory can be matched to its requests.
             "--access-logformat", ACCESS_LOG_FORMAT, "--timeout", "30",
             "--graceful-timeout", "5", "--pythonpath", str(Path(__file__).resolve().parent),
             self.app],
            cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            # An http:// address this class built itself.
            with contextlib.suppress(OSError), urllib.request.urlopen(  # noqa: S310
                    self.url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not become healthy; see {log}")

    def worker_processes(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children() if self.process else []

    def cpu_seconds(self) -> float:
        """User + system CPU time of every worker so far (the master does no request work)."""
        return cpu_seconds_of(self.worker_processes())

    def rss_mb(self) -> list[float]:
        return list(self.rss_by_worker().values())

    def rss_by_worker(self) -> dict[int, float]:
        """Resident set size of each worker, MB, by process id."""
        sizes = {}
        for worker in self.worker_processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                sizes[worker.pid] = worker.memory_info().rss / 2**20
        return sizes

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Stack:
    """PostgreSQL + migrations + seed + staff accounts + gunicorn, torn down on exit. Gunicorn
    serves `app`: the service itself, or the service with the load test's baseline page
    (baseline_app.py). With serve=False no gunicorn is started: the caller puts whatever serves
    the app in `gunicorn` (bench/load/instances.py: HAProxy and several instances)."""

    def __init__(self, name: str, workers: int | None = None, redis_db: int = 9,
                 pg_port: int = 25432, extra_env: dict | None = None,
                 prefill_outcomes: int = 0, app: str = "wsgi:app", serve: bool = True):
        self.name = name
        self.serve = serve  # False: the caller starts what serves the app (instances.py)
        self.prefill_outcomes = prefill_outcomes
        self.workers = workers or 2 * (os.cpu_count() or 1) + 1
        self.redis_db = redis_db
        self.pg = PrivatePostgres(pg_port)
        self.work = Path(tempfile.mkdtemp(prefix=f"mle-bench-{name}-"))
        from cryptography.fernet import Fernet

        self.secret_key = secrets.token_urlsafe(48)
        self.env = {
            **os.environ,
            "MLE_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "MLE_DATA_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": self.pg.url,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{redis_db}",
            "MLE_BASE_URL": "http://127.0.0.1",  # production answers only its public host
            # Every virtual person sends its own X-Forwarded-For, as people behind a load
            # balancer have their own addresses: rate limits stay on and count per person.
            "MLE_PROXY_HOPS": "1",
            **(extra_env or {}),
        }
        self.gunicorn = Gunicorn(self.env, self.workers, app)

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                              env=self.env, check=True, capture_output=True, text=True)
        return done.stdout

    def _staff_accounts(self) -> None:
        """Create the accounts with the CLI, then give them a known password (no second
        factor) as the set-password link would."""
        for role, email in STAFF.items():
            self.flask("mle", "create-user", email, "--name", f"Load test {role}", "--role", role)
        script = (
            "import sys\n"
            "from mle import create_app\n"
            "from mle.database import db\n"
            "from mle.models import StaffUser\n"
            "from mle.security.passwords import hash_password\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    for user in db.session.scalars(db.select(StaffUser)):\n"
            "        user.password_hash = hash_password(sys.argv[1])\n"
            "    db.session.commit()\n")
        subprocess.run([sys.executable, "-c", script, STAFF_PASSWORD], cwd=ROOT, env=self.env,
                       check=True)

    def _flush_redis(self) -> None:
        subprocess.run(["redis-cli", "-n", str(self.redis_db), "FLUSHDB"], check=False,
                       stdout=subprocess.DEVNULL)

    def __enter__(self) -> Stack:
        try:
            self.pg.init()
            self.flask("db", "upgrade")
            self.flask("mle", "seed")
            self._staff_accounts()
            if self.prefill_outcomes:
                subprocess.run([sys.executable, str(Path(__file__).parent / "prefill_outcomes.py"),
                                str(self.prefill_outcomes)], cwd=ROOT, env=self.env, check=True,
                               stdout=subprocess.DEVNULL)
            self._flush_redis()
            if self.serve:
                self.gunicorn.start(self.work / "gunicorn.log")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.gunicorn.stop()
        self.pg.remove()
        self._flush_redis()

    def sql(self, query: str) -> str:
        done = subprocess.run([str(self.pg.bin / "psql"), "-h", "127.0.0.1", "-p",
                               str(self.pg.port), "-U", "postgres", "-d", "mle", "-At", "-c",
                               query], check=True, capture_output=True, text=True)
        return done.stdout.strip()


def locust(stack: Stack, classes: list[str], users: int, seconds: int, csv_prefix: Path,
           spawn_rate: float | None = None, extra_env: dict | None = None) -> dict:
    """Run Locust headless against the stack; return the Aggregated row of its statistics."""
    import csv

    env = {**os.environ, "MLE_LOAD_STAFF_PASSWORD": STAFF_PASSWORD,
           "MLE_LOAD_EDITOR": STAFF["editor"], "MLE_LOAD_MANAGER": STAFF["manager"],
           **(extra_env or {})}
    subprocess.run(
        [str(VENV_BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"),
         "--headless", "--host", stack.gunicorn.url, "--users", str(users), "--spawn-rate",
         str(spawn_rate or max(users / 5, 1)), "--run-time", f"{seconds}s", "--csv",
         str(csv_prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
         *classes],
        env=env, check=False)
    with open(f"{csv_prefix}_stats.csv") as file:
        rows = list(csv.DictReader(file))
    return {"rows": rows, "total": next(r for r in rows if r["Name"] == "Aggregated")}
