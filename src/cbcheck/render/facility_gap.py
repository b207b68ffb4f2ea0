"""The 差距 of a facility rule: how many facilities miss it and by how much the worst one does.

A region rule's gap is one number (还差 0.5 个百分点); a facility rule judges each facility, so its
gap is the count that fails and the worst distance from the limit among them
(``2 个燃煤发电机组不达标，最大超出 52 克标准煤/千瓦时``). Deadlines and yes/no requirements have no
distance: the count alone. A rule MISSING because plants wrote 已关停 without the date, once the
deadline has come, has the count of dates not given (``2 个焦炉未填完成日期``).
"""

from __future__ import annotations

from typing import Any

from cbcheck.checks.base import fmt
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.model import Finding, Status


def gap_amount(gap: float, unit: str | None, m: Messages) -> str:
    """A distance in the requirement's terms: 2.4 个百分点 for a percentage, else the number and
    its unit (a rule's gap and a facility rule's worst facility alike)."""
    return m("gap.points", n=fmt(gap)) if unit == "%" else (f"{fmt(gap)} {unit}" if unit else fmt(gap))


def _worst(result: Any, status: str) -> float | None:
    """The failing facilities' largest distance from their limit, signed (observed − limit); the
    first of equals, in the table's order. Dates, yes/no and texts have no distance: left out."""
    import numpy as np     # a county report never imports numpy: only a facility finding gets here

    worst: float | None = None
    names = result._status_names()
    for part in result.parts:
        mask = names[part.verdicts] == status
        with np.errstate(invalid="ignore"):           # inf − inf: NaN, left out below
            gaps = part.observed[mask].floats() - part.expected[mask].floats()
        gaps = gaps[np.isfinite(gaps)]
        found = float(gaps[int(np.argmax(np.abs(gaps)))]) if gaps.size else None
        if found is not None and (worst is None or abs(found) > abs(worst)):
            worst = found
    return worst


def facility_kind(result: Any) -> Any:
    said = result.facility_type          # msg.facility_kind: 燃煤发电机组 (coal_power_unit)
    if isinstance(said, Msg) and "name" in said.params:
        return said.params["name"]
    from cbcheck.facilities import name_of

    return name_of(str(said), "type")


def undated_facilities(result: Any) -> tuple[int, int]:
    """(facilities done without a date once the deadline came, other facilities missing a value):
    the first are asked for their completion date, not for data."""
    import numpy as np     # a county report never imports numpy: only a facility finding gets here

    from cbcheck.checks import Verdict

    names = result._status_names()
    undated = others = 0
    for part in result.parts:
        n = int(np.count_nonzero(part.verdicts == Verdict.DONE_UNDATED))
        undated += n
        others += int(np.count_nonzero(names[part.verdicts] == Status.MISSING.value)) - n
    return undated, others


def facility_gap(f: Finding, m: Messages) -> str:
    result = f.details.get("facilities")
    if result is not None and f.status is Status.MISSING:     # done, no date: the gap is the dates not given
        undated, _ = undated_facilities(result)
        return m("gap.undated", n=undated, kind=facility_kind(result)) if undated else ""
    if result is None or f.status not in (Status.FAIL, Status.WARN):
        return ""
    n = result.counts().get(f.status.value, 0)
    if not n:
        return ""
    kind = facility_kind(result)
    worst = _worst(result, f.status.value)
    if not worst:
        return m("gap.facilities", n=n, kind=kind)
    # the facility finding carries no comparator: a failing value above its limit is over it
    amount = gap_amount(abs(worst), f.unit, m)
    return m("gap.facilities_worst", n=n, kind=kind, gap=m("gap.over" if worst > 0 else "gap.short", amount=amount))
