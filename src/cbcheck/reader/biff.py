"""Old Excel 97–2003 (.xls) and WPS (.et) workbooks read from their BIFF8 records ([MS-XLS], [MS-CFB]).

Everything the xlsx reader sees of a workbook, read here from the bytes, in Python:

- the compound-file container: the ``Workbook`` stream, followed sector by sector through the FAT
  (or the mini stream), every chain bounded by the file;
- the workbook globals: ``FILEPASS`` (a password to open), ``DATEMODE`` (the 1904 calendar),
  ``FORMAT`` and ``XF`` (each cell style's number format: a 0.45 under ``0%``, a date),
  ``BOUNDSHEET`` (each sheet's name, offset, and whether it is hidden), ``SST`` and its
  ``CONTINUE`` records (the shared strings);
- each worksheet: numbers (``NUMBER``, ``RK``, ``MULRK``), texts (``LABELSST``, ``LABEL``),
  booleans and error cells (``BOOLERR``), formulas' saved results (``FORMULA``, a text one in the
  ``STRING`` record after it), merged ranges (``MERGECELLS``), hidden rows (``ROW``) and columns
  (``COLINFO``), and how far each row writes cells (blank formatted ones too).

python-calamine (a dependency, for xlsx bodies) reads .xls too, but gives an error cell as a blank
and no number formats, nor hidden rows; and its Rust parser panics on damaged records, or aborts
the whole process where a damaged size makes it allocate gigabytes (found by damaging bytes at
random, as tests/reader/test_xlsfile.py does): no exception handler keeps a batch alive then.
An Excel 5.0/95 workbook (BIFF5, a ``Book`` stream) is not read (:class:`OtherVersion`).

xlrd (2.0.2, pandas' .xls reader) was weighed in this module's place (benchmarks/xls_vs_xlrd.py):
the same grids for every file under tests/xls and the same reports, at 1.06× the CPU (60,000
facility rows, whole process). It is not used because its bounds are asserts: under ``python -O``
a 175 KB file of 5,000 cells in column 65,536 made it allocate 3.7 GB (the refusal here is pinned
in tests/reader/test_xlsfile.py); damaged bytes make it raise eleven kinds of exception (IndexError,
KeyError, struct.error, ZeroDivisionError…: only a catch-all keeps a batch alive); and the cell
budget can be counted only once it holds a whole sheet. It does read BIFF5, in its code page.

A damaged container raises :class:`ContainerError`, damaged records :class:`BiffError`; a record
shorter than its kind is a :class:`BiffError` too. Nothing here writes: the bytes are the user's.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFA          # from here up: free, end of chain, FAT and DIFAT sector markers
# BIFF8 error codes ([MS-XLS] 2.5.10 BErr) as Excel and openpyxl show them
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A"}
_BOF, _EOF, _FILEPASS, _DATEMODE, _FORMAT, _XF, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0022, 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA, _BOOLERR, _ROW, _COLINFO = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0205, 0x0208, 0x007D
_MULBLANK, _SST, _CONTINUE, _STRING, _MERGECELLS = 0x00BE, 0x00FC, 0x003C, 0x0207, 0x00E5
_LABELSST, _LABEL, _BLANK, _SHRFMLA, _ARRAY, _TABLE = 0x00FD, 0x0204, 0x0201, 0x04BC, 0x0221, 0x0236
_CELLS = frozenset({_NUMBER, _RK, _MULRK, _FORMULA, _BOOLERR, _MULBLANK, _LABELSST, _LABEL, _BLANK})
_BIFF8 = 0x0600


class BiffError(Exception):
    """The container or the records do not parse as a BIFF8 workbook (the text says where)."""


class ContainerError(BiffError):
    """The compound file itself is damaged (a sector beyond the file, a broken chain)."""


class OtherVersion(BiffError):
    """An Excel 5.0/95 (BIFF5) or older workbook."""


class Encrypted(Exception):
    """The workbook globals hold a FILEPASS record: the sheets are encrypted."""


class TooManyCells(Exception):
    """A worksheet holds more cells than the budget allows (``args``: its name, the cells counted
    so far): said before they are all in memory."""


@dataclass
class SheetRecords:
    """One worksheet: its cells by row and column (both 1-based), each ``(kind, value, style)``:
    ``n`` a number (a float, the style its XF index), ``s`` a text, ``b`` a bool, ``e`` an error's text."""

    name: str
    hidden: bool
    rows: dict[int, dict[int, tuple[str, Any, int]]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)     # (row0, col0, row1, col1)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    cells: int = 0                  # cells holding a value (for CBCHECK_MAX_CELLS)
    # by row: the last column a cell record is written in, blank formatted cells too (an .xlsx
    # row is as long as the cells it writes: merged ranges are filled that far, xlsxfile._Merges)
    widths: dict[int, int] = field(default_factory=dict)


@dataclass
class BookRecords:
    formats: list[str | None]       # by XF index: the number format, None for a built-in id (see formats)
    format_ids: list[int]           # by XF index: the number format id
    date1904: bool
    sheets: list[SheetRecords]      # the worksheets, in the workbook's order


def _u16(b: bytes, at: int) -> int:
    return int.from_bytes(b[at:at + 2], "little")


def _u32(b: bytes, at: int) -> int:
    return int.from_bytes(b[at:at + 4], "little")


def stream_names(data: bytes) -> set[str]:
    """The names of the streams a compound file holds (``Workbook``, ``WordDocument``,
    ``EncryptedPackage``…), from its directory."""
    return set(_directory(data)[0])


def workbook_stream(data: bytes) -> bytes:
    """The ``Workbook`` stream of a compound file ([MS-CFB] 2.2–2.6)."""
    streams, read = _directory(data)
    if "workbook" not in {n.lower() for n in streams}:
        if "book" in {n.lower() for n in streams}:
            raise OtherVersion("a Book stream, BIFF5")
        raise BiffError("no Workbook stream")
    return read(next(n for n in streams if n.lower() == "workbook"))


def _directory(data: bytes) -> tuple[dict[str, tuple[int, int]], Callable[[str], bytes]]:
    """(each stream's start sector and length by name, a function reading a stream whole)."""
    try:
        streams, read = _parse_directory(data)
    except (IndexError, ValueError, struct.error) as exc:
        raise ContainerError(f"{type(exc).__name__}: {exc}") from None

    def read_checked(name: str) -> bytes:
        try:
            return read(name)
        except (IndexError, ValueError, struct.error) as exc:
            raise ContainerError(f"{type(exc).__name__}: {exc}") from None

    return streams, read_checked


def _parse_directory(data: bytes) -> tuple[dict[str, tuple[int, int]], Callable[[str], bytes]]:
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise ContainerError("not a compound file")
    shift = _u16(data, 0x1E)
    if shift not in (9, 12) or _u16(data, 0x20) != 6:
        raise ContainerError(f"sector size 2^{shift}")
    size = 1 << shift
    n_sectors = -(-len(data) // size) - 1          # the header takes the first sector's place

    def sector(n: int) -> bytes:
        if n >= n_sectors:
            raise ContainerError(f"sector {n} beyond the file")
        return data[(n + 1) * size:(n + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    at, seen = _u32(data, 0x44), 0
    while at < _END_OF_CHAIN and seen < n_sectors:
        block = sector(at)
        difat.extend(struct.unpack_from(f"<{size // 4 - 1}I", block))
        at, seen = _u32(block, size - 4), seen + 1
    # no chain or table may hold more sectors than the file does: a loop or a repeated sector ends there
    fat_sectors = [s for s in difat if s < _END_OF_CHAIN][:min(_u32(data, 0x2C), n_sectors)]
    fat = b"".join(sector(s) for s in fat_sectors)

    def chain(start: int, table: bytes, limit: int) -> list[int]:
        out: list[int] = []
        while start < _END_OF_CHAIN:
            if start * 4 >= len(table) or len(out) > limit:
                raise ContainerError("a broken sector chain")
            out.append(start)
            start = _u32(table, start * 4)
        return out

    directory = b"".join(sector(s) for s in chain(_u32(data, 0x30), fat, n_sectors))
    entries = []
    for k in range(0, len(directory) - 127, 128):
        e = directory[k:k + 128]
        n = min(_u16(e, 64), 64)
        entries.append((e[:max(n - 2, 0)].decode("utf-16-le", "replace"), e[66], _u32(e, 116), _u32(e, 120),
                        _u32(e, 68), _u32(e, 72), _u32(e, 76)))
    if not entries:
        raise ContainerError("no directory")
    # the root storage's own streams: its child and that child's siblings (a tree by left and right
    # links); an embedded object's storage (MBD…) holds a Workbook stream of its own, not this one
    streams: dict[str, tuple[int, int]] = {}
    todo, visited = [entries[0][6]], set[int]()
    while todo:
        i = todo.pop()
        if i >= len(entries) or i in visited:
            continue
        visited.add(i)
        name, kind, start, length, left, right, _ = entries[i]
        if kind == 2:
            streams[name] = (start, length)
        todo += [left, right]

    def read(name: str) -> bytes:
        start, length = streams[name]
        if length >= _u32(data, 0x38):
            stream = b"".join(sector(s) for s in chain(start, fat, n_sectors))
        else:       # a small stream lives in the mini stream, in 64-byte sectors of its own FAT
            root = entries[0]
            mini = b"".join(sector(s) for s in chain(root[2], fat, n_sectors))[:root[3]]
            minifat = b"".join(sector(s) for s in chain(_u32(data, 0x3C), fat, n_sectors))
            stream = b"".join(mini[s * 64:(s + 1) * 64] for s in chain(start, minifat, len(mini) // 64 + 1))
        if len(stream) < length:
            raise ContainerError(f"the {name} stream is cut short")
        return stream[:length]

    return streams, read


def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """The records of one substream from its BOF at ``at`` to its EOF (embedded charts skipped)."""
    depth = 0
    while at + 4 <= len(stream):
        sid, n = _u16(stream, at), _u16(stream, at + 2)
        body = stream[at + 4:at + 4 + n]
        if depth == 0 and sid != _BOF:
            raise BiffError(f"no BOF at {at}")
        at += 4 + n
        if sid == _BOF:
            depth += 1
            version = _u16(body, 0)
            if depth == 1 and version != _BIFF8:
                raise (OtherVersion if version == 0x0500 else BiffError)(f"BIFF version {version:#06x}")
        elif sid == _EOF:
            depth -= 1
            if depth == 0:
                return
        elif depth == 1:
            yield sid, body
    raise BiffError("a substream without EOF")


def _unicode(b: bytes, at: int, count: int) -> str:
    """An XLUnicodeString's characters from its flags byte at ``at`` ([MS-XLS] 2.5.294)."""
    flags = b[at]
    at += 1 + (2 if flags & 0x08 else 0) + (4 if flags & 0x04 else 0)
    if flags & 0x01:
        return b[at:at + 2 * count].decode("utf-16-le", "replace")
    return b[at:at + count].decode("latin-1")


def _shared_strings(parts: list[bytes]) -> list[str]:
    """The SST record and its CONTINUE records ([MS-XLS] 2.4.265): each string's characters may run
    on into the next record, which then starts with a flags byte of its own (compressed or not);
    rich-text runs and phonetic data after the characters are skipped, across records too."""
    count = _u32(parts[0], 4)
    out: list[str] = []
    k, data, pos = 0, parts[0], 8

    def next_part() -> bytes:
        nonlocal k
        k += 1
        if k >= len(parts):
            raise BiffError(f"SST cut short at string {len(out) + 1:,} of {count:,}")
        return parts[k]

    while len(out) < count:
        if pos + 3 > len(data):
            data, pos = next_part(), 0
            continue
        cch, flags = _u16(data, pos), data[pos + 2]
        pos += 3
        runs = _u16(data, pos) if flags & 0x08 else 0
        pos += 2 if flags & 0x08 else 0
        ext = _u32(data, pos) if flags & 0x04 else 0
        pos += 4 if flags & 0x04 else 0
        wide, chunks, left = flags & 0x01, [], cch
        while left:
            if pos >= len(data):
                data = next_part()
                wide, pos = data[0] & 0x01, 1
            take = min(left, (len(data) - pos) // (2 if wide else 1))
            if take == 0:
                raise BiffError("a character split across records")
            end = pos + take * (2 if wide else 1)
            chunks.append(data[pos:end].decode("utf-16-le" if wide else "latin-1", "replace"))
            pos, left = end, left - take
        out.append("".join(chunks))
        skip = 4 * runs + ext
        while skip:
            if pos >= len(data):
                data, pos = next_part(), 0
            step = min(skip, len(data) - pos)
            pos, skip = pos + step, skip - step
    return out


def _rk(value: int) -> float:
    if value & 0x02:
        number = float(value >> 2 if value < 0x80000000 else (value >> 2) - (1 << 30))
    else:
        number = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    return number / 100 if value & 0x01 else number


def read_book(data: bytes, max_cells: int = 0) -> BookRecords:
    """Every worksheet's cells, formats and layout; :class:`Encrypted`, :class:`OtherVersion`, or
    another :class:`BiffError` where the bytes are not a BIFF8 workbook that can be read;
    :class:`TooManyCells` for a worksheet of more than ``max_cells`` cells (0: no limit)."""
    stream = workbook_stream(data)
    try:
        return _book(stream, max_cells)
    except (IndexError, ValueError, struct.error) as exc:       # a record shorter than its kind
        raise BiffError(f"{type(exc).__name__}: {exc}") from None


def _book(stream: bytes, max_cells: int) -> BookRecords:
    custom: dict[int, str] = {}
    xf_ids: list[int] = []
    date1904 = False
    boundsheets: list[tuple[str, int, int, int]] = []
    sst: list[bytes] = []
    in_sst = False
    for sid, body in _records(stream, 0):
        if sid == _FILEPASS:
            raise Encrypted
        if sid == _DATEMODE:
            date1904 = _u16(body, 0) == 1
        elif sid == _FORMAT:
            custom[_u16(body, 0)] = _unicode(body, 4, _u16(body, 2))
        elif sid == _XF:
            xf_ids.append(_u16(body, 2))
        elif sid == _BOUNDSHEET:
            boundsheets.append((_unicode(body, 7, body[6]), _u32(body, 0), body[4] & 0x03, body[5]))
        elif sid == _SST or (sid == _CONTINUE and in_sst):
            sst.append(body)
        in_sst = sid == _SST or (sid == _CONTINUE and in_sst)
    strings = _shared_strings(sst) if sst else []
    sheets = [_sheet(stream, at, SheetRecords(name, state != 0), strings, max_cells)
              for name, at, state, kind in boundsheets if kind == 0]    # worksheets, not charts or macros
    return BookRecords([custom.get(i) for i in xf_ids], xf_ids, date1904, sheets)


def _sheet(stream: bytes, at: int, out: SheetRecords, strings: list[str], max_cells: int) -> SheetRecords:
    rows, widths = out.rows, out.widths
    pending: tuple[int, int] | None = None           # a formula whose text result is the next STRING record

    def put(r: int, c: int, cell: tuple[str, Any, int]) -> None:
        rows.setdefault(r, {})[c] = cell
        out.cells += 1
        if max_cells and out.cells > max_cells:
            raise TooManyCells(out.name, out.cells)

    for sid, body in _records(stream, at):
        if sid not in _CELLS:
            if sid == _STRING and pending is not None:
                put(*pending, ("s", _unicode(body, 2, _u16(body, 0)), 0))
            elif sid == _ROW and _u16(body, 12) & 0x20:
                out.hidden_rows.add(_u16(body, 0) + 1)
            elif sid == _COLINFO and _u16(body, 8) & 0x01:
                out.hidden_cols.append((_u16(body, 0) + 1, min(_u16(body, 2), 255) + 1))
            elif sid == _MERGECELLS:
                for k in range(min(_u16(body, 0), (len(body) - 2) // 8)):
                    r0, r1, c0, c1 = struct.unpack_from("<4H", body, 2 + 8 * k)
                    out.merges.append((r0 + 1, c0 + 1, r1 + 1, c1 + 1))
            pending = None if sid not in (_SHRFMLA, _ARRAY, _TABLE) else pending
            continue
        pending = None
        r, c = _u16(body, 0) + 1, _u16(body, 2) + 1
        last = _u16(body, len(body) - 2) + 1 if sid in (_MULRK, _MULBLANK) else c
        if last > 256 or c > last:
            raise BiffError(f"a cell in column {last} of row {r}")
        if last > widths.get(r, 0):
            widths[r] = last
        if sid == _NUMBER:
            put(r, c, ("n", struct.unpack_from("<d", body, 6)[0], _u16(body, 4)))
        elif sid == _RK:
            put(r, c, ("n", _rk(_u32(body, 6)), _u16(body, 4)))
        elif sid == _MULRK:
            for j in range((len(body) - 6) // 6):
                put(r, c + j, ("n", _rk(_u32(body, 6 + 6 * j)), _u16(body, 4 + 6 * j)))
        elif sid == _LABELSST:
            put(r, c, ("s", strings[_u32(body, 6)], 0))
        elif sid == _LABEL:
            put(r, c, ("s", _unicode(body, 8, _u16(body, 6)), 0))
        elif sid == _BOOLERR:
            put(r, c, ("e", ERRORS.get(body[6], "#VALUE!"), 0) if body[7] else ("b", bool(body[6]), 0))
        elif sid == _FORMULA:
            if body[12:14] != b"\xff\xff":
                put(r, c, ("n", struct.unpack_from("<d", body, 6)[0], _u16(body, 4)))
            elif body[6] == 0:
                pending = (r, c)
            elif body[6] == 1:
                put(r, c, ("b", bool(body[8]), 0))
            elif body[6] == 2:
                put(r, c, ("e", ERRORS.get(body[8], "#VALUE!"), 0))
            # 3: the formula's result is the empty text, a blank cell as in an .xlsx
    return out
