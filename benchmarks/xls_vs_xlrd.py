"""Why cbcheck reads .xls / WPS .et with its own reader/biff.py and not xlrd: the evidence, re-runnable.

xlrd (the pure-Python reader pandas uses for .xls) is put in biff.read_book's place through an
adapter that gives the same records (formatting_info, ragged rows, one sheet at a time), so
every cbcheck path above it (reader/xlsfile.py, the budgets, the reports) is the same on both:

    pip install xlrd xlwt                                  # neither is a dependency of cbcheck
    python benchmarks/xls_vs_xlrd.py fidelity              # every tests/xls file: same records, same grids
    python benchmarks/xls_vs_xlrd.py fuzz 12000            # damaged bytes (as tests/reader/test_xlsfile.py)
    python benchmarks/xls_vs_xlrd.py column 5000           # cells past column 256, plain and under python -O
    python benchmarks/xls_vs_xlrd.py ab 7                  # a 60,000-row facility .xls, whole processes
    python benchmarks/xls_vs_xlrd.py biff5                 # an Excel 5.0/95 workbook in GBK, by hand

The results and the decision are in reader/biff.py's docstring and README "Safety and budgets".
"""

from __future__ import annotations

import collections
import contextlib
import io
import math
import os
import random
import resource
import signal
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks"), str(ROOT / "tests" / "reader")]
DATA = ROOT / "benchmarks" / "_data"

from cbcheck.reader import biff  # noqa: E402


def xlrd_book(data: bytes, max_cells: int = 0) -> biff.BookRecords:
    """biff.read_book's records, read by xlrd; its exceptions (any kind: xlrd raises what its parser
    meets) as biff's. The cell budget can only be counted after xlrd holds a whole sheet."""
    import xlrd
    from xlrd.biffh import XL_CELL_BLANK, XL_CELL_BOOLEAN, XL_CELL_EMPTY, XL_CELL_ERROR, XL_CELL_TEXT

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True,
                                  logfile=io.StringIO(), on_demand=True)
    except xlrd.XLRDError as exc:
        raise (biff.Encrypted() if "encrypted" in str(exc) else biff.BiffError(str(exc))) from None
    except Exception as exc:
        raise biff.BiffError(f"{type(exc).__name__}: {exc}") from None
    custom = {f.format_key: f.format_str for f in book.format_list}
    ids = [xf.format_key for xf in book.xf_list]
    sheets = []
    try:
        for i, name in enumerate(book.sheet_names()):
            sh = book.sheet_by_index(i)
            out = biff.SheetRecords(name, sh.visibility != 0)
            for r in range(sh.nrows):
                types, values, xfs = sh.row_types(r), sh.row_values(r), sh._cell_xf_indexes[r]
                row: dict[int, tuple[str, Any, int]] = {}
                for c, (t, v) in enumerate(zip(types, values, strict=True)):
                    if t in (XL_CELL_EMPTY, XL_CELL_BLANK):
                        continue
                    row[c + 1] = (("s", v, 0) if t == XL_CELL_TEXT else ("b", bool(v), 0) if t == XL_CELL_BOOLEAN
                                  else ("e", biff.ERRORS.get(v, "#VALUE!"), 0) if t == XL_CELL_ERROR
                                  else ("n", v, xfs[c]))
                    out.cells += 1
                    if max_cells and out.cells > max_cells:
                        raise biff.TooManyCells(name, out.cells)
                if row:
                    out.rows[r + 1] = row
                if types:
                    out.widths[r + 1] = len(types)
            out.merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sh.merged_cells]
            out.hidden_rows = {r + 1 for r, info in sh.rowinfo_map.items() if info.hidden}
            for c in sorted(c + 1 for c, info in sh.colinfo_map.items() if info.hidden):
                if out.hidden_cols and out.hidden_cols[-1][1] == c - 1:
                    out.hidden_cols[-1] = (out.hidden_cols[-1][0], c)
                else:
                    out.hidden_cols.append((c, c))
            sheets.append(out)
            book.unload_sheet(i)
    except biff.TooManyCells:
        raise
    except Exception as exc:
        raise biff.BiffError(f"{type(exc).__name__}: {exc}") from None
    return biff.BookRecords([custom.get(i) for i in ids], ids, book.datemode == 1, sheets)


@contextlib.contextmanager
def reading_with(reader: str) -> Iterator[None]:
    """reader/xlsfile.py calls biff.read_book: here xlrd's, for the block."""
    original = biff.read_book
    biff.read_book = xlrd_book if reader == "xlrd" else original       # type: ignore[assignment]
    try:
        yield
    finally:
        biff.read_book = original                                     # type: ignore[assignment]


def fidelity() -> None:
    from cbcheck.reader.grid import read_grids

    for path in sorted((ROOT / "tests" / "xls").rglob("*.xls")):
        data = path.read_bytes()
        a, b = biff.read_book(data), xlrd_book(data)
        pairs = list(zip(a.sheets, b.sheets, strict=True))
        diffs = [f"{s.name}.{k}" for s, t in pairs for k in ("name", "hidden", "rows", "hidden_rows", "hidden_cols",
                                                              "widths") if getattr(s, k) != getattr(t, k)]
        diffs += [f"{s.name}.merges" for s, t in pairs if sorted(s.merges) != sorted(t.merges)]
        diffs += ["formats"] * ((a.formats, a.format_ids, a.date1904) != (b.formats, b.format_ids, b.date1904))
        grids = []
        for reader in ("biff", "xlrd"):
            with reading_with(reader):
                grids.append([[(c.location, c.value, c.number_format) for row in g.rows for c in row]
                              for g in read_grids(data, path)[0]])
        print(f"{path.relative_to(ROOT)}: records {'same' if not diffs else 'differ ' + str(diffs)}, "
              f"grids {'same' if grids[0] == grids[1] else 'DIFFER'}")


def _damaged(base: bytes, n: int) -> Iterator[bytes]:
    """The strategies of tests/reader/test_xlsfile.py, seeded: 1-12 bytes set anywhere, or the file cut."""
    rng = random.Random(20261203)
    for i in range(n):
        if i % 6 == 5:
            yield base[:rng.randint(512, len(base) - 1)]
            continue
        d = bytearray(base)
        for _ in range(rng.randint(1, 12)):
            d[rng.randint(0, len(d) - 1)] = rng.randint(0, 255)
        yield bytes(d)


def _fuzz_worker(reader: str, seed: str, n: int) -> None:
    """In its own process: 1 GiB of address space, 10 s a file; counts by outcome."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    def hang(*_: Any) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, hang)
    read = xlrd_book if reader == "xlrd" else biff.read_book
    kinds: collections.Counter[str] = collections.Counter()
    start = time.process_time()
    for data in _damaged(Path(seed).read_bytes(), n):
        signal.alarm(10)
        try:
            read(data)
            kinds["read"] += 1
        except (TimeoutError, MemoryError, RecursionError) as exc:
            kinds[f"!{type(exc).__name__}"] += 1
        except (biff.BiffError, biff.Encrypted, biff.TooManyCells):
            kinds["refused"] += 1
        except Exception as exc:                     # what the adapter let through: none expected
            kinds[f"!{type(exc).__name__}"] += 1
        finally:
            signal.alarm(0)
    print(f"{reader:5s} {Path(seed).name}: {dict(kinds.most_common())}  cpu {time.process_time() - start:.1f} s  "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


def _raw_xlrd_exceptions(seed: str, n: int) -> None:
    """What xlrd itself raises on the same damaged bytes, by type (the adapter must catch them all)."""
    import xlrd

    kinds: collections.Counter[str] = collections.Counter()
    for data in _damaged(Path(seed).read_bytes(), n):
        try:
            xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, logfile=io.StringIO())
            kinds["read"] += 1
        except Exception as exc:
            kinds[type(exc).__name__] += 1
    print(f"raw xlrd {Path(seed).name} (python -O: {sys.flags.optimize}): {dict(kinds.most_common())}")


def fuzz(n: int) -> None:
    for seed in ("features.xls", "jining-county-pass.xls"):
        path = str(ROOT / "tests" / "xls" / seed)
        for reader in ("biff", "xlrd"):
            subprocess.run([sys.executable, __file__, "_fuzz", reader, path, str(n)], check=False)
        for flags in ([], ["-O"]):
            subprocess.run([sys.executable, *flags, __file__, "_raw", path, str(n)], check=False)


def wide_columns(n: int) -> Path:
    """n number cells in column 65,536 (BIFF8 sheets have 256), one a row: a 175 KB file at n=5000."""
    path = DATA / f"xls-column-65536-{n}.xls"
    if path.exists():
        return path
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("S")
    for r in range(1, n + 1):
        ws.write(r, 1, r + 0.5)
    DATA.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    data = path.read_bytes()
    stream = bytearray(biff.workbook_stream(data))
    at0 = data.index(bytes(stream[:512]))                  # xlwt writes the stream in one run of sectors
    at = 0
    while at + 4 <= len(stream):
        sid, length = struct.unpack_from("<HH", stream, at)
        if sid in (0x0203, 0x027E):
            struct.pack_into("<H", stream, at + 6, 0xFFFF)
        at += 4 + length
    path.write_bytes(data[:at0] + bytes(stream) + data[at0 + len(stream):])
    return path


def column(n: int) -> None:
    path = wide_columns(n)
    probe = ("import resource, sys, time; resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30)); "
             f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import xls_vs_xlrd as m; "
             "d = open(sys.argv[2], 'rb').read(); t = time.process_time()\n"
             "try: (m.xlrd_book if sys.argv[1] == 'xlrd' else m.biff.read_book)(d); r = 'read'\n"
             "except Exception as e: r = f'{type(e).__name__}: {e}'[:90]\n"
             "print(f'{sys.argv[1]:5s} -O={sys.flags.optimize}: {r}; cpu {time.process_time() - t:.2f} s, '"
             "f'peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB')")
    print(f"{path.name}: {path.stat().st_size:,} bytes")
    for flags in ([], ["-O"]):
        for reader in ("biff", "xlrd"):
            subprocess.run([sys.executable, *flags, "-c", probe, reader, str(path)], check=False)


def facility_xls(n: int) -> Path:
    path = DATA / f"facilities-{n}.xls"
    if not path.exists():
        import run
        import xlwt

        frame = run.facility_frame(n)
        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("设施")
        for c, name in enumerate(frame.columns):
            ws.write(0, c, name)
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            for c, v in enumerate(row):
                if not (v == "" or (isinstance(v, float) and math.isnan(v))):
                    ws.write(r, c, v.item() if hasattr(v, "item") else v)
        DATA.mkdir(parents=True, exist_ok=True)
        wb.save(str(path))
    return path


def ab(rounds: int, n: int = 60_000) -> None:
    path = facility_xls(n)
    argv = ["check", str(path), "--policy", str(ROOT / "benchmarks" / "facility-policy.yaml"), "--year", "2025"]
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import xls_vs_xlrd as m; "
            "from cbcheck.cli import app\nwith m.reading_with(sys.argv[1]): app(sys.argv[2:], standalone_mode=False)")
    got: dict[str, list[tuple[float, float, float, bytes]]] = {"biff": [], "xlrd": []}
    print(f"load before: {os.getloadavg()}")
    for k in range(rounds):
        for reader in ("biff", "xlrd") if k % 2 == 0 else ("xlrd", "biff"):
            t = time.perf_counter()
            p = subprocess.Popen([sys.executable, "-c", code, reader, *argv, "-f", "json"], stdout=subprocess.PIPE)
            out = p.stdout.read() if p.stdout else b""
            _, _, ru = os.wait4(p.pid, 0)
            got[reader].append((time.perf_counter() - t, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out))
    for reader, runs in got.items():
        print(f"{reader}: wall {statistics.median(r[0] for r in runs):.2f} s, "
              f"cpu {statistics.median(r[1] for r in runs):.2f} s, "
              f"peak {statistics.median(r[2] for r in runs):.0f} MB (medians of {rounds})")
    ratios = [x[1] / b[1] for b, x in zip(got["biff"], got["xlrd"], strict=True)]
    print(f"cpu xlrd/biff per round: median {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}); "
          f"reports identical: {len({r[3] for rs in got.values() for r in rs}) == 1}; load after: {os.getloadavg()}")


def biff5() -> None:
    """A Book stream of BIFF5 records in code page 936 (GBK): 表1 with 指标名称/2024年, 森林覆盖率/25.1."""
    import test_xlsfile as T

    from cbcheck.errors import CbcheckError
    from cbcheck.reader.grid import read_grids

    def rec(sid: int, body: bytes) -> bytes:
        return struct.pack("<HH", sid, len(body)) + body

    def bof(kind: int) -> bytes:
        return rec(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))

    def label(r: int, c: int, text: str) -> bytes:
        raw = text.encode("gbk")
        return rec(0x0204, struct.pack("<HHHH", r, c, 15, len(raw)) + raw)

    font = rec(0x0031, struct.pack("<HHHHHBBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0, 5) + b"Arial")
    xf = rec(0x00E0, struct.pack("<HHHBBIi", 0, 0, 0xFFF5, 0x20, 0, 0, 0))
    name = "表1".encode("gbk")

    def globals_(offset: int) -> bytes:
        return (bof(0x0005) + rec(0x0042, struct.pack("<H", 936)) + font * 5 + xf * 16
                + rec(0x0085, struct.pack("<IBBB", offset, 0, 0, len(name)) + name) + rec(0x000A, b""))

    sheet = (bof(0x0010) + label(0, 0, "指标名称") + label(0, 1, "2024年") + label(1, 0, "森林覆盖率")
             + rec(0x0203, struct.pack("<HHHd", 1, 1, 15, 25.1)) + rec(0x000A, b""))
    data = T._renamed_stream(T._small_compound_file(globals_(len(globals_(0))) + sheet), "Book")
    for reader in ("biff", "xlrd"):
        with reading_with(reader):
            try:
                grids, _ = read_grids(data, Path("旧.xls"))
                print(reader, [[(c.location, c.value) for c in row] for row in grids[0].rows])
            except CbcheckError as exc:
                print(reader, exc.message, "|", exc.hint)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    if what == "_fuzz":
        _fuzz_worker(args[0], args[1], int(args[2]))
    elif what == "_raw":
        _raw_xlrd_exceptions(args[0], int(args[1]))
    elif what in ("fuzz", "column", "ab"):
        {"fuzz": fuzz, "column": column, "ab": ab}[what](int(args[0]) if args else {"fuzz": 12000, "column": 5000,
                                                                                       "ab": 7}[what])
    else:
        {"fidelity": fidelity, "biff5": biff5}[what]()
