"""A date typed in Chinese Excel or WPS may carry a built-in East Asian format id (31: 2023年10月31日,
57/58, 27-36, 50-58) with no numFmt element: it is a date on every reading path, never the serial."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cbcheck.reader.grid import open_grids
from cbcheck.reader.xlsxfile import _load_openpyxl


def _workbook(fid: int) -> bytes:
    """A workbook whose B2 holds 2023-10-31 styled with the built-in id ``fid`` and no numFmt element, as
    a Chinese Excel writes it (openpyxl itself writes only custom formats: the styles are rewritten)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "焦炉"
    ws.append(["焦炉编号", "关停时间"])
    ws.append(["1#焦炉", dt.datetime(2023, 10, 31)])
    ws["B2"].number_format = 'yyyy"年"m"月"d"日";@'
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                text = data.decode("utf-8")
                customs = re.findall(r'<numFmt numFmtId="(\d+)"[^>]*/>', text)
                assert customs
                text = re.sub(r'<numFmts count="\d+">.*?</numFmts>', "", text)
                for custom in customs:
                    text = text.replace(f'numFmtId="{custom}"', f'numFmtId="{fid}"')
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("fid", [31, 57, 58, 27, 14])
def test_an_east_asian_builtin_date_is_a_date(tmp_path: Path, fid: int) -> None:
    data = _workbook(fid)
    path = tmp_path / "焦炉.xlsx"
    path.write_bytes(data)
    with open_grids(data, path) as (grids, _):
        cells = [c.value for row in grids[0].rows for c in row]
    assert cells[-1] == dt.datetime(2023, 10, 31)            # reader/xlsxlight.py
    wb = _load_openpyxl(data, str(path))                       # the openpyxl path reads it alike
    assert list(wb.active.values)[1][1] == dt.datetime(2023, 10, 31)
