"""Fidelity lint: a rule must say what its quote says.

Two checks, run by ``cbcheck policy lint`` on every rule (docs/policy-format.md has the
tables they enforce):

* **unit** — when the quote writes the rule's target number with a unit (``湿地面积达到80万亩``),
  the rule states ``unit``, and that unit converts from the quote's unit at that number
  (80 万亩 → 80 万亩 passes; 80 万亩 read as 80 公顷 fails). Without a stated unit the target
  would silently take the indicator's default unit. The thresholds of ``applies_to`` (30万千瓦以下
  抽凝机组) are held to the same: their ``unit`` is the quote's unit at that number.
* **strength** — the wording → strength table: a binding marker (确保, 必须, 全部, 全面, 严禁,
  不得, 禁止) in the quote with a non-binding strength is an error; an aspirational strength with
  no word of effort in the quote, an approximate strength without 左右/约, or a binding strength
  on a quote whose only modal is 力争/努力/争取/鼓励 is a warning. Either is silenced by the
  rule explaining itself in ``strength_reason``.

:func:`rule_problems` judges one rule; :func:`policy_problems` a whole policy; both return
``(field, message, severity)`` triples for the policy linter to wrap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cbcheck.errors import UnitError
from cbcheck.i18n.message import Msg
from cbcheck.textnorm import nfkc

BINDING_MARKERS = ("确保", "必须", "全部", "全面", "严禁", "不得", "禁止")
ASPIRATIONAL_MARKERS = ("力争", "努力", "争取", "鼓励")
# Verbs of effort with no promised end state: 推动X, 稳步提升, 合理控制 … (aspirational).
EFFORT_MARKERS = ("推动", "推进", "加快", "积极", "支持", "引导", "探索", "稳步", "稳妥", "有序",
                  "不断", "持续", "逐步", "提升", "提高", "着力", "合理控制", "保持稳定", "促进")
_APPROXIMATE = re.compile(r"左右|约\d|大约|上下")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Unit candidates never taken from running text: "一" and "无" are aliases of the unit
# parser for "no unit", and a bare year/day after a number is a date, not a unit.
_NOT_UNITS = frozenset({"一", "无", "年", "日", "天", "a", "d", "h", "s", "m", "t", "g"})
_MAX_UNIT_CHARS = 10
# A unit is written with CJK characters, Latin letters and a few symbols; anything else ends it.
_UNIT_RUN = re.compile(r"[\u4e00-\u9fffA-Za-zµμ²³%‰/·]*")


_MAGNITUDE = re.compile(r"(?<![\d.十百千万])([十百千]?)(万亿|万|亿)级")
_MAGNITUDE_VALUE = {"": 1, "十": 10, "百": 100, "千": 1000}


def arabic_magnitudes(text: str) -> str:
    """A size class in words as a number: 千亿级 → 1000亿级, 百万级 → 100万级 (a threshold, ≥)."""
    def number(m: re.Match[str]) -> str:
        n = _MAGNITUDE_VALUE[m.group(1)]
        return f"{n * 10000}亿级" if m.group(2) == "万亿" else f"{n}{m.group(2)}级"

    return _MAGNITUDE.sub(number, text)


def _numbers_with_units(quote: str) -> Iterator[tuple[float, str | None]]:
    """Each number in the quote with the unit written right after it (None when there is none)."""
    from cbcheck import units

    text = arabic_magnitudes(nfkc(quote).replace(",", ""))
    for m in _NUMBER.finditer(text):
        run = _UNIT_RUN.match(text, m.end())
        tail = run.group()[:_MAX_UNIT_CHARS] if run else ""
        unit = None
        for n in range(len(tail), 0, -1):
            candidate = tail[:n]
            if candidate in _NOT_UNITS or candidate[0] in "/*·.-+" or not units.is_known(candidate):
                continue
            unit = candidate
            break
        yield float(m.group()), unit


def _readings(quoted: str, quote: str) -> list[str]:
    """How the plans' own shorthand reads: a unit as written, plus
    - 万吨 for a capacity (20万吨废电池综合利用项目, 制氢能力20万吨) means 万吨 a year;
    - in a coal-consumption sentence (供电煤耗300克/千瓦时) 克 means 克标准煤."""
    out = [quoted, f"({quoted})/年"]
    if "煤耗" in quote:
        out.append(re.sub(r"^(千克|公斤|克|吨)(?=/)", r"\1标准煤", quoted))
    return out


def _same_amount(value: float, from_unit: str, to_unit: str) -> bool:
    from cbcheck import units

    try:
        converted = units.convert(value, from_unit, to_unit)
    except UnitError:
        return False
    return abs(converted - value) <= 1e-9 * max(1.0, abs(value))


def _change_unit_problems(raw: dict[str, Any], written: list[tuple[float, str | None]]) -> list[tuple[str, Msg, str]]:
    """下降5个百分点 is points, 下降5% is percent: the rule's mode must say the same."""
    if raw.get("target") is None or raw.get("kind") not in ("reduction_vs_base", "increase_vs_base"):
        return []
    quoted = {u for n, u in written if n == float(raw["target"]) and u is not None}
    points = raw.get("mode") == "points"
    if "个百分点" in quoted and not points and "%" not in quoted:
        return [("mode", Msg("policylint.points_missing", value=f"{raw['target']:g}"), "error")]
    if "%" in quoted and points and "个百分点" not in quoted:
        return [("mode", Msg("policylint.points_extra", value=f"{raw['target']:g}"), "error")]
    return []


def _threshold_unit_problems(raw: dict[str, Any], written: list[tuple[float, str | None]],
                             quote: str) -> list[tuple[str, Msg, str]]:
    """A facility threshold (30万千瓦以下, 超过5000吨标准煤) is in the unit the quote writes it in."""
    problems: list[tuple[str, Msg, str]] = []
    applies = raw.get("applies_to") or {}
    for group in ("where", "exempt"):
        for i, cond in enumerate(applies.get(group) or []):
            for key in ("min", "max"):
                value, unit = cond.get(key), cond.get("unit")
                if value is None or unit is None or isinstance(value, bool):
                    continue
                quoted = sorted({u for n, u in written if n == float(value) and u is not None})
                if quoted and not any(_same_amount(value, r, unit) for u in quoted for r in _readings(u, quote)):
                    problems.append((f"applies_to.{group}.{i}.unit", Msg(
                        "policylint.unit_mismatch", written=Msg.either(f"{value:g}{u}" for u in quoted),
                        field=f"applies_to.{group}.{i}.{key}", value=f"{value:g}", unit=unit), "error"))
    return problems


def unit_problems(raw: dict[str, Any]) -> list[tuple[str, Msg, str]]:
    """The quote writes the rule's number with a unit: the rule's unit must match it; so must the
    unit of each threshold that chooses the facilities."""
    from cbcheck.checks import KINDS

    quote = raw.get("source", {}).get("quote", "")
    kind = KINDS.get(raw.get("kind", ""))
    if not quote or kind is None:
        return []
    written = list(_numbers_with_units(quote))
    thresholds = _threshold_unit_problems(raw, written, quote)
    if raw.get("assigned"):
        return thresholds
    if not kind.level:      # a change or rate kind: the target is in % or 个百分点, as its mode says
        return thresholds + _change_unit_problems(raw, written)
    rule_unit = raw.get("unit")
    values = [(key, raw[key]) for key in ("target", "min", "max") if raw.get(key) is not None]
    values += [(f"by_category.targets.{k}", v)
               for k, v in (raw.get("by_category") or {}).get("targets", {}).items()]
    problems: list[tuple[str, Msg, str]] = []
    for field, value in values:
        quoted_units = sorted({u for n, u in written if n == float(value) and u is not None})
        if not quoted_units:
            continue   # the number is bare in the quote (or absent: the older lint warns)
        if rule_unit is None:
            problems.append(("unit", Msg("policylint.unit_missing", written=f"{value:g}{quoted_units[0]}", field=field,
                                         value=f"{value:g}", unit=quoted_units[0]), "error"))
            continue
        if not any(_same_amount(value, r, rule_unit) for u in quoted_units for r in _readings(u, quote)):
            shown = Msg.either(f"{value:g}{u}" for u in quoted_units)
            problems.append(("unit", Msg("policylint.unit_mismatch", written=shown, field=field, value=f"{value:g}",
                                         unit=rule_unit), "error"))
    return thresholds + problems


def strength_of_wording(quote: str) -> set[str]:
    """The strengths the quote's wording allows (docs/policy-format.md, wording → strength)."""
    text = nfkc(quote)
    allowed: set[str] = set()
    if any(m in text for m in BINDING_MARKERS):
        return {"binding"}
    if any(m in text for m in ASPIRATIONAL_MARKERS):
        allowed.add("aspirational")
    elif any(m in text for m in EFFORT_MARKERS):
        allowed |= {"aspirational", "binding"}
    else:
        allowed.add("binding")
    if _APPROXIMATE.search(text):
        allowed.add("approximate")
    return allowed


def strength_problems(raw: dict[str, Any]) -> list[tuple[str, Msg, str]]:
    quote = raw.get("source", {}).get("quote", "")
    strength = raw.get("strength")
    if not quote or strength is None or raw.get("strength_reason"):
        return []
    allowed = strength_of_wording(quote)
    if strength in allowed:
        return []
    text = nfkc(quote)
    found = [m for m in BINDING_MARKERS + ASPIRATIONAL_MARKERS if m in text] + _APPROXIMATE.findall(text)
    why = Msg("policylint.strength_says", words="/".join(found)) if found else Msg("policylint.strength_plain")
    # The binding markers are the issue-15 error; the rest of the table warns, so a user's own
    # policy still loads (the bundled policies are held to warnings too, by their tests).
    severity = "error" if allowed == {"binding"} and any(m in text for m in BINDING_MARKERS) else "warning"
    return [("strength", Msg("policylint.strength", why=why, allowed=Msg.either(sorted(allowed)), strength=strength),
             severity)]


def rule_problems(raw: dict[str, Any]) -> list[tuple[str, Msg, str]]:
    return unit_problems(raw) + strength_problems(raw)


def policy_problems(data: dict[str, Any]) -> list[tuple[str, Msg, str]]:
    """Every rule's fidelity problems, fields prefixed ``rules.N.``."""
    out = []
    for i, raw in enumerate(data.get("rules", [])):
        out += [(f"rules.{i}.{field}", msg, sev) for field, msg, sev in rule_problems(raw)]
    return out
