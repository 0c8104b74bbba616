"""The example deployment in deploy/, run on this machine: HAProxy (deploy/haproxy/mle.cfg) in
front of several gunicorn instances, each started by the command of deploy/systemd/mle@.service
with the repository's gunicorn.conf.py. Only the addresses and paths are changed for the run:
free loopback ports instead of 8001-8003, 80 and 443, this checkout instead of /srv/mle, and a
certificate made for the run. Used by bench/load/instances.py and by
tests/integration/test_several_instances.py.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import cpu_seconds_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
# Stands in for the global section of Debian's /etc/haproxy/haproxy.cfg: logs to standard output
# instead of syslog, no chroot or change of user.
HAPROXY_GLOBAL = "global\n    log stdout format raw local0\n    maxconn 4000\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def example_environment() -> dict[str, str]:
    """The settings of deploy/mle.env.example that need no value of the operator's own."""
    settings = {}
    for line in (DEPLOY / "mle.env.example").read_text().splitlines():
        if not line.strip() or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        if "<" not in value:
            settings[name] = value.strip().strip('"')
    return settings


def instance_command(port: int) -> list[str]:
    """ExecStart of deploy/systemd/mle@.service for the instance on `port`, in this checkout."""
    unit = (DEPLOY / "systemd" / "mle@.service").read_text()
    line = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    return [arg.replace("/srv/mle/.venv/bin", str(VENV_BIN)).replace("/srv/mle", str(ROOT))
            .replace("%i", str(port)) for arg in shlex.split(line.removeprefix("ExecStart="))]


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"deploy/haproxy/mle.cfg no longer has {old!r}")
    return text.replace(old, new)


def haproxy_config(ports: list[int], http_port: int, https_port: int,
                   certificate: Path) -> str:
    """deploy/haproxy/mle.cfg with the instances on `ports` and the frontend on loopback."""
    text = (DEPLOY / "haproxy" / "mle.cfg").read_text()
    text = _replace(text, "bind :80\n", f"bind 127.0.0.1:{http_port}\n")
    text = _replace(text, "bind :443 ", f"bind 127.0.0.1:{https_port} ")
    text = _replace(text, "/etc/haproxy/certs/mle.pem", str(certificate))
    servers = re.findall(r"^ *server (\S+) 127\.0\.0\.1:\d+\n", text, flags=re.M)
    if len(ports) > len(servers):
        raise ValueError(f"deploy/haproxy/mle.cfg lists {len(servers)} instances, not "
                         f"{len(ports)}")
    for index, name in enumerate(servers):
        line = re.compile(rf"^( *server {name}) 127\.0\.0\.1:\d+\n", flags=re.M)
        text = line.sub(rf"\1 127.0.0.1:{ports[index]}\n" if index < len(ports) else "", text)
    return text


def self_signed_certificate(folder: Path) -> Path:
    """A certificate and key for 127.0.0.1 in one PEM file, as HAProxy reads them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    import ipaddress

    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    path = folder / "mle.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return path


def _wait_for(url: str, what: str, log: Path, context: ssl.SSLContext | None = None,
              seconds: float = 180) -> None:
    """Wait for 200 from `url`. Workers load the content as they start: on a busy machine
    that can take a minute or more."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        # An address this module built itself.
        with contextlib.suppress(OSError), urllib.request.urlopen(  # noqa: S310
                url, timeout=2, context=context) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s; see {log}")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


class Balanced:
    """`count` gunicorn instances of `workers` workers each, and HAProxy in front of them.
    Start with start(folder); stop() ends every process it started."""

    def __init__(self, env: dict, count: int, workers: int, app: str = "wsgi:app"):
        self.env = env
        self.count = count
        self.workers = workers
        self.app = app
        self.ports = [free_port() for _ in range(count)]
        self.https_port = free_port()
        self.http_port = free_port()
        self.instances: list[subprocess.Popen] = []
        self.haproxy: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.certificate: Path | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def instance_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start(self, log: Path) -> None:
        self.folder = log.parent
        try:
            self._start_instances()
            self._start_haproxy()
        except BaseException:
            self.stop()
            raise

    def _start_instances(self) -> None:
        for index, port in enumerate(self.ports):
            command = instance_command(port)
            if self.app != "wsgi:app":  # the load test's baseline page: its app, from here
                command = [*command[:-1], "--pythonpath", str(Path(__file__).parent), self.app]
            log = self.folder / f"instance{index + 1}.log"
            self.instances.append(subprocess.Popen(
                command, cwd=ROOT, env={**self.env, "WEB_CONCURRENCY": str(self.workers)},
                stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True))
        for index in range(self.count):
            _wait_for(self.instance_url(index) + "/healthz", f"instance {index + 1}",
                      self.folder / f"instance{index + 1}.log")

    def _start_haproxy(self) -> None:
        self.certificate = self_signed_certificate(self.folder)
        (self.folder / "global.cfg").write_text(HAPROXY_GLOBAL)
        (self.folder / "mle.cfg").write_text(haproxy_config(
            self.ports, self.http_port, self.https_port, self.certificate))
        log = self.folder / "haproxy.log"
        self.haproxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(self.folder / "global.cfg"), "-f",
             str(self.folder / "mle.cfg")],
            env={**os.environ, "MLE_SHOW_INSTANCE": "yes"}, stdout=log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for(self.url + "/healthz", "HAProxy", log,
                  ssl.create_default_context(cafile=str(self.certificate)))

    def stop(self) -> None:
        _stop(self.haproxy)
        for process in self.instances:
            _stop(process)

    def worker_processes(self) -> list[psutil.Process]:
        workers = []
        for process in self.instances:
            with contextlib.suppress(psutil.NoSuchProcess):
                workers += psutil.Process(process.pid).children()
        return workers

    def cpu_seconds(self) -> float:
        """User + system CPU time of every worker of every instance so far."""
        return cpu_seconds_of(self.worker_processes())

    def haproxy_cpu_seconds(self) -> float:
        if self.haproxy is None:
            return 0.0
        with contextlib.suppress(psutil.NoSuchProcess):
            times = psutil.Process(self.haproxy.pid).cpu_times()
            return times.user + times.system
        return 0.0

    def rss_mb(self) -> list[float]:
        sizes = []
        for worker in self.worker_processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                sizes.append(worker.memory_info().rss / 2**20)
        return sizes
