"""Random bytes, truncated and damaged workbooks: a reading or a SubmissionError, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reader_support import CASES, cat  # noqa: F401  (fixture)

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.model import Submission
from cbcheck.reader import read_submission

WORKBOOK = (CASES / "xlsx_merged_header.xlsx").read_bytes()
CSV = (CASES / "csv_gbk.csv").read_bytes()


def _read(path: Path, data: bytes, cat: Catalogue) -> None:
    path.write_bytes(data)
    try:
        result = read_submission(path, cat)
    except SubmissionError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(result, Submission)


@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".tsv", ".xls"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes(tmp_path: Path, cat: Catalogue, data: bytes, suffix: str) -> None:
    _read(tmp_path / f"random{suffix}", data, cat)


@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
                               "指标名称,单位,2024年\n".encode("gbk")]), data=st.binary(max_size=2000),
       suffix=st.sampled_from([".csv", ".xlsx"]))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_behind_a_plausible_start(tmp_path: Path, cat: Catalogue, prefix: bytes, data: bytes,
                                               suffix: str) -> None:
    _read(tmp_path / f"plausible{suffix}", prefix + data, cat)


@pytest.mark.parametrize("cut", sorted({*range(0, len(WORKBOOK), max(1, len(WORKBOOK) // 40)), len(WORKBOOK) - 1,
                                        len(WORKBOOK) - 22}))
def test_truncated_workbook(tmp_path: Path, cat: Catalogue, cut: int) -> None:
    _read(tmp_path / "cut.xlsx", WORKBOOK[:cut], cat)


@given(offset=st.integers(min_value=0, max_value=len(WORKBOOK) - 1), byte=st.integers(0, 255))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_one_damaged_byte_in_a_workbook(tmp_path: Path, cat: Catalogue, offset: int, byte: int) -> None:
    damaged = bytearray(WORKBOOK)
    damaged[offset] = byte
    _read(tmp_path / "damaged.xlsx", bytes(damaged), cat)


@given(offset=st.integers(min_value=0, max_value=len(CSV) - 1), data=st.binary(min_size=1, max_size=8))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_damaged_csv(tmp_path: Path, cat: Catalogue, offset: int, data: bytes) -> None:
    _read(tmp_path / "damaged.csv", CSV[:offset] + data + CSV[offset:], cat)


def test_damaged_sheet_xml_is_a_submission_error(tmp_path: Path, cat: Catalogue) -> None:
    """Valid zip, valid CRC, but the sheet XML itself is cut short."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            dst.writestr(info, body)
    with pytest.raises(SubmissionError, match="cannot be read|cannot open"):
        read_submission(_write(tmp_path / "half.xlsx", out.getvalue()), cat)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
