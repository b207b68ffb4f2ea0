"""Measure `cbcheck policy draft` against the hand-made policies (docs/draft-quality.md).

    python benchmarks/draft_eval.py            # print the table
    python benchmarks/draft_eval.py --write    # also rewrite docs/draft-quality.md

Each plan is drafted from its raw file in docs/plans/original/ and compared with the bundled
policy whose source_file it is. Definitions (also written into the document):

- A *numeric target* of a policy is a rule with a ``target`` (each ``by_category`` value counts
  as one target too). Its key is (number, unit, target year, comparator): the unit is the rule's
  unit or, when the rule has none, its indicator's catalogue unit; the comparator is the check
  kind (at_least, at_most, reduction_vs_base, increase_vs_base+mode, growth) plus ``exclusive``.
- A gold target is *recalled* when some draft rule has the same key (numbers equal after
  converting the draft's unit into the gold unit; years equal, "no year" only equals "no year").
- A draft rule with a number is *a real target* (precision) when some gold target has the same
  number and unit and its quote and the draft's quote overlap (one contains the other after the
  faithfulness normalisation), or when it has a gold target's full key. Wrong years or
  comparators therefore cost recall, not precision; a number the hand encoders did not record
  (a facility qualifier, a base value, a project they left out) costs precision.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "docs" / "plans" / "original"
DOC = ROOT / "docs" / "draft-quality.md"
_PAGE_MARK = re.compile(r"-\s*\d{1,3}\s*-")
_SPELLING = {"台(套)": "台套", "克/千瓦时": "克标准煤/千瓦时"}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", _PAGE_MARK.sub("", text))


@dataclass(frozen=True)
class Target:
    value: float
    unit: str
    year: int | None
    comparator: str
    quote: str
    rule: str

    @property
    def key(self) -> tuple[object, ...]:
        return (self.value, self.unit, self.year, self.comparator)


def _comparator(rule: dict) -> str:
    kind = rule["kind"]
    if kind == "growth":
        kind = f"growth:{rule.get('comparator', 'at_least')}"
    if kind == "increase_vs_base":
        kind += f":{rule.get('mode', 'percent')}"
    return kind + ("!" if rule.get("exclusive") else "")


def targets(policy: dict, cat) -> list[Target]:
    out = []
    for rule in policy["rules"]:
        unit = rule.get("unit") or (cat[rule["indicator"]].unit if rule["indicator"] in cat else "")
        unit = _SPELLING.get(unit, unit)
        values = [rule["target"]] if rule.get("target") is not None else []
        values += list((rule.get("by_category") or {}).get("targets", {}).values())
        for v in values:
            out.append(Target(float(v), unit, rule.get("target_year"), _comparator(rule),
                              _norm(rule["source"]["quote"]), rule["id"]))
    return out


def _same_amount(draft: Target, gold: Target) -> bool:
    from cbcheck import units
    from cbcheck.errors import UnitError

    if draft.unit == gold.unit:
        return draft.value == gold.value
    try:
        return abs(units.convert(draft.value, draft.unit, gold.unit) - gold.value) < 1e-9 * max(1, gold.value)
    except (UnitError, Exception):   # noqa: BLE001 - a unit pint does not know: not the same
        return False


def compare(gold: list[Target], draft: list[Target]) -> dict[str, object]:
    recalled = [g for g in gold if any(_same_amount(d, g) and d.year == g.year and d.comparator == g.comparator
                                       for d in draft)]
    real = [d for d in draft if any(_same_amount(d, g) and (d.quote in g.quote or g.quote in d.quote
                                                            or (d.year == g.year and d.comparator == g.comparator))
                                    for g in gold)]
    return {"gold": len(gold), "recalled": len(recalled), "draft": len(draft), "real": len(real),
            "missed": [g for g in gold if g not in recalled], "spurious": [d for d in draft if d not in real]}


def evaluate() -> list[tuple[str, str, dict[str, object]]]:
    sys.path.insert(0, str(ROOT / "src"))
    from cbcheck.draft import draft_file
    from cbcheck.policy import bundled_policy_paths, catalogue
    from cbcheck.yamlio import load_yaml

    cat = catalogue()
    rows = []
    for path in bundled_policy_paths():
        policy = load_yaml(path)
        plan = PLANS / policy["source_file"]
        draft = draft_file(plan, f"{policy['id']}-eval", cat).policy
        dcat = cat.extended(draft.get("indicators", []))
        rows.append((policy["id"], plan.name, compare(targets(policy, cat), targets(draft, dcat))))
    return rows


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "—"


def table(rows) -> str:
    lines = ["| policy | plan file | gold numeric targets | recalled | recall | draft numeric rules | real targets | precision |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    tg = tr = td = tp = 0
    for pid, plan, r in rows:
        lines.append(f"| `{pid}` | {plan} | {r['gold']} | {r['recalled']} | {_pct(r['recalled'], r['gold'])} "
                     f"| {r['draft']} | {r['real']} | {_pct(r['real'], r['draft'])} |")
        tg += r["gold"]; tr += r["recalled"]; td += r["draft"]; tp += r["real"]
    lines.append(f"| **all** | | {tg} | {tr} | {_pct(tr, tg)} | {td} | {tp} | {_pct(tp, td)} |")
    return "\n".join(lines)


def details(rows) -> str:
    out = []
    for pid, _, r in rows:
        out.append(f"\n### `{pid}`\n\nMissed gold targets (number unit year comparator — rule):\n")
        out += [f"- {t.value:g} {t.unit} {t.year} {t.comparator} — {t.rule}" for t in r["missed"]] or ["- none"]
        out.append("\nDraft rules that are not a recorded target:\n")
        out += [f"- {t.value:g} {t.unit} {t.year} {t.comparator} — {t.quote[:60]}…" for t in r["spurious"]] or ["- none"]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite docs/draft-quality.md")
    args = ap.parse_args()
    rows = evaluate()
    print(table(rows))
    if args.write:
        head, _, _ = DOC.read_text(encoding="utf-8").partition("<!-- generated -->") if DOC.exists() else ("", "", "")
        DOC.write_text(head + "<!-- generated -->\n\n" + table(rows) + "\n\n## Per plan\n" + details(rows) + "\n",
                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
