"""Policy files: finding them, validating them (schema + semantics) and loading rules."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from cbcheck.catalogue import CATALOGUE_FILE, Catalogue, load_catalogue
from cbcheck.errors import Listing, PolicyError
from cbcheck.i18n.message import Msg
from cbcheck.model import Policy, Rule, Source
from cbcheck.yamlio import load_yaml

@dataclass(frozen=True, slots=True)
class LintProblem:
    path: str
    field: str
    message: str
    severity: str = "error"   # error | warning

    def __str__(self) -> str:
        return f"{self.path}::{self.field}: {self.severity}: {self.message}"

    def text(self, lang: str) -> str:
        """The line in ``lang``: the message when it is a ``Msg``, else as written."""
        from cbcheck.errors import in_lang
        from cbcheck.i18n import messages

        m = messages(lang)
        return m("cli.lint_line", path=self.path, field=self.field,
                 severity=m.get(f"cli.severity.{self.severity}", self.severity), message=in_lang(self.message, lang))


def policies_dir() -> Path:
    """Bundled policies: inside the installed package, or the repository's ``policies/``."""
    packaged = resources.files("cbcheck") / "policies"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "policies"


CATALOGUE_FILES = frozenset({CATALOGUE_FILE, "facilities.yaml"})


def bundled_policy_paths() -> list[Path]:
    return sorted(p for p in policies_dir().glob("*.yaml") if p.name not in CATALOGUE_FILES)


def resolve(ref: str) -> Path:
    """A policy given by id (``jining-carbon-peak``) or by path."""
    path = Path(ref)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise PolicyError(Msg("cli.policy_not_found"), where=ref, hint=Msg("cli.policy_not_found_hint"))
        return path
    candidate = policies_dir() / f"{ref}.yaml"
    if candidate.is_file():
        return candidate
    known = Msg.listing(p.stem for p in bundled_policy_paths())
    raise PolicyError(Msg("cli.no_bundled_policy", ref=ref), hint=Msg("cli.no_bundled_policy_hint", known=known))


@functools.cache
def catalogue() -> Catalogue:
    """The bundled indicator catalogue (schema-checked by `policy lint` and the test suite)."""
    return load_catalogue(policies_dir() / CATALOGUE_FILE, validate=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rule(raw: dict[str, Any], document: str) -> Rule:
    src = raw["source"]
    tol = raw.get("tolerance", {})
    return Rule(
        id=raw["id"], indicator=raw["indicator"], kind=raw["kind"], title=raw["title"],
        title_en=raw.get("title_en", ""),
        source=Source(document=src.get("document", document), section=src["section"], quote=src["quote"]),
        strength=raw["strength"], scope=raw["scope"], unit=raw.get("unit"),
        target=raw.get("target"), minimum=raw.get("min"), maximum=raw.get("max"),
        exclusive=raw.get("exclusive", False), target_year=raw.get("target_year"),
        base_year=raw.get("base_year"), base_value=raw.get("base_value"),
        deadline=dt.date.fromisoformat(raw["deadline"]) if raw.get("deadline") else None,
        mode=raw.get("mode"), tolerance_abs=tol.get("abs"), tolerance_rel=tol.get("rel"),
        assigned_by=raw["assigned"]["by"] if raw.get("assigned") else None,
        required=raw.get("required"), notes=raw.get("notes", ""),
        params={k: raw[k] for k in ("comparator", "tags", "applies_to", "by_category", "annual_deadline", "addressees",
                                    "entities")
                if k in raw},
    )


def _footing(rule: Rule) -> tuple[Any, ...]:
    """Rules on the same footing set targets on one path: same indicator, kind, mode, base, unit and scope."""
    return (rule.indicator, rule.kind, rule.mode, rule.base_year, rule.unit, rule.scope, rule.params.get("comparator"))


def with_waypoints(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Each rule with the plan's earlier targets on the same footing (2025 for a 2030 target), so its
    target path runs through them (DOMAIN.md §4, waypoints). An approximate earlier target (65%左右)
    is a waypoint at the loosest value it accepts (61.75%): meeting it is on track for the later one."""
    import dataclasses

    from cbcheck.checks.base import tolerance_edge

    stops: dict[tuple[Any, ...], list[tuple[int, float]]] = {}
    for r in rules:
        if r.target is not None and r.target_year is not None and not r.assigned and r.scope != "facility":
            stops.setdefault(_footing(r), []).append((r.target_year, tolerance_edge(r, r.target, r.kind != "at_most")))
    out = []
    for r in rules:
        earlier = sorted({(y, v) for y, v in stops.get(_footing(r), []) if r.target_year and y < r.target_year})
        out.append(dataclasses.replace(r, waypoints=tuple(earlier)) if earlier else r)
    return tuple(out)


def _schema_problems(path: Path, data: Any) -> list[LintProblem]:
    from cbcheck.schemas import schema_errors

    return [LintProblem(str(path), where, msg) for where, msg in schema_errors("policy", data)]


def _number_in_quote(value: float, quote: str) -> bool:
    from cbcheck.textnorm import nfkc

    from cbcheck.fidelity import arabic_magnitudes

    text = arabic_magnitudes(nfkc(quote).replace(",", ""))   # 千亿级 is ≥ 1000亿
    numbers = {float(m) for m in re.findall(r"\d+(?:\.\d+)?", text)}
    return value in numbers


def _facility_problems(where: str, field: str, raw: dict[str, Any]) -> list[LintProblem]:
    """applies_to and by_category name facility types and attributes of the facility catalogue."""
    from cbcheck.facilities import facility_catalogue

    fc = facility_catalogue()
    problems = []
    applies = raw.get("applies_to") or {}
    if applies and applies["facility_type"] not in fc.types:
        problems.append(LintProblem(where, f"{field}.applies_to.facility_type",
                                    Msg("policylint.unknown_facility_type", name=applies["facility_type"])))
    for part in ("where", "exempt"):
        for j, cond in enumerate(applies.get(part, [])):
            if cond["attribute"] not in fc.attributes:
                problems.append(LintProblem(where, f"{field}.applies_to.{part}.{j}.attribute",
                                            Msg("policylint.unknown_attribute", name=cond["attribute"])))
    by_cat = raw.get("by_category")
    if by_cat and by_cat["attribute"] not in fc.attributes:
        problems.append(LintProblem(where, f"{field}.by_category.attribute",
                                    Msg("policylint.unknown_attribute", name=by_cat["attribute"])))
    return problems


def _addressee_problems(where: str, field: str, raw: dict[str, Any]) -> list[LintProblem]:
    """addressees name enterprise classes, on an enterprise rule (cbcheck.entclass)."""
    from cbcheck.entclass import vocabulary

    addressees = raw.get("addressees")
    if not addressees:
        return []
    if raw.get("scope") != "enterprise":
        return [LintProblem(where, f"{field}.addressees", Msg("policylint.addressees_need_enterprise"))]
    known = vocabulary().classes
    return [LintProblem(where, f"{field}.addressees.{j}",
                        Msg("policylint.unknown_addressee", name=a, known=Msg.listing(sorted(known))))
            for j, a in enumerate(addressees) if a not in known]


def _entity_problems(where: str, field: str, raw: dict[str, Any]) -> list[LintProblem]:
    """entities are the counties the plan names for a clause: each is in the quote (or its section), and
    the rule is judged on a county's file (an enterprise or facility rule has no county to match)."""
    named = raw.get("entities")
    if not named:
        return []
    if raw.get("scope", "region") not in ("county", "region"):
        return [LintProblem(where, f"{field}.entities", Msg("policylint.entities_need_county"))]
    source = raw.get("source") or {}
    said = f"{source.get('quote', '')} {source.get('section', '')}"
    return [LintProblem(where, f"{field}.entities.{j}", Msg("policylint.entity_not_in_quote", name=e))
            for j, e in enumerate(named) if e not in said]


def _kind_problems(where: str, field: str, raw: dict[str, Any], kind: Any, cat: Catalogue) -> list[LintProblem]:
    """What the rule's kind says about it: its unit, its own checks, and whether it can judge
    facilities when the rule is a facility rule."""
    from cbcheck.checks import KINDS
    from cbcheck.errors import UnitError

    problems = [LintProblem(where, f"{field}.{f}", msg) for f, msg in kind.lint(raw)]
    if raw.get("scope") == "facility" and not kind.facility:
        able = Msg.listing(sorted(k.name for k in KINDS.values() if k.facility))
        problems.append(LintProblem(where, f"{field}.kind", Msg("policylint.not_facility_kind", kind=kind.name,
                                                                able=able)))
    ind_id = str(raw.get("indicator", ""))
    if raw.get("unit") is not None:
        try:
            why = kind.unit_problem(raw, cat.dimensions.get(ind_id) if ind_id in cat else None)
        except UnitError as exc:
            why = exc.message
        if why:
            if kind.level and ind_id in cat:
                why = Msg("rest.lint_unit_suffix", message=why, indicator=ind_id, unit=cat[ind_id].unit)
            problems.append(LintProblem(where, f"{field}.unit", why))
    return problems


def semantic_problems(path: Path, data: dict[str, Any], cat: Catalogue) -> list[LintProblem]:
    """Checks the schema cannot express: references, units, years, real dates, duplicates."""
    from cbcheck.checks import KINDS
    from cbcheck.fidelity import policy_problems as fidelity_problems

    where = str(path)
    problems: list[LintProblem] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data.get("rules", [])):
        field = f"rules.{i}"
        rid = raw.get("id", "?")
        if rid in seen:
            problems.append(LintProblem(where, f"{field}.id", Msg("policylint.duplicate_id", rule=rid,
                                                                  index=seen[rid])))
        seen.setdefault(rid, i)
        ind_id = raw.get("indicator")
        if ind_id not in cat:
            hint = cat.suggest(ind_id or "")
            said = Msg("policylint.unknown_indicator", name=ind_id)
            problems.append(LintProblem(where, f"{field}.indicator",
                                        Msg("cli.with_near", message=said, names=Msg.listing(hint)) if hint else said))
        kind = KINDS.get(raw.get("kind", ""))
        if kind is not None:
            problems += _kind_problems(where, field, raw, kind, cat)
        by, ty = raw.get("base_year"), raw.get("target_year")
        if by is not None and ty is not None and ty <= by:
            problems.append(LintProblem(where, f"{field}.target_year",
                                        Msg("policylint.target_before_base", target_year=ty, base_year=by)))
        if raw.get("deadline") and ty is not None and str(raw["deadline"])[:4] != str(ty):
            problems.append(LintProblem(where, f"{field}.deadline",
                                        Msg("policylint.deadline_year", deadline=raw["deadline"], target_year=ty)))
        quote = raw.get("source", {}).get("quote", "")
        if raw.get("applies_to") and raw.get("scope") != "facility":
            problems.append(LintProblem(where, f"{field}.scope", Msg("policylint.applies_needs_facility")))
        if raw.get("required") is False and raw.get("scope") == "facility" and raw.get("strength") == "binding" \
                and "required" not in str(raw.get("notes", "")):
            # a binding facility rule requires its values once due (cbcheck.required): an exception says why
            problems.append(LintProblem(where, f"{field}.required", Msg("policylint.required_false_note")))
        problems += _facility_problems(where, field, raw)
        problems += _addressee_problems(where, field, raw)
        problems += _entity_problems(where, field, raw)
        for cat_name, value in (raw.get("by_category") or {}).get("targets", {}).items():
            if quote and not _number_in_quote(value, quote):
                problems.append(LintProblem(where, f"{field}.by_category.targets.{cat_name}",
                                            Msg("policylint.not_in_quote", value=value), "warning"))
        for key in ("target", "min", "max"):
            if raw.get(key) is not None and quote and not _number_in_quote(raw[key], quote) \
                    and not (raw[key] in (0, 100)
                             and raw.get("kind") in {"at_least", "at_most", "completed_by", "growth"}):
                problems.append(LintProblem(where, f"{field}.{key}",
                                Msg("policylint.not_in_quote", value=raw[key]), "warning"))
    problems += [LintProblem(where, f, m, sev) for f, m, sev in fidelity_problems(data)]
    return problems


def _catalogue_lint(path: Path, data: dict[str, Any]) -> list[LintProblem]:
    from cbcheck.catalogue import catalogue_problems
    from cbcheck.schemas import schema_errors

    problems = [LintProblem(str(path), where, msg) for where, msg in schema_errors("indicators", data)]
    if problems:
        return problems
    return [LintProblem(str(path), f, m, sev) for f, m, sev in catalogue_problems(data)]


def lint_file(path: Path, cat: Catalogue | None = None) -> tuple[list[LintProblem], dict[str, Any] | None]:
    """Schema then semantic problems for one policy file; also the parsed data when valid."""
    try:
        data = load_yaml(path)
    except PolicyError as exc:
        said = Msg("cli.with_hint", message=exc.message, hint=exc.hint) if exc.hint else exc.message
        return [LintProblem(exc.where or str(path), "(file)", said)], None
    if isinstance(data, dict) and "indicators" in data and "rules" not in data:
        return _catalogue_lint(path, data), None
    if isinstance(data, dict) and "facility_types" in data:
        from cbcheck.schemas import schema_errors

        return [LintProblem(str(path), w, m) for w, m in schema_errors("facilities", data)], None
    problems = _schema_problems(path, data)
    if problems:
        return problems, None
    cat = (cat or catalogue()).extended(data.get("indicators", []))
    return semantic_problems(path, data, cat) + review_problems(path, data), data


def review_problems(path: Path, data: dict[str, Any]) -> list[LintProblem]:
    """A drafted rule's open ``review`` items, one warning each, until a human settles them."""
    from cbcheck.draft.review import recognise

    return [LintProblem(str(path), f"rules.{i}.review.{j}", Msg("policylint.review", item=recognise(item)), "warning")
            for i, raw in enumerate(data.get("rules", [])) for j, item in enumerate(raw.get("review", []))]


def is_bundled(ref: str) -> bool:
    """Named by id (not a path) and shipped with cbcheck."""
    return not (Path(ref).suffix in {".yaml", ".yml"} or Path(ref).exists()) and \
        (policies_dir() / f"{ref}.yaml").is_file()


def load_policy(ref: str) -> tuple[Policy, Catalogue]:
    """Load a policy; raise :class:`PolicyError` listing every error.

    A policy given by path (a user's own file) is validated in full: schema, then semantics.
    A bundled policy named by id is taken as shipped: the test suite lints every bundled
    policy and the catalogues on each CI run, and skipping it here keeps jsonschema and pint
    off a check's start-up (``cbcheck policy lint`` still lints them on request).
    """
    path = resolve(ref)
    digest = ""
    if is_bundled(ref):
        data = load_yaml(path)
    else:
        data, digest = _validated(path)
    cat = catalogue().extended(data.get("indicators", []))
    document = data["title"] + (f"（{data['doc_number']}）" if data.get("doc_number") else "")
    policy = Policy(
        id=data["id"], title=data["title"], title_en=data.get("title_en", ""), region=data["region"],
        status=data["status"], path=str(path), sha256=digest or _sha256(path),
        rules=with_waypoints(tuple(_rule(r, document) for r in data["rules"])),
        meta={k: v for k, v in data.items() if k not in {"rules", "indicators"}},
    )
    return policy, cat


def _validated(path: Path) -> tuple[dict[str, Any], str]:
    """A policy given by path, validated in full, or taken from the per-user cache when these
    very bytes (same sha256, compared inside the entry) passed the same validator before
    (:mod:`cbcheck.cache`): schema and semantic checks cost jsonschema and pint on every run."""
    from cbcheck import cache

    try:
        raw = path.read_bytes()
    except OSError:
        raw = b""
    digest = cache.sha256(raw) if raw else ""
    entry = cache.read(f"policies/{digest}.json") if digest else None
    if entry is not None and entry.get("sha256") == digest and entry.get("validator") == cache.validator():
        from cbcheck.yamlio import load_yaml_text

        data = load_yaml_text(raw.decode("utf-8"), str(path))
        if isinstance(data, dict):
            return data, digest
    problems, data = lint_file(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors or data is None:
        raise PolicyError(Listing(Msg("cli.policy_invalid"), errors), where=str(path))
    if digest and cache.sha256(path.read_bytes()) == digest:   # not rewritten while we validated it
        cache.write(f"policies/{digest}.json", {"sha256": digest, "validator": cache.validator(),
                                                "path": str(path)})
    return data, digest
