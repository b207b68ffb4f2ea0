"""A facility's 备注 (remark) beside its verdicts: ``已停产``, ``已关停``, ``停产`` written there is
said next to every verdict the facility gets, never read as its state.

Why not read: a remark is free text (``拟于2024年关停`` holds 关停 and says the oven still runs), and
the state it names is not what the rules ask. A closure deadline asks whether the facility closed
and when (关停退出时间, or 运行状态 where the date is blank); 停产 is not 关停 (the plant can
restart). An operating threshold (供电煤耗, 单位产品能耗) holds for the facility as it is
permitted to run: a stopped unit can restart, and the value it reports is from when it ran. So the
verdict stands as the cells give it, and the remark is put beside it, for the reader to weigh.
"""

from __future__ import annotations

import numpy as np

from cbcheck.facility_results import TablePart
from cbcheck.i18n.message import Msg

# words of a remark that say the facility does not run (stopped, closed, demolished…)
STOPPED_WORDS = ("停产", "关停", "停运", "停用", "停机", "拆除", "淘汰", "关闭", "报废", "退出")


def with_remarks(part: TablePart) -> TablePart:
    """``part`` with each listed facility whose remark says it stopped given that remark in its reason."""
    table = part.table
    if "remark" not in table or not len(part.index):
        return part
    codes, uniques = table.factorized("remark")
    stopped = np.array([any(w in str(u) for w in STOPPED_WORDS) for u in uniques] + [False], dtype=bool)
    at = np.flatnonzero(stopped[codes[part.index]])
    for k in at.tolist():
        pos = int(part.index[k])
        note = Msg("msg.remark_seen", remark=str(uniques[int(codes[pos])]),
                   location=table.location("remark", int(table.rows[pos])))
        given = part.reason[k]
        part.reason[k] = Msg("msg.dot", left=given, right=note) if given else note
    return part
