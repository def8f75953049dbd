"""A throwaway PostgreSQL for the benchmark, set up as hushlink_testkit::TestPostgres does.

Debian's PostgreSQL (`/usr/lib/postgresql/<newest>/bin`, or `HUSHLINK_PG_BIN`) in a temp dir
under /tmp: `initdb` (as the `postgres` user when we are root, since initdb refuses root), TCP
on 127.0.0.1 on a free port with TLS and a password required (a CA and server certificate
made here with `openssl`), `synchronous_commit = on` (the relay requires it), and a role and
database for the relay. `url` names them with `sslmode=require&sslrootcert=CA`. `stop()` stops
the server (`pg_ctl -m fast`) and removes the directory. Python standard library only.
"""

import os
import pwd
import re
import secrets
import shutil
import subprocess
import tempfile

from servers import free_port


def bin_dir():
    if os.environ.get("HUSHLINK_PG_BIN"):
        return os.environ["HUSHLINK_PG_BIN"]
    root = "/usr/lib/postgresql"
    versions = sorted((int(v) for v in os.listdir(root) if v.isdigit()), reverse=True) \
        if os.path.isdir(root) else []
    if not versions:
        raise RuntimeError("no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)")
    return os.path.join(root, str(versions[0]), "bin")


def available():
    try:
        return os.path.exists(os.path.join(bin_dir(), "initdb"))
    except RuntimeError:
        return False


def version():
    done = subprocess.run([os.path.join(bin_dir(), "postgres"), "--version"], capture_output=True,
                          text=True, check=False)
    # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    found = re.search(r"\(PostgreSQL\) (\S+)", done.stdout)
    return found.group(1) if found else "?"


class Postgres:
    USER = "hushlink"
    DATABASE = "hushlink"

    def __init__(self, log_dir):
        self.bin = bin_dir()
        self.owner = None
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            self.owner = (entry.pw_uid, entry.pw_gid)
        self.dir = tempfile.mkdtemp(prefix="hushlink-bench-pg-", dir="/tmp")
        self.log_path = os.path.join(log_dir, "postgres.log")
        self.password = secrets.token_hex(16)
        self.port = None
        self.started = False
        try:
            self._certificates()
            self._hand_over(self.dir, 0o700)
            self._initdb()
            self._start()
            self._psql(f"CREATE ROLE {self.USER} LOGIN PASSWORD '{self.password}'")
            self._psql(f"CREATE DATABASE {self.DATABASE} OWNER {self.USER}")
        except Exception:
            self.stop()
            raise

    @property
    def url(self):
        return (f"postgres://{self.USER}:{self.password}@127.0.0.1:{self.port}/{self.DATABASE}"
                f"?sslmode=require&sslrootcert={os.path.join(self.dir, 'ca.pem')}")

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _hand_over(self, path, mode):
        os.chmod(path, mode)
        if self.owner:
            os.chown(path, *self.owner)

    def _run(self, program, args, **kw):
        check = kw.pop("check", True)
        kw.setdefault("capture_output", True)
        if self.owner:
            kw["user"], kw["group"] = self.owner
        return subprocess.run([os.path.join(self.bin, program)] + args, check=check, cwd=self.dir,
                              env=dict(os.environ, LC_ALL="C"), **kw)

    def _certificates(self):
        """A CA, and a server certificate it signed for 127.0.0.1 and localhost."""
        def openssl(*args):
            subprocess.run(["openssl", *args], cwd=self.dir, check=True, capture_output=True)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=hushlink bench PostgreSQL CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=hushlink bench PostgreSQL")
        with open(self._path("server.ext"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext")
        os.remove(self._path("ca.key"))
        for name, mode in (("server.crt", 0o644), ("ca.pem", 0o644), ("server.key", 0o600)):
            self._hand_over(self._path(name), mode)
        os.mkdir(self._path("sock"))
        self._hand_over(self._path("sock"), 0o700)

    def _initdb(self):
        self._run("initdb", ["-D", self._path("data"), "-U", "postgres", "-E", "UTF8",
                             "--locale=C", "--no-sync", "--auth-local=trust",
                             "--auth-host=reject"])
        with open(self._path("data/pg_hba.conf"), "w") as f:
            f.write("local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n")
        # Durable as the relay requires (fsync and synchronous_commit on, PostgreSQL's own
        # defaults otherwise); TLS and a password on TCP, like an office's database.
        with open(self._path("data/postgresql.conf"), "a") as f:
            f.write(f"\n# benches/relay/postgres.py\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self._path('sock')}'\n"
                    f"ssl = on\nssl_cert_file = '{self._path('server.crt')}'\n"
                    f"ssl_key_file = '{self._path('server.key')}'\n"
                    "fsync = on\nsynchronous_commit = on\n"
                    "password_encryption = 'scram-sha-256'\nmax_connections = 100\n")

    def _start(self):
        last = None
        for _ in range(5):
            self.port = free_port()
            done = self._run("pg_ctl", ["-D", self._path("data"), "-w", "-t", "30", "start",
                                        "-o", f"-p {self.port}", "-l", self._path("server.log")],
                             check=False)
            if done.returncode == 0:
                self.started = True
                return
            last = done.stderr.decode(errors="replace")
        raise RuntimeError(f"PostgreSQL did not start: {last}")

    def _psql(self, sql):
        self._run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d",
                           "postgres", "-h", self._path("sock"), "-p", str(self.port), "-c", sql])

    def stop(self):
        if self.started:
            self._run("pg_ctl", ["-D", self._path("data"), "-w", "-t", "30", "stop", "-m", "fast"],
                      check=False)
            self.started = False
        if os.path.isdir(self.dir):
            try:
                shutil.copyfile(self._path("server.log"), self.log_path)
            except OSError:
                pass
            shutil.rmtree(self.dir, ignore_errors=True)
