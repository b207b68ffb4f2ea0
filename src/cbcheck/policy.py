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
from cbcheck.errors import PolicyError, UnitError
from cbcheck.model import Policy, Rule, Source
from cbcheck.yamlio import load_yaml

# Kinds whose target is in the indicator's own unit (others are in % or 个百分点).
LEVEL_KINDS = frozenset({"at_least", "at_most", "between"})


@dataclass(frozen=True, slots=True)
class LintProblem:
    path: str
    field: str
    message: str
    severity: str = "error"   # error | warning

    def __str__(self) -> str:
        return f"{self.path}::{self.field}: {self.severity}: {self.message}"


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
            raise PolicyError("policy file not found", where=ref,
                              hint="give a bundled id (see `cbcheck policies`) or a path to a .yaml file")
        return path
    candidate = policies_dir() / f"{ref}.yaml"
    if candidate.is_file():
        return candidate
    known = ", ".join(p.stem for p in bundled_policy_paths())
    raise PolicyError(f"no bundled policy with id {ref!r}", hint=f"bundled ids: {known}")


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
        required=raw.get("required", False), notes=raw.get("notes", ""),
        params={k: raw[k] for k in ("comparator", "tags", "applies_to", "by_category", "annual_deadline") if k in raw},
    )


def _schema_problems(path: Path, data: Any) -> list[LintProblem]:
    from cbcheck.schemas import schema_errors

    return [LintProblem(str(path), where, msg) for where, msg in schema_errors("policy", data)]


def _number_in_quote(value: float, quote: str) -> bool:
    from cbcheck.textnorm import nfkc

    text = nfkc(quote).replace(",", "")
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
                                    f"unknown facility type {applies['facility_type']!r} (see policies/facilities.yaml)"))
    for part in ("where", "exempt"):
        for j, cond in enumerate(applies.get(part, [])):
            if cond["attribute"] not in fc.attributes:
                problems.append(LintProblem(where, f"{field}.applies_to.{part}.{j}.attribute",
                                            f"unknown facility attribute {cond['attribute']!r} (see policies/facilities.yaml)"))
    by_cat = raw.get("by_category")
    if by_cat and by_cat["attribute"] not in fc.attributes:
        problems.append(LintProblem(where, f"{field}.by_category.attribute",
                                    f"unknown facility attribute {by_cat['attribute']!r}"))
    return problems


def semantic_problems(path: Path, data: dict[str, Any], cat: Catalogue) -> list[LintProblem]:
    """Checks the schema cannot express: references, units, years, duplicates."""
    from cbcheck import units
    from cbcheck.checks import KINDS

    where = str(path)
    problems: list[LintProblem] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data.get("rules", [])):
        field = f"rules.{i}"
        rid = raw.get("id", "?")
        if rid in seen:
            problems.append(LintProblem(where, f"{field}.id", f"duplicate rule id {rid!r} (also rules.{seen[rid]})"))
        seen.setdefault(rid, i)
        if raw.get("kind") not in KINDS:
            problems.append(LintProblem(where, f"{field}.kind", f"unknown check kind {raw.get('kind')!r}"))
        ind_id = raw.get("indicator")
        if ind_id not in cat:
            hint = cat.suggest(ind_id or "")
            problems.append(LintProblem(where, f"{field}.indicator", f"unknown indicator {ind_id!r}"
                                        + (f" (did you mean: {', '.join(hint)}?)" if hint else "")))
        unit = raw.get("unit")
        kind = raw.get("kind")
        if unit is not None:
            try:
                if kind in LEVEL_KINDS and ind_id in cat:
                    dim = cat.dimensions[ind_id]
                    if dim not in units.NON_PHYSICAL and not units.unit_has_dimension(unit, dim):
                        problems.append(LintProblem(where, f"{field}.unit",
                                        f"unit {unit!r} is not a {dim} unit like indicator {ind_id!r} ({cat[ind_id].unit})"))
                elif kind in {"reduction_vs_base", "increase_vs_base", "growth"}:
                    allowed = "个百分点" if raw.get("mode") == "points" else "%"
                    if not units.same_dimension(unit, allowed):
                        problems.append(LintProblem(where, f"{field}.unit",
                                        f"a {kind} target is in {allowed}, not {unit!r}"))
            except UnitError as exc:
                problems.append(LintProblem(where, f"{field}.unit", exc.message))
        by, ty = raw.get("base_year"), raw.get("target_year")
        if by is not None and ty is not None and ty <= by:
            problems.append(LintProblem(where, f"{field}.target_year",
                                        f"target year {ty} is not after base year {by}"))
        if raw.get("deadline") and ty is not None and int(raw["deadline"][:4]) != ty:
            problems.append(LintProblem(where, f"{field}.deadline",
                                        f"deadline {raw['deadline']} is not in target year {ty}"))
        if kind == "between" and raw.get("min") is not None and raw.get("max") is not None \
                and raw["min"] > raw["max"]:
            problems.append(LintProblem(where, f"{field}.min", "min is greater than max"))
        quote = raw.get("source", {}).get("quote", "")
        if raw.get("applies_to") and raw.get("scope") != "facility":
            problems.append(LintProblem(where, f"{field}.scope", "a rule with applies_to must have scope facility"))
        problems += _facility_problems(where, field, raw)
        for cat_name, value in (raw.get("by_category") or {}).get("targets", {}).items():
            if quote and not _number_in_quote(value, quote):
                problems.append(LintProblem(where, f"{field}.by_category.targets.{cat_name}",
                                            f"{value} does not occur in the quoted sentence", "warning"))
        for key in ("target", "min", "max"):
            if raw.get(key) is not None and quote and not _number_in_quote(raw[key], quote) \
                    and not (raw[key] in (0, 100) and kind in {"at_least", "at_most", "completed_by", "growth"}):
                problems.append(LintProblem(where, f"{field}.{key}",
                                f"{raw[key]} does not occur in the quoted sentence", "warning"))
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
        return [LintProblem(exc.where or str(path), "(file)", exc.message)], None
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
    return [LintProblem(str(path), f"rules.{i}.review.{j}", f"review: {item}", "warning")
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
    if is_bundled(ref):
        data = load_yaml(path)
    else:
        problems, data = lint_file(path)
        errors = [p for p in problems if p.severity == "error"]
        if errors or data is None:
            raise PolicyError("policy is invalid (run `cbcheck policy lint` for details):\n  "
                              + "\n  ".join(str(p) for p in errors), where=str(path))
    cat = catalogue().extended(data.get("indicators", []))
    document = data["title"] + (f"（{data['doc_number']}）" if data.get("doc_number") else "")
    policy = Policy(
        id=data["id"], title=data["title"], title_en=data.get("title_en", ""), region=data["region"],
        status=data["status"], path=str(path), sha256=_sha256(path),
        rules=tuple(_rule(r, document) for r in data["rules"]),
        meta={k: v for k, v in data.items() if k not in {"rules", "indicators"}},
    )
    return policy, cat
