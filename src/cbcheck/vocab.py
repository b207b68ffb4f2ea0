"""Words people write for yes/no and done/not done, shared by the reader (which parses cells)
and the check kinds (which judge them). Below both, so neither imports the other."""

from __future__ import annotations

# Attribute cells (是否超低排放, 是否接入在线监测): yes/no.
YES_WORDS = frozenset({"是", "有", "已", "yes", "y", "true", "1", "√", "✓", "达标", "具备"})
NO_WORDS = frozenset({"否", "无", "未", "no", "n", "false", "0", "×", "✗", "不达标", "不具备"})

# Completion cells (关停完成时间, 是否完成改造): an action done or not.
DONE_WORDS = frozenset({"是", "已完成", "完成", "已关停", "关停", "已淘汰", "淘汰", "已退出", "退出",
                        "已建成", "建成", "已改造", "改造完成", "已接入", "接入", "已实现", "实现",
                        "yes", "y", "true", "done", "completed", "1", "√", "✓"})
NOT_DONE_WORDS = frozenset({"否", "未完成", "未关停", "未淘汰", "未退出", "未建成", "未改造", "未接入",
                            "未实现", "进行中", "在建", "推进中", "no", "n", "false", "0", "×", "✗"})


def truth(value: object) -> bool | None:
    """A yes/no or done/not-done word as a bool; None when the text says neither."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in YES_WORDS or text in DONE_WORDS:
        return True
    if text in NO_WORDS or text in NOT_DONE_WORDS:
        return False
    return None
