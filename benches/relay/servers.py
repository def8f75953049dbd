"""Starting and stopping the servers under test, and reading their memory.

Every server binds 127.0.0.1 only, runs in its own process group (so stopping it also stops
its children, e.g. gunicorn's workers), and is stopped by its own PID at the end of the run.
"""

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Proc:
    """A started server: its process, its URL and where its log goes."""

    def __init__(self, name, popen, url, log_path):
        self.name = name
        self.popen = popen
        self.url = url
        self.log_path = log_path

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def free_port():
    """A port the kernel just handed out on loopback (for servers that cannot print theirs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_printing(name, argv, log_dir, env=None, timeout=30):
    """Starts a server that prints `listening on http://ADDR:PORT` on stdout once bound."""
    log_path = os.path.join(log_dir, f"{name}.log")
    log = open(log_path, "wb")
    popen = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
        start_new_session=True, env=env,
    )
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline and not line.endswith(b"\n"):
        ready, _, _ = select.select([popen.stdout], [], [], 0.1)
        if ready:
            chunk = os.read(popen.stdout.fileno(), 256)
            if not chunk:
                break
            line += chunk
    text = line.decode(errors="replace").strip()
    if not text.startswith("listening on http://127.0.0.1:"):
        proc = Proc(name, popen, None, log_path)
        proc.stop()
        raise RuntimeError(f"{name} did not start (said {text!r}; log {log_path})")
    return Proc(name, popen, text.removeprefix("listening on "), log_path)


def wait_port(port, popen, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start_listening(name, argv, port, log_dir, env=None, cwd=None):
    """Starts a server on a known port and waits until it accepts connections."""
    log_path = os.path.join(log_dir, f"{name}.log")
    log = open(log_path, "wb")
    popen = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True, env=env, cwd=cwd,
    )
    proc = Proc(name, popen, f"http://127.0.0.1:{port}", log_path)
    if not wait_port(port, popen):
        proc.stop()
        raise RuntimeError(f"{name} did not start listening on {port} (log {log_path})")
    return proc


def sudo_prefix():
    return [] if os.geteuid() == 0 else ["sudo"]


def ensure_redis():
    """Debian's redis-server, installed if missing."""
    path = shutil.which("redis-server")
    if path:
        return path
    print("bench: installing redis-server (apt)", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo_prefix() + ["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(sudo_prefix() + ["apt-get", "install", "-y", "-qq", "redis-server"],
                   check=True, env=env)
    return shutil.which("redis-server") or "/usr/bin/redis-server"


def ensure_snappass(venv):
    """Snappass and gunicorn from PyPI in a venv under target/."""
    gunicorn = os.path.join(venv, "bin", "gunicorn")
    python = os.path.join(venv, "bin", "python")
    probe = [python, "-c", "import snappass.main, gunicorn"] if os.path.exists(python) else None
    if probe and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return gunicorn
    print("bench: installing snappass + gunicorn into", venv, file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "snappass", "gunicorn"],
                   check=True)
    return gunicorn


def start_snappass(venv, work_dir, log_dir):
    """Redis on a private port and temp dir, then Snappass under gunicorn with (2 x cores) + 1
    sync workers, gunicorn's documented starting point for production."""
    redis = ensure_redis()
    gunicorn = ensure_snappass(venv)
    redis_dir = os.path.join(work_dir, "redis")
    os.makedirs(redis_dir, exist_ok=True)
    redis_port = free_port()
    redis_proc = start_listening("redis", [
        redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", redis_dir,
        "--daemonize", "no", "--protected-mode", "yes",
    ], redis_port, log_dir)
    port = free_port()
    workers = 2 * (os.cpu_count() or 2) + 1
    env = dict(os.environ, REDIS_HOST="127.0.0.1", REDIS_PORT=str(redis_port), NO_SSL="True",
               SECRET_KEY=os.urandom(16).hex())
    try:
        app = start_listening("snappass", [
            gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "snappass.main:app",
        ], port, log_dir, env=env, cwd=work_dir)
    except Exception:
        redis_proc.stop()
        raise
    return app, redis_proc, workers


def rss_kib(pid):
    """(VmRSS, VmHWM) of a process in KiB, from /proc."""
    rss = hwm = None
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def dir_size(path):
    total = 0
    for entry in os.scandir(path):
        if entry.is_file():
            total += entry.stat().st_size
    return total
