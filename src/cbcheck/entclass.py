"""Whom an enterprise rule addresses, and what the submitting enterprise is.

A plan clause speaks to a class of enterprise: 重点物流企业, 重点用能单位, 生产企业, 高耗能企业…
A rule says so in ``addressees`` (any of them; ids of ``enterprise_classes`` in
``policies/facilities.yaml``). The submission says what the enterprise is:

- its **sector**, from the facility types of its tables (焦炉 → 焦化) or a declared
  ``所属行业：``/``企业类型：`` row, or, when it declares none, from its own name where the name's
  words are unambiguous (``XX焦化有限公司`` → 焦化; not ``XX化工贸易有限公司``, ``XX钢铁集团``, ``化工路``:
  :func:`sectors_in_name`), said in the reading notes so that a wrong guess shows and ``--set`` or
  a ``所属行业：`` row overrides it. A submission whose sector is known is of no other sector:
  a coking plant's file is not a logistics firm's. An enterprise of several sectors declares
  them all (``所属行业：焦化、化工``) or says ``--set 物流企业=是``;
- **yes/no classes** (重点用能单位, 国有企业, 重点排污单位…), known only when declared
  (``是否重点用能单位：是`` above the table, or ``--set 重点用能单位=是``) or implied by a known
  class (焦化 → 高耗能企业). Nothing is guessed: an undeclared class stays unknown;
- what a class implies holds with it, and a class whose implication is known false is false
  (重点物流企业 implies 物流企业: a coking plant is not a key logistics firm).

Explicit words win over what is derived: a declaration or ``--set`` over the facility tables.
The verdict: some addressee holds → the rule is judged; every addressee is known not to
hold → NOT APPLICABLE, naming both; otherwise the rule is judged, and a MISSING says how to
declare the class (:func:`cbcheck.engine.evaluate_rule`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from cbcheck.i18n.message import Msg, Word
from cbcheck.model import Submission
from cbcheck.textnorm import nfkc
from cbcheck.vocab import truth


# Rows an enterprise writes above its table to say what it is (read by reader/meta.py into
# ``class.<field>``): a yes/no per class, or the sectors and classes it names, or its ownership.
DECLARATION_KEYS = {
    "企业类型": "declared", "企业类别": "declared", "所属行业": "declared", "行业类别": "declared",
    "企业性质": "ownership", "所有制": "ownership",
    "是否重点用能单位": "key_energy_user", "是否重点排污单位": "key_pollutant_discharger",
    "是否国有企业": "state_owned",
    "是否纳入全国碳市场": "ets_covered", "是否出口企业": "exporter", "是否环境高风险领域企业": "high_env_risk",
    "是否高耗能企业": "high_energy", "是否重点物流企业": "key_logistics", "是否承担消纳责任": "renewable_obligated",
    "是否重点行业企业": "key_sector", "是否工业企业": "industrial", "是否生产企业": "producer",
}


def declaring_row(cls: str) -> str:
    """The row that declares ``cls`` above the table: 是否重点用能单位, or 所属行业 for a sector."""
    return next((k for k, v in DECLARATION_KEYS.items() if v == cls), "所属行业")


def template_rows(classes: Iterable[str]) -> list[tuple[str, bool]]:
    """The rows a fill-in template asks for these classes: (``是否重点用能单位：``, yes/no), the
    yes/no rows first, then ``所属行业：`` for the sectors (cbcheck.template)."""
    rows = {declaring_row(c) for c in classes if c != "enterprise"}
    return [(f"{r}：", DECLARATION_KEYS.get(r) not in (None, "declared", "ownership"))
            for r in sorted(rows, key=lambda r: (DECLARATION_KEYS.get(r) == "declared", r))]


@dataclass(frozen=True, slots=True)
class EntClass:
    id: str
    group: str                       # any | sector | status
    names: tuple[str, ...]           # the plans' words, the name first
    facility_types: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    name_words: tuple[str, ...] = ()     # in the unit's own name, these say the sector


@dataclass(frozen=True)
class Vocabulary:
    classes: dict[str, EntClass]

    def find(self, word: str) -> str | None:
        """The class a word names: its id (``key_energy_user``) or one of its names (重点用能单位)."""
        text = re.sub(r"\s+", "", nfkc(word))
        if text in self.classes:
            return text
        return next((c.id for c in self.classes.values() if text in c.names), None)

    def named_in(self, text: str) -> list[str]:
        """The classes a declared text names (``焦化、化工`` → coking, chemical): each part whole,
        else the longest name it contains (``焦化企业（重点用能单位）``)."""
        found: list[str] = []
        for part in re.split(r"[、，,;；/／\s()（）]+", nfkc(text)):
            if not part:
                continue
            hit = self.find(part)
            if hit is None:
                hits = [(len(n), c.id) for c in self.classes.values() for n in c.names if len(n) > 1 and n in part]
                hit = max(hits)[1] if hits else None
            if hit is not None and hit not in found:
                found.append(hit)
        return found


def build(data: dict[str, Any]) -> Vocabulary:
    return Vocabulary({c["id"]: EntClass(c["id"], c["group"], tuple(c["names"]), tuple(c.get("facility_types", ())),
                                         tuple(c.get("implies", ())), tuple(c.get("name_words", ())))
                       for c in data.get("enterprise_classes", ())})


@functools.cache
def vocabulary() -> Vocabulary:
    """The bundled classes (``policies/facilities.yaml``), taken as shipped like the facility catalogue."""
    from cbcheck.facilities import FACILITY_FILE
    from cbcheck.policy import policies_dir
    from cbcheck.yamlio import load_yaml

    return build(load_yaml(policies_dir() / FACILITY_FILE, "facility catalogue"))


def name(cls: str) -> Msg:
    return Msg(f"entclass.{cls}")


class_name = name      # for callers that have a local called name


@dataclass(frozen=True)
class Profile:
    """What is known of the submitting enterprise: class → (holds, why we know); ``from_name``:
    the sectors read from its name, (class, word), for the reading notes."""

    known: dict[str, tuple[bool, Msg]] = field(default_factory=dict)
    from_name: tuple[tuple[str, str], ...] = ()
    unit_name: str = ""


# A name that does not say what the unit itself makes: a group spans trades, a trader or a
# technology/engineering/equipment firm carries the trade's word without being of it
# (XX化工贸易有限公司, XX钢铁集团, XX发电设备厂, XX水泥制品厂 — concrete products, no clinker).
_NAME_SAYS_NOTHING = re.compile(r"集团|控股|贸易|商贸|经贸|销售|经销|进出口|供应链|科技|技术|设备|机械|机电|工程|设计"
                                r"|咨询|研究|检测|服务|投资|建设|安装|发电机|水泥制品|市场")
# A trade's word in a place: 化工路, 焦化厂社区, XX化工园区热电有限公司 (a heat company in the park).
_PLACE_AFTER = re.compile(r"厂?(?:路|街|大街|大道|巷|园区|工业园|产业园|集聚区|开发区|社区|小区|村|家属院|片区)")


def sectors_in_name(unit_name: str, voc: Vocabulary | None = None) -> list[tuple[str, str]]:
    """(sector, word) for each sector the unit's own name says, in catalogue order: XX焦化有限公司
    → [(coking, 焦化)]; none for a name that does not say what the unit makes (see above)."""
    voc = voc or vocabulary()
    text = re.sub(r"[\s()（）【】\[\]]+", "", nfkc(unit_name))
    if not text or _NAME_SAYS_NOTHING.search(text):
        return []
    out = []
    for c in voc.classes.values():
        word = next((w for w in c.name_words for m in re.finditer(re.escape(w), text)
                     if not _PLACE_AFTER.match(text, m.end())), None)
        if word is not None:
            out.append((c.id, word))
    return out


def _facility_types(submission: Submission) -> list[str]:
    """The facility types of the submission's tables, in order of first appearance."""
    import numpy as np

    seen: dict[str, None] = {}
    for table in submission.facilities:
        # a million rows hold a handful of type codes (-1: no type): each distinct one once
        codes, first = np.unique(np.asarray(table.column("_type")), return_index=True)
        for code in codes[np.argsort(first, kind="stable")]:
            if code >= 0:
                seen.setdefault(table.types[int(code)])
    return list(seen)


def _ownership(text: str) -> bool | None:
    if any(w in text for w in ("非国有", "民营", "私营", "外资", "个体", "集体")):
        return False
    if any(w in text for w in ("国有", "国企", "央企", "中央企业", "国资")):
        return True
    return None


def profile(submission: Submission, declared: dict[str, bool] | None = None) -> Profile:
    """The enterprise's classes: ``declared`` (``--set CLASS=是``) first, then its file's
    declarations, then its facility tables; then what they imply (see the module docstring)."""
    from cbcheck.facilities import facility_catalogue

    voc = vocabulary()
    known: dict[str, tuple[bool, Msg]] = {"enterprise": (True, Msg("entclass.why_enterprise"))}
    for cls, value in (declared or {}).items():
        said = Msg("entclass.why_set", name=voc.classes[cls].names[0] if cls in voc.classes else cls,
                  value=Msg("entclass.yes" if value else "entclass.no"))
        known.setdefault(cls, (value, said))
    for key, text in submission.meta.items():
        if not key.startswith("class."):
            continue
        said = Msg("entclass.why_declared", text=text)
        if key == "class.declared":
            for cls in voc.named_in(text):
                known.setdefault(cls, (True, said))
        elif key == "class.ownership":
            owned = _ownership(text)
            if owned is not None:
                known.setdefault("state_owned", (owned, said))
        elif key[6:] in voc.classes and (stated := truth(text)) is not None:
            known.setdefault(key[6:], (stated, Msg("entclass.why_declared_yes_no", what=name(key[6:]), text=text)))
    said_sector = any(c in voc.classes and voc.classes[c].group == "sector" for c in known)
    fc = facility_catalogue()
    shown: dict[str, list[str]] = {}     # sector -> the facility types that show it (合成氨装置、甲醇装置)
    for ftype in _facility_types(submission):
        for c in voc.classes.values():
            if ftype in c.facility_types:
                shown.setdefault(c.id, []).append(Word(zh=fc.types[ftype].name, en=fc.types[ftype].name_en)
                                                  if ftype in fc.types else ftype)
    for cls, type_names in shown.items():
        known.setdefault(cls, (True, Msg("entclass.why_tables", types=Msg.listing(type_names), what=name(cls))))
    from_name: list[tuple[str, str]] = []
    unit_name = submission.entity or submission.meta.get("entity_from_title") or ""
    if unit_name and not said_sector:     # a declared sector or --set is the enterprise's own word
        for cls, word in sectors_in_name(unit_name, voc):
            if cls not in known:
                known[cls] = (True, Msg("entclass.why_name", name=unit_name, word=word, what=name(cls)))
                from_name.append((cls, word))
    _imply(voc, known)
    sectors = [c for c, (holds, _) in known.items() if holds and c in voc.classes and voc.classes[c].group == "sector"]
    if sectors:
        why = Msg.join(dict.fromkeys(known[c][1] for c in sectors))
        for c in voc.classes.values():
            if c.group == "sector":
                known.setdefault(c.id, (False, why))
        _imply(voc, known)
    return Profile(known, tuple(from_name), unit_name)


def _imply(voc: Vocabulary, known: dict[str, tuple[bool, Msg]]) -> None:
    """What a class implies holds with it; a class implying one known false is false (fixed point)."""
    changed = True
    while changed:
        changed = False
        for c in voc.classes.values():
            state = known.get(c.id)
            if state is not None and state[0]:
                for other in c.implies:
                    if other not in known:
                        known[other] = (True, state[1])
                        changed = True
            elif state is None:
                false = next((known[o] for o in c.implies if o in known and not known[o][0]), None)
                if false is not None:
                    known[c.id] = (False, false[1])
                    changed = True


@dataclass(frozen=True, slots=True)
class Addressed:
    answer: str                 # yes | no | unknown
    message: Msg | None = None  # no: why not applicable; unknown: how to declare it


def addressed(addressees: list[str], prof: Profile) -> Addressed:
    """Whether a clause addressed to ``addressees`` (any of them) is about this enterprise."""
    states = [prof.known.get(a) for a in addressees]
    if any(s is not None and s[0] for s in states):
        return Addressed("yes")
    whom = Msg.listing(name(a) for a in addressees)
    if all(s is not None for s in states):
        return Addressed("no", Msg("entclass.not_addressed", whom=whom,
                                   why=Msg.join(dict.fromkeys(s[1] for s in states if s is not None))))
    open_ = [a for a, s in zip(addressees, states, strict=True) if s is None]
    cls = vocabulary().classes.get(open_[0])
    first = cls.names[0] if cls else open_[0]
    row = declaring_row(open_[0])
    key = "entclass.undeclared_sector" if row == "所属行业" else "entclass.undeclared"
    # what to type after --set: the class's Chinese name in Chinese, its id in English (both are read)
    return Addressed("unknown", Msg(key, whom=whom, row=row, name=Word(zh=first, en=open_[0])))


def _is_number(text: str) -> bool:
    try:
        float(text.strip().partition(" ")[0])
    except ValueError:
        return False
    return True


def declarations(items: list[str]) -> tuple[dict[str, bool], list[str]]:
    """``--set`` items that declare a class (``重点用能单位=是``, ``key_energy_user=no``), and the rest."""
    classes: dict[str, bool] = {}
    rest: list[str] = []
    for item in items:
        key, sep, value = item.partition("=")
        # a number is a target (RULE=16): the vocabulary is read only for words
        cls = vocabulary().find(key) if sep and not _is_number(value) else None
        said = truth(value.strip()) if cls else None
        if cls is not None and said is not None:
            classes[cls] = said
        else:
            rest.append(item)
    return classes, rest
