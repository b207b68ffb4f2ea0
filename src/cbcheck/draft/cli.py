"""`cbcheck policy draft`: arguments checked, the draft and its companion written atomically."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from cbcheck.exitcodes import Exit


def companion_path(output: Path) -> Path:
    """moushi.yaml → moushi.indicators.yaml: the proposed catalogue entries, in catalogue form."""
    return output.with_name(output.stem + ".indicators.yaml")


def run_draft(plan: Path, policy_id: str, output: Path, err: Callable[[str], None], lang: str) -> int:
    """Write the draft with its review items in ``lang``, the language its reviewer reads."""
    from cbcheck.draft import draft_file, dump
    from cbcheck.errors import UsageError
    from cbcheck.i18n import messages
    from cbcheck.outputs import write_atomic
    from cbcheck.policy import catalogue

    m = messages(lang)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", policy_id):
        raise UsageError(m("draft.bad_id", id=policy_id), hint=m("draft.bad_id_hint"))
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(m("draft.bad_output", path=output), hint=m("draft.bad_output_hint"))
    if output.resolve() == plan.resolve():
        raise UsageError(m("draft.output_is_input", path=output))
    draft = draft_file(plan, policy_id, catalogue())
    write_atomic(output, dump(draft.policy, lang))
    companion = companion_path(output)
    if draft.proposed:
        write_atomic(companion, dump({"schema_version": 1, "indicators": draft.proposed}, lang))
    if draft.proposed:
        err(m("draft.written", path=output, rules=len(draft.policy["rules"]), reviews=draft.reviews,
              proposed=len(draft.proposed), companion=companion))
    else:
        err(m("draft.written_no_new", path=output, rules=len(draft.policy["rules"]), reviews=draft.reviews))
    return Exit.OK
