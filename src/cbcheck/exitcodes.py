"""Exit codes, one meaning each (README "Exit codes"). The one place they are defined."""

from __future__ import annotations

import enum
from typing import Iterable


class Exit(enum.IntEnum):
    OK = 0              # compliant (warnings allowed)
    NONCOMPLIANT = 1    # a FAIL, a required rule MISSING; with --strict also a WARN
    USAGE = 2           # the command line (or an output it names) cannot be used
    INPUT = 3           # a submission, policy or parameters file cannot be read or evaluated; a city roll-up
                        # with roster counties missing that nothing FAILed for certain (verdict incomplete)
    INTERNAL = 4        # a bug
    INTERRUPTED = 130   # Ctrl-C
    PIPE = 141          # the reader of stdout went away (`| head`): 128 + SIGPIPE, as the shell reports it


# Several files: the worst result wins; a definite non-compliance outranks an unreadable file,
# and a usage error outranks both.
_RANK = {Exit.OK: 0, Exit.INPUT: 1, Exit.NONCOMPLIANT: 2, Exit.USAGE: 3, Exit.INTERNAL: 4, Exit.INTERRUPTED: 5,
         Exit.PIPE: 6}

BY_VERDICT = {"compliant": Exit.OK, "non-compliant": Exit.NONCOMPLIANT, "incomplete": Exit.INPUT}


def worst(codes: Iterable[int]) -> Exit:
    return max((Exit(c) for c in codes), key=_RANK.__getitem__, default=Exit.OK)


def for_verdict(verdict: str) -> Exit:
    return BY_VERDICT[verdict]
