"""Real databases for the ledger tests: SQLite files in tmp_path, and a PostgreSQL server
started here (initdb + pg_ctl in a temporary folder, as an unprivileged user when the tests
run as root, since PostgreSQL refuses to run as root). No mocks.

Without the server binaries the PostgreSQL tests are skipped — except under CI=true, where
.ci/run installs them and a missing server is a failure."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_USER, PG_PASSWORD = "cbcheck", "s3cret-Pw!"


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(dirs[-1]).parent if dirs else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_url() -> str:
    """postgresql://cbcheck:…@127.0.0.1:PORT/postgres on a server of our own."""
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries are missing under CI (.ci/run should install postgresql)")
        pytest.skip("PostgreSQL server binaries (pg_ctl, initdb) are not installed")
    root = Path(tempfile.mkdtemp(prefix="cbcheck-pg-"))
    data, pwfile, log = root / "data", root / "pw", root / "log"
    pwfile.write_text(PG_PASSWORD + "\n")
    prefix: list[str] = []
    if os.geteuid() == 0:
        import pwd

        user = pwd.getpwnam("nobody")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(pwfile, user.pw_uid, user.pw_gid)
        prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, "--pwfile", str(pwfile),
                    "--auth=scram-sha-256", "-E", "UTF8"], check=True, capture_output=True, env=env, cwd=root)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                    "-o", f"-p {port} -h 127.0.0.1 -k {root}", "start"], check=True, capture_output=True, env=env,
                   cwd=root)
    try:
        yield f"postgresql://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, env=env, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def pg_ledger(pg_url: str) -> str:
    """A fresh ledger: drop the tables a previous test left."""
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        for table in ("withdrawals", "findings", "observations", "submissions", "cbcheck_schema_version"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    return pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "台账" / "ledger.sqlite")
    return request.getfixturevalue("pg_ledger")


def county_csv(path: Path, entity: str, years: list[int], rows: list[tuple[str, str, list[object], str]],
               date: str = "2025年6月20日") -> Path:
    """A county statistics office's table, saved from WPS as GB18030 CSV."""
    cols = len(years) + 4
    pad = "," * (cols - 1)
    lines = [f"济宁市碳达峰主要指标统计表{pad}", f"填报单位：{entity},,,填报日期：{date}" + "," * (cols - 4),
             "序号,指标名称,单位," + ",".join(f"{y}年" for y in years) + ",备注"]
    for i, (name, unit, values, note) in enumerate(rows, 1):
        lines.append(f"{i},{name},{unit}," + ",".join("" if v is None else str(v) for v in values) + f",{note}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path
