"""The ledger store on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.ledger import LedgerError, mask_url, open_ledger
from cbcheck.ledger import store
from cbcheck.ledger.migrations import LATEST
from tests.ledger.conftest import PG_PASSWORD, county_csv

POLICY = "jining-carbon-peak"
ROWS = [("能源消费总量", "万吨标准煤", [412, 436], ""),
        ("地区生产总值（2020年可比价）", "亿元", [720, 880], "按2020年价格计算")]


def _check(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args, "-p", POLICY, "--lang", "en", "-q"], env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def _county(tmp_path: Path, name: str = "任城区", energy: int = 436) -> Path:
    return county_csv(tmp_path / f"{name}.csv", f"济宁市{name}", [2020, 2025],
                      [("能源消费总量", "万吨标准煤", [412, energy], ""), ROWS[1]])


def test_record_is_idempotent_by_sha256(tmp_path: Path, any_ledger: str) -> None:
    f = _county(tmp_path)
    code, _, err = _check([str(f), "--record", "--ledger", any_ledger])
    # r = 1 − (436/880) / (412/720) = 1 − 0.4955/0.5722 = 13.42% < 15.6%: FAIL, recorded all the same
    assert code == 1, err
    assert "recorded in the ledger" in err
    code2, _, err2 = _check([str(f), "--record", "--ledger", any_ledger])
    assert code2 == code and "already in the ledger" in err2
    with open_ledger(any_ledger) as led:
        subs = led.submissions()
        assert len(subs) == 1
        s = subs[0]
        assert (s.entity, s.year, s.policy_id, s.file_name) == ("济宁市任城区", 2025, POLICY, "任城区.csv")
        import hashlib

        assert s.file_sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
        values = {(o.indicator, o.year): o.value for o in led.observations(subs)}
        assert values[("energy_consumption", 2020)] == 412 and values[("gdp_comparable", 2025)] == 880
        assert values[("energy_consumption", 2020)] == 412
        assert len(led.findings(s)) == len(__import__("cbcheck.policy", fromlist=["x"]).load_policy(POLICY)[0].rules)


def test_migrations_are_versioned_and_run_once(tmp_path: Path) -> None:
    loc = str(tmp_path / "l.sqlite")
    open_ledger(loc).close()
    open_ledger(loc).close()
    rows = sqlite3.connect(loc).execute("SELECT version FROM cbcheck_schema_version").fetchall()
    assert rows == [(v,) for v in range(1, LATEST + 1)]


def test_a_ledger_from_a_newer_cbcheck_is_refused(tmp_path: Path) -> None:
    loc = str(tmp_path / "l.sqlite")
    open_ledger(loc).close()
    con = sqlite3.connect(loc)
    con.execute("INSERT INTO cbcheck_schema_version VALUES (?, '2030-01-01 00:00:00')", (LATEST + 1,))
    con.commit()
    con.close()
    with pytest.raises(LedgerError, match="newer than this cbcheck"):
        open_ledger(loc)


def test_a_file_that_is_not_a_ledger_is_one_line_and_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "ledger.sqlite"
    bad.write_bytes(b"PK\x03\x04 this is an xlsx, not a database" * 100)
    before = bad.read_bytes()
    code, out, err = _check([str(_county(tmp_path)), "--record", "--ledger", str(bad)])
    assert code == 3 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not a database" in err and "Traceback" not in err
    assert bad.read_bytes() == before


def test_a_locked_ledger_is_exit_3_and_nothing_is_half_written(tmp_path: Path, monkeypatch) -> None:
    loc = tmp_path / "l.sqlite"
    open_ledger(str(loc)).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(loc, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")              # another cron job in the middle of its write
    try:
        code, out, err = _check([str(_county(tmp_path)), "--record", "--ledger", str(loc)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 3 and "locked" in err and len(err.strip().splitlines()) == 1
    assert sqlite3.connect(loc).execute("SELECT count(*) FROM submissions").fetchone() == (0,)


def test_a_folder_is_not_a_ledger(tmp_path: Path) -> None:
    code, _, err = _check([str(_county(tmp_path)), "--ledger", str(tmp_path)])
    assert code == 3 and "is a folder" in err


def test_mask_url_hides_the_password() -> None:
    assert mask_url("postgresql://tj:pa%40ss@db.example:5432/ledger") == "postgresql://tj:***@db.example:5432/ledger"
    assert mask_url("/srv/台账/ledger.sqlite") == "/srv/台账/ledger.sqlite"
    assert "secret" not in mask_url("postgresql://u:secret@[bad")


def test_default_location_is_the_user_data_dir(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.default_location() == tmp_path / "xdg" / "cbcheck" / "ledger.sqlite"


def test_ledger_from_cbcheck_toml_relative_to_the_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "cbcheck.toml").write_text('ledger = "台账/ledger.sqlite"\nrecord = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CBCHECK_CONFIG", raising=False)
    code, _, err = _check([str(_county(tmp_path))])
    assert code == 1 and "recorded" in err      # the same county table: 13.42% < 15.6% (see above)
    assert (tmp_path / "台账" / "ledger.sqlite").is_file()


def _writer(location: str, folder: str, start: int, count: int) -> None:
    from cbcheck.batch import CheckSettings, Checker
    from cbcheck.ledger.crossyear import LedgerHook

    with open_ledger(location) as led:
        hook = LedgerHook(led, record=True, cross_year=False)
        checker = Checker(CheckSettings(policy=POLICY, hooks=(hook,)))
        for i in range(start, start + count):
            checker.check(Path(folder) / f"c{i}.csv")
        checker.check(Path(folder) / "shared.csv")       # every process records the same file too


def test_parallel_writers_lose_nothing(tmp_path: Path, any_ledger: str) -> None:
    per, procs = 4, 4
    for i in range(per * procs):
        county_csv(tmp_path / f"c{i}.csv", f"济宁市示例{i}区", [2020, 2025],
                   [("能源消费总量", "万吨标准煤", [400 + i, 420 + i], ""), ROWS[1]])
    _county(tmp_path, "shared")
    (tmp_path / "shared.csv").write_bytes((tmp_path / "shared.csv").read_bytes())
    open_ledger(any_ledger).close() if "sqlite" in any_ledger else None
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(any_ledger, str(tmp_path), p * per, per)) for p in range(procs)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0] * procs
    with open_ledger(any_ledger) as led:
        subs = led.submissions()
        assert len(subs) == per * procs + 1
        assert len({s.file_sha256 for s in subs}) == per * procs + 1
        obs = led.observations(subs)
        assert len(obs) == 4 * len(subs)                # 2 indicators × 2 years each, none lost or doubled


def test_postgres_wrong_password_is_one_line_without_the_password(tmp_path: Path, pg_ledger: str) -> None:
    wrong = pg_ledger.replace(PG_PASSWORD, "Wrong-Pa55")
    code, out, err = _check([str(_county(tmp_path)), "--record", "--ledger", wrong])
    assert code == 3 and out == ""
    assert "Wrong-Pa55" not in err and PG_PASSWORD not in err and "***" in err
    assert len(err.strip().splitlines()) == 1 and "password" in err


def test_postgres_unreachable_server_is_exit_3(tmp_path: Path) -> None:
    from tests.ledger.conftest import _free_port

    url = f"postgresql://u:topsecret@127.0.0.1:{_free_port()}/x"
    code, _, err = _check([str(_county(tmp_path)), "--record", "--ledger", url])
    assert code == 3 and "topsecret" not in err and "cannot open the ledger" in err
