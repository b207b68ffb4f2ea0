"""CSV bytes to a :class:`~cbcheck.reader.grid.Grid`: encoding, delimiter, what the text really is.

Encoding, in order: ``--encoding``; a byte-order mark (UTF-8, UTF-16, UTF-32, GB18030);
UTF-16 without a mark (told by its zero bytes); strict UTF-8; GB18030 (which covers GBK
and GB2312) when the result reads as Chinese; then charset-normalizer's guess, which is
named in the notes because a guess must never be silent. Line endings may be CRLF, LF
or a bare CR, mixed. Delimiters ``,`` ``;`` tab and ``|`` are told apart by which one
splits the most lines into the same number of fields; Excel's ``sep=;`` first line is
honoured.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from cbcheck import budgets
from cbcheck.i18n.message import Msg
from cbcheck.readnote import ReadNote, Span
from cbcheck.errors import SubmissionError, UsageError
from cbcheck.reader.grid import Cell, Grid, Sheet, one_line

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (b"\x84\x31\x95\x33", "gb18030"),
)
_DELIMITERS = (",", "\t", ";", "|")
_SEP_LINE = re.compile(r"^sep=(.)\s*$")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
SAMPLE_CHARS = 64 * 1024
# A UTF-8 file larger than this is decoded only as far as its head (about this many bytes, to a
# line end) when it is read: a facility table's rows are read by pyarrow from the bytes
# (reader/fastcsv.py), and the rest is decoded only if a reader asks for it (CsvText).
HEAD_BYTES = 1024 * 1024
_PIECE = 1024 * 1024


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _reads_as_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; accept it only when the result is ordinary Chinese.

    Latin-1 text such as ``Histórico`` also decodes as GB18030 (``Hist髍ico``) but into rare
    characters outside GB2312, wedged between Latin letters. Real GBK exports are mostly
    GB2312 characters; the ideographs GBK adds (traditional forms, name characters such as
    堃 赟 镕 in 堃源煤业) stand next to other Chinese, digits or commas, so they count too —
    a short file naming one such company must not be handed to a guesser that reads it as Big5.
    """
    sample = text[:SAMPLE_CHARS]
    wide = [i for i, c in enumerate(sample) if ord(c) > 127]
    if not wide:
        return True
    common = sum(1 for i in wide if _ordinary_chinese(sample, i))
    return common >= 0.9 * len(wide)


_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def _ordinary_chinese(text: str, i: int) -> bool:
    c = text[i]
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    if not _IDEOGRAPH.match(c):
        return False
    return not any(0 <= j < len(text) and _LATIN_LETTER.match(text[j]) for j in (i - 1, i + 1))


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, how it was decoded) — see the module docstring for the order."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(Msg("rest.read_unknown_encoding", encoding=encoding),
                             hint=Msg("rest.read_unknown_encoding_hint")) from None
        if codec == "utf-8":
            codec = "utf-8-sig"
        try:
            return data.decode(codec), f"{encoding} (as given with --encoding)"
        except UnicodeDecodeError as exc:
            raise SubmissionError(Msg("rest.read_not_valid_encoding", encoding=encoding, byte=exc.start),
                                  where=path, hint=Msg("rest.read_not_valid_encoding_hint")) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SubmissionError(Msg("rest.read_bad_after_bom", codec=codec, byte=exc.start), where=path,
                                      hint=Msg("rest.read_bad_after_bom_hint")) from None
            return text.lstrip("\ufeff"), f"{codec} (byte-order mark)"
    codec16 = _utf16_without_bom(data)
    if codec16:
        try:
            return data.decode(codec16), f"{codec16} (no byte-order mark)"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _reads_as_chinese(text):
            return text, "gb18030 (not UTF-8; GBK/GB18030 assumed)"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # deferred: only for files that are neither UTF-8 nor GBK

    best = from_bytes(data).best()
    if best is None:
        raise SubmissionError(Msg("rest.read_unknown_text_encoding"), where=path,
                              hint=Msg("rest.read_unknown_text_encoding_hint"))
    return str(best), f"{best.encoding} (guessed; pass --encoding if names look garbled)"


def text_kind(data: bytes) -> str:
    """``html``, ``xml``, ``json`` or ``text``, from how the file begins."""
    head = data[:2048]
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    start = head.replace(b"\x00", b"").lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return "html"
    if start.startswith(b"<") and b"<html" in start:
        return "html"
    if start.startswith(b"<"):
        return "xml"
    if start.startswith(b"{") or (start.startswith(b"[") and start[1:2] in (b"{", b"[", b"\"", b"\n", b"\r")):
        return "json"
    return "text"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (> 0) of fields."""
    lines = [re.sub(r'"[^"]*"', "", ln) for ln in text[:SAMPLE_CHARS].splitlines()[:200] if ln.strip()]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = Counter(ln.count(delim) for ln in lines)
        counts.pop(0, None)
        if not counts:
            continue
        fields, lines_agreeing = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (lines_agreeing, fields)
        if score > best_score:
            best, best_score = delim, score
    return best


def _refuse_text_kind(text: str, path: str, suffix: str) -> None:
    kind = text_kind(text[:2048].encode("utf-8", "ignore"))
    if kind == "html":
        raise SubmissionError(Msg("rest.read_html_as_csv", suffix=suffix),
                              where=path, hint=Msg("rest.read_html_as_csv_hint"))
    if kind == "xml":
        what = (Msg("rest.read_what_xml2003") if "urn:schemas-microsoft-com:office:spreadsheet" in text[:4096]
                else Msg("rest.read_what_xml"))
        raise SubmissionError(Msg("rest.read_not_csv", what=what), where=path,
                              hint=Msg("rest.read_not_csv_hint"))
    if kind == "json":
        raise SubmissionError(Msg("rest.read_json_as_csv"), where=path,
                              hint=Msg("rest.read_json_as_csv_hint"))


_HOW = (("(as given with --encoding)", "read.how_given"), ("(byte-order mark)", "read.how_bom"),
        ("(no byte-order mark)", "read.how_no_bom"), ("(not UTF-8; GBK/GB18030 assumed)", "read.how_gbk"),
        ("(guessed; pass --encoding if names look garbled)", "read.how_guessed"))


def _how(how: str) -> str:
    """What :func:`decode` says of its choice, as a sentence in every language."""
    for tail, key in _HOW:
        if how.endswith(" " + tail):
            return Msg(key, encoding=how[: -len(tail) - 1])
    return how


def _shown(delimiter: str) -> str:
    """A delimiter as the note shows it (a tab is ``\\t``, as before)."""
    return repr(delimiter)[1:-1]


class CsvText:
    """A CSV file's text, without its byte-order mark and ``sep=`` line.

    ``head`` is the whole text, or (``cut`` given) its beginning, decoded from ``raw[:cut]``, a
    line end; the rest of the bytes, already checked to be valid UTF-8, are decoded only when a
    reader asks for the text (:meth:`whole`) or reads rows past the head (:meth:`pieces`).
    ``raw``: the file's bytes, for a reader that parses them directly (reader/fastcsv.py), which
    lets them go (:meth:`release`) once it has read the table from them.
    """

    def __init__(self, head: str, raw: bytes, cut: int | None = None, line_ends: int | None = None) -> None:
        self.head = head
        self.raw: bytes | None = raw
        self._cut = cut
        self._whole = head if cut is None else None
        # CR and LF bytes in ``raw`` past a byte-order mark, where the head's UTF-8 check counted them:
        # a bound on the rows a reader of the bytes sizes its buffers by (no second pass to count them)
        self.line_ends = line_ends

    def drop_first_line(self) -> None:
        self.head = self.head.partition("\n")[2]
        if self._whole is not None:
            self._whole = self.head

    def whole(self) -> str:
        if self._whole is None:
            assert self.raw is not None and self._cut is not None, "the bytes were released"
            self._whole = self.head + str(memoryview(self.raw)[self._cut:], "utf-8")
        return self._whole

    def release(self) -> None:
        self.raw = None

    def pieces(self) -> Iterator[str]:
        """The text in pieces of about a MiB, each but the last ending with ``\\n`` (so no ``\\r\\n``
        is split): the csv module reads them line by line as it would read the whole text,
        without a copy of it all (a StringIO holds four bytes a character)."""
        yield from _text_pieces(self.head)
        pos = self._cut
        if pos is None:
            return
        # looked up only past the head: a reader that let the bytes go reads no rows past it
        data = self.raw
        assert data is not None, "the bytes were released"
        view = memoryview(data)
        while pos < len(data):
            end = data.find(b"\n", pos + _PIECE)
            end = len(data) if end < 0 else end + 1
            yield str(view[pos:end], "utf-8")
            pos = end


def _text_pieces(text: str) -> Iterator[str]:
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos + _PIECE)
        end = len(text) if end < 0 else end + 1
        yield text if pos == 0 and end == len(text) else text[pos:end]
        pos = end


def _utf8_line_ends(data: bytes, start: int) -> int | None:
    """``text.count("\\n") + text.count("\\r")`` of the text ``data[start:]`` decodes to as
    strict UTF-8 (CR and LF are single bytes in UTF-8), or None when it does not decode. One
    pass in pieces of ~256 KiB cut after a line end (an LF byte is never inside a character, so
    each piece is UTF-8 on its own exactly when the whole is): each is checked by Arrow's
    validator (strict as Python's decoder: overlong forms, surrogates and code points past
    U+10FFFF refused; no string made) and counted while it is in the cache. 29 ms for the 46 MiB
    of the 1M-row benchmark, against 39 ms with Python's incremental decoder; no string of the
    whole file is made."""
    # a file over HEAD_BYTES only: a facility table, which needs numpy and pyarrow anyway
    import numpy as np
    import pyarrow as pa

    octets = np.frombuffer(data, dtype=np.uint8)
    view = memoryview(data)
    ends, pos, size = 0, start, len(data)
    while pos < size:
        stop = data.find(b"\n", pos + _CHECKED) + 1 or size
        text = pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, stop - pos], dtype=np.int64)),
                                                pa.py_buffer(view[pos:stop]))
        try:
            text.validate(full=True)
        except pa.ArrowInvalid:
            return None
        piece = octets[pos:stop]
        ends += int(np.count_nonzero(piece == 10)) + int(np.count_nonzero(piece == 13))
        pos = stop
    return ends


_CHECKED = 256 * 1024       # a piece of the UTF-8 pass: Arrow's call costs ~10 µs, the piece stays in L2


def _head_only(data: bytes, encoding: str | None) -> tuple[CsvText, str, int] | None:
    """A large file that :func:`decode` would read as UTF-8, decoded only as far as its head: the
    same text and the same judgement (every byte is still checked to be UTF-8), for every check
    :func:`read_csv_grid` makes, which look at the first ``SAMPLE_CHARS`` characters and the
    line count (counted in the bytes, in the same pass as the UTF-8 check). None where the head
    would not do: another encoding or ``--encoding``, NUL padding at the end (stripped from the
    text), a head without a line end, blank or shorter than the samples."""
    if encoding or len(data) <= HEAD_BYTES or data.endswith(b"\x00"):
        return None
    start, how = (3, "utf-8-sig (byte-order mark)") if data.startswith(codecs.BOM_UTF8) else (0, "utf-8")
    if start == 0 and (any(data.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(data)):
        return None
    cut = data.rfind(b"\n", start, HEAD_BYTES) + 1
    view = memoryview(data)
    if cut <= start:
        return None
    ends = _utf8_line_ends(data, start)
    if ends is None:
        return None
    head = str(view[start:cut], "utf-8")
    if start:
        head = head.lstrip("\ufeff")
    if not head.strip() or len(head) < SAMPLE_CHARS + head.find("\n") + 1:
        return None
    return CsvText(head, data, cut, ends), how, ends


def _unended(file: bytes | str) -> int:
    """1 when the file's last line has no line end (it is a line all the same)."""
    if isinstance(file, bytes):
        return int(bool(file) and not file.endswith((b"\n", b"\r")))
    return int(bool(file) and not file.endswith(("\n", "\r")))


def _crlf(file: bytes | str) -> int:
    """The CR LF pairs, each counted twice among the CR and LF: in the bytes (UTF-8, where CR and LF are
    single bytes and a BOM holds neither) or in the decoded text. U+2028 and the like end no CSV row."""
    return file.count(b"\r\n") if isinstance(file, bytes) else file.count("\r\n")


def read_csv_grid(data: bytes, path: Path, encoding: str | None = None,
                  delimiter: str | None = None) -> tuple[Grid, list[str]]:
    where = str(path)
    lazy = _head_only(data, encoding)
    if lazy is not None:
        source, how, ends = lazy
        text = source.head      # the checks below read no further than the head, and the line count
    else:
        text, how = decode(data, where, encoding)
    notes: list[str] = [ReadNote("encoding", "read.read_as", file=path.name, how=_how(how))]
    _refuse_text_kind(text, where, path.suffix.lower() or "(no extension)")
    sample = text[:SAMPLE_CHARS]
    controls = len(_CONTROL.findall(sample))
    nuls = sample.count("\x00")
    if controls + nuls > max(8, len(sample) // 100):
        raise SubmissionError(Msg("rest.read_binary"), where=where,
                              hint=Msg("rest.read_binary_hint"))
    if text.endswith("\x00"):
        # padding after the last line (a fixed-size export buffer) carries nothing
        stripped = text.rstrip("\x00")
        notes.append(ReadNote("cleaned", "read.nul_trailing", file=path.name, n=len(text) - len(stripped)))
        text = stripped
    # A NUL inside a cell is removed from text (a label still matches, with a note naming the cell)
    # but kept in anything written like a number: removing it would silently turn 1<NUL>3 into 13,
    # so that cell cannot be read and is an ERROR at the cell (see _cell_value).
    if not text.strip():
        raise SubmissionError(Msg("rest.read_no_content"), where=where, hint=Msg("rest.read_export_again"))
    file = data if lazy is not None else text
    lines = (ends if lazy is not None else text.count("\n") + text.count("\r")) + _unended(file)
    if budgets.exceeded("CBCHECK_MAX_CSV_ROWS", lines):
        # CR LF counted twice above: counted again where the file already is (the bytes, or the text
        # decoded), never by decoding it whole and splitting it into a list of lines — that took
        # 2.7 GB and 6 s to refuse a 490 MB file of 10M rows, the file a budget exists to turn away
        lines -= _crlf(file)
        if budgets.exceeded("CBCHECK_MAX_CSV_ROWS", lines):
            raise budgets.refuse("CBCHECK_MAX_CSV_ROWS", Msg("rest.found_csv_lines", n=f"{lines:,}"), where)
    if lazy is None:
        source = CsvText(text, data)
    first_line = text.partition("\n")[0]
    m = _SEP_LINE.match(first_line.strip("\r"))
    if m and delimiter is None:
        delimiter = m.group(1)
        source.drop_first_line()
        notes.append(ReadNote("delimiter", "read.delimiter_sep", [Span.cell(path.name, True, 1, 1)], file=path.name,
                              delimiter=_shown(delimiter)))
    if delimiter is None:
        delimiter = sniff_delimiter(source.head)
        notes.append(ReadNote("delimiter", "read.delimiter", file=path.name, delimiter=_shown(delimiter)))
    sheet = Sheet(name=path.name, path=where, kind="csv")
    grid_notes: list[str] = []
    grid = Grid(sheet=sheet, source=_rows(source, delimiter, sheet, where, grid_notes))
    grid.notes = grid_notes
    grid.csv_text, grid.csv_delimiter = source, delimiter
    grid.csv_encoding = how
    return grid, notes


_NUMBERISH = re.compile(r"^[\s\d.,+\-eE%]*$")


def _without_nul(value: str, location: str, notes: list[str]) -> str:
    if "\x00" not in value or _NUMBERISH.match(value.replace("\x00", "")):
        return value
    row, col = (int(x) for x in location.rsplit(":", 2)[1:])
    notes.append(ReadNote("cleaned", "read.nul_removed", [Span.cell(location.rsplit(":", 2)[0], True, row, col)],
                          location=location))
    return value.replace("\x00", "")


def _rows(text: CsvText, delimiter: str, sheet: Sheet, where: str, notes: list[str]) -> Iterator[list[Cell]]:
    """Cells row by row, made only for the rows a reader looks at (a large facility CSV is
    read by pyarrow or pandas instead: reader/facility_body.py)."""
    lines = itertools.chain.from_iterable(io.StringIO(piece, newline="") for piece in text.pieces())
    reader = csv.reader(lines, delimiter=delimiter)
    max_cols = budgets.limit("CBCHECK_MAX_COLUMNS")
    try:
        for r, record in enumerate(reader, start=1):
            while record and not record[-1].strip():
                record.pop()
            if max_cols and len(record) > max_cols:
                raise budgets.refuse("CBCHECK_MAX_COLUMNS", Msg("rest.found_line_columns", r=r, n=f"{len(record):,}"),
                                     f"{where}:{r}")
            if "\x00" in "".join(record):
                record = [_without_nul(v, sheet.location(r, c), notes) for c, v in enumerate(record, start=1)]
            yield [Cell(v if v.strip() else None, r, c, sheet) for c, v in enumerate(record, start=1)]
    except csv.Error as exc:
        raise SubmissionError(Msg("rest.read_malformed_csv", detail=one_line(exc)), where=f"{where}:{reader.line_num}",
                              hint=Msg("rest.read_malformed_csv_hint")) from None
