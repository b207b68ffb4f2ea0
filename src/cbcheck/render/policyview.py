"""Human views of policies: ``policy show`` (text or markdown) and ``explain``, in the reader's
language. Every word comes from the catalogues (``policyshow.*``, ``explain.*``, and
``kind.<name>.doc`` for a check kind's documentation); the policy's own text (titles, sections,
quotes) is shown as the plan writes it. A policy's ``notes`` are its authors' English reasoning
about the encoding and are shown in English only.

The check kinds word a rule's arithmetic in English (:meth:`CheckKind.arithmetic`); a line that
is a ``Msg`` is rendered in the language asked for, a plain one is matched against the shapes
below and reworded with ``explain.arith.*``.
"""

from __future__ import annotations


from cbcheck.catalogue import Catalogue
from cbcheck.checks.kind import describe
from cbcheck.errors import UsageError
from cbcheck.i18n import Messages, messages
from cbcheck.i18n.message import Msg
from cbcheck.model import Policy, Rule
from cbcheck.wording import applies_text


def render_policy(policy: Policy, cat: Catalogue, fmt_name: str = "text", lang: str = "en") -> str:
    if fmt_name not in {"text", "markdown"}:
        raise UsageError(Msg("cli.unknown_format", fmt=fmt_name), hint=Msg("cli.one_of", names="text, markdown"))
    m = messages(lang)
    md = fmt_name == "markdown"
    meta = policy.meta
    out = [f"# {policy.title}" if md else m("policyshow.title", title=policy.title, id=policy.id), ""]
    facts = [("id", policy.id), ("region", policy.region),
             ("status", m.get(f"policy_status.{policy.status}", policy.status) if lang != "en" else policy.status),
             ("issuer", meta.get("issuer")), ("doc_number", meta.get("doc_number")),
             ("date", meta.get("date")), ("period", meta.get("period")), ("rules", str(len(policy.rules)))]
    for key, value in facts:
        if value:
            label = m(f"policyshow.fact.{key}")
            out.append(m("policyshow.fact_md" if md else "policyshow.fact_text", label=label, value=value))
    sections: dict[str, list[Rule]] = {}
    for rule in policy.rules:
        sections.setdefault(rule.source.section, []).append(rule)
    for section, rules in sections.items():
        out += ["", f"## {section}" if md else section, ""]
        if md:
            out += [m("policyshow.md_header"), "|---|---|---|---|---|---|"]
        for r in rules:
            req = describe(r, lang)
            if r.params.get("applies_to"):
                req += m("policyshow.applies", what=_applies(r, lang))
            if r.params.get("addressees"):      # whom an enterprise rule's clause speaks to (cbcheck.entclass)
                from cbcheck.entclass import name as class_name

                req += m("policyshow.addressees",
                         whom=Msg.listing(class_name(a) for a in r.params["addressees"]).text(lang))
            strength, scope = _strength(r, m, lang), _scope(r, m, lang)
            if md:
                quote = r.source.quote.replace("|", "\\|")
                note = ""
                if r.notes and lang == "en":
                    note = f"<br>*Note:* {r.notes.replace('|', chr(92) + '|')}"
                out.append(f"| {r.id} | {cat[r.indicator].name} | {req} | {strength} | {scope} | {quote}{note} |")
            else:
                out.append(f"  {r.id:<24} " + m("policyshow.rule_line", indicator=cat[r.indicator].name,
                                                   requirement=req, strength=strength, scope=scope))
                out.append(f"  {'':<24} " + m("policyshow.quote", quote=r.source.quote))
                if r.notes and lang == "en":
                    out.append(f"  {'':<24} note: {r.notes}")
    return "\n".join(out) + "\n"


def _strength(rule: Rule, m: Messages, lang: str) -> str:
    return rule.strength if lang == "en" else m.get(f"strength.{rule.strength}", rule.strength)


def _scope(rule: Rule, m: Messages, lang: str) -> str:
    return rule.scope if lang == "en" else m.get(f"scope.{rule.scope}", rule.scope)


def _applies(rule: Rule, lang: str) -> str:
    """Which facilities a facility rule covers, in ``lang``, named as the facility catalogue names
    them (:func:`cbcheck.wording.applies_text`, the words a report's reasons use)."""
    text = applies_text(rule)
    return text.text(lang) if isinstance(text, Msg) else text


def arithmetic_lines(rule: Rule, default_base: int = 2020) -> list[str]:
    """What the check will compute for this rule, with the rule's own numbers and, for a
    target year ahead, the even path it judges interim years against."""
    from cbcheck.checks import KINDS

    if rule.assigned or rule.params.get("by_category"):
        return []
    return KINDS[rule.kind].arithmetic(rule, default_base)


def kind_doc(name: str, lang: str) -> str:
    """A check kind's documentation (``kind.<name>.doc``); the class docstring for a kind added
    without one."""
    from cbcheck.checks import KINDS

    return messages(lang).get(f"kind.{name}.doc", KINDS[name].doc).rstrip("\n")


def explain_text(name: str, lang: str = "en") -> str:
    from cbcheck.checks import KINDS
    from cbcheck.policy import bundled_policy_paths, load_policy

    if name in KINDS:
        return kind_doc(name, lang) + "\n"
    wanted = name.strip().upper()
    for path in bundled_policy_paths():
        policy, cat = load_policy(str(path))
        for rule in policy.rules:
            if rule.id == wanted:
                return explain_rule(rule, policy, cat, lang)
    raise UsageError(Msg("cli.explain_unknown", name=name),
                     hint=Msg("cli.explain_unknown_hint", kinds=Msg.listing(KINDS)))


def explain_rule(rule: Rule, policy: Policy, cat: Catalogue, lang: str = "en") -> str:
    """``cbcheck explain RULE`` for a rule of ``policy``."""
    m = messages(lang)
    ind = cat[rule.indicator]
    indicator = m("explain.indicator", name=ind.name, id=ind.id, unit=ind.unit,
                  name_en=f"; {ind.name_en}" if lang == "en" else "")
    miss = m.get(f"status.{'FAIL' if rule.binding else 'WARN'}", "FAIL" if rule.binding else "WARN") \
        if lang != "en" else ("FAIL" if rule.binding else "WARN")
    lines = [
        f"{rule.id}: {rule.title}" if lang == "en" else f"{rule.id}：{rule.title}",
        m("explain.policy", title=policy.title, id=policy.id),
        m("explain.section", section=rule.source.section),
        m("explain.clause", quote=rule.source.quote),
        indicator,
        m("explain.requirement", requirement=describe(rule, lang)),
        m("explain.strength", strength=_strength(rule, m, lang), miss=miss),
        m("explain.scope", scope=_scope(rule, m, lang)) + _required(rule, m),
    ]
    if rule.params.get("applies_to"):
        lines.append(m("explain.applies", what=_applies(rule, lang)))
    if rule.assigned:
        lines.append(m("explain.assigned", id=rule.id))
    if rule.notes and lang == "en":
        lines.append(f"Notes: {rule.notes}")
    period = str(policy.meta.get("period") or "")
    arithmetic = arithmetic_lines(rule, int(period[:4]) - 1 if period[:4].isdigit() else 2020)
    if arithmetic:
        lines += ["", m("explain.arithmetic"), *[f"  {arith_line(a, lang)}" for a in arithmetic]]
    lines += ["", m("explain.how", kind=rule.kind), kind_doc(rule.kind, lang)]
    return "\n".join(lines) + "\n"



def _required(rule: Rule, m: Messages) -> str:
    """Whether a blank makes the file non-compliant: marked, or a binding facility rule's default once
    due (cbcheck.required), or turned off for one."""
    from cbcheck.required import by_default

    if rule.required:
        return m("explain.required")
    if rule.required is None and by_default(rule):
        return m("explain.required_when_due")
    return ""

def arith_line(line: Msg | str, lang: str) -> str:
    """One arithmetic line of a check kind in ``lang``: the kinds say their sentences as Msg; a
    plain string is a formula without words (``r = 1 − I_2025 / I_2020 ≥ 15.6%``), the same in
    every language (tests/test_zh_only_rest.py holds every bundled rule's lines to that)."""
    return line.text(lang) if isinstance(line, Msg) else line
