"""``cbcheck ledger withdraw``: take a submission recorded by mistake out of the ledger's use.

Nothing is deleted: the submission keeps its row, observations and findings, and a row in
``withdrawals`` says when and why it was withdrawn (撤回). ``history`` lists it as withdrawn,
``rollup --from-ledger`` names it and leaves it out, cross-year checks no longer compare with it.
A clerk names the submission as the ledger told them when it was recorded (编号 12), by the file
itself (its sha256, whatever it is called now), or by the file's name; a city workbook whose county sheets
were recorded one by one (``全市.xlsx!乙县``) names each of them, to be told apart by number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cbcheck.errors import UsageError
from cbcheck.i18n.message import Msg
from cbcheck.ledger.store import Ledger, StoredSubmission, now, sheet_digest


def find(ledger: Ledger, ref: str, policy: str | None = None, year: int | None = None) -> list[StoredSubmission]:
    """The recorded submissions ``ref`` names: ``12`` / ``#12`` an id, an existing file its content, else a
    file name (several when one file was checked for two policies or years)."""
    subs = ledger.submissions(policy=policy, year=year, withdrawn=True)
    text = ref.strip()
    if text.lstrip("#").isdigit():
        return [s for s in subs if s.id == int(text.lstrip("#"))]
    path = Path(text)
    if path.is_file():                  # a city workbook's sheets recorded one by one are each this file
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return [s for s in subs if s.file_sha256 == digest
                or ("!" in s.file_name and s.file_sha256 == sheet_digest(digest, s.file_name.partition("!")[2]))]
    return [s for s in subs if s.file_name == path.name or s.file_name.startswith(f"{path.name}!")]


def describe(s: StoredSubmission) -> Msg:
    return Msg("ledger.submission_ref", id=s.id, file=s.file_name, entity=s.entity or "—", year=s.year,
               policy=s.policy_id, date=s.date)


def withdraw(ledger: Ledger, ref: str, reason: str, policy: str | None = None,
             year: int | None = None) -> tuple[StoredSubmission, bool]:
    """Withdraw the one submission ``ref`` names; ``(submission, False)`` when it already was (nothing
    written: the first reason stands). No match, or several, is a usage error naming them."""
    from sqlalchemy.exc import IntegrityError, SQLAlchemyError

    from cbcheck.ledger import schema as t

    if not reason.strip():
        raise UsageError(Msg("ledger.withdraw_no_reason"), hint=Msg("ledger.withdraw_reason_hint"))
    found = find(ledger, ref, policy, year)
    if not found:
        raise UsageError(Msg("ledger.withdraw_none", ref=ref), where=ledger.shown,
                         hint=Msg("ledger.withdraw_none_hint"))
    if len(found) > 1:
        raise UsageError(Msg("ledger.withdraw_several", ref=ref, n=len(found),
                             found=Msg.listing(describe(s) for s in found)), where=ledger.shown,
                         hint=Msg("ledger.withdraw_several_hint"))
    sub = found[0]
    if sub.withdrawn_at is not None:
        return sub, False
    try:
        with ledger.engine.begin() as conn:
            conn.execute(t.withdrawals.insert().values(submission_id=sub.id, reason=reason.strip(),
                                                       withdrawn_at=now()))
    except IntegrityError:              # another clerk withdrew it between our lookup and insert
        pass
    except SQLAlchemyError as exc:
        raise ledger._error("record", exc) from None
    (after,) = [s for s in ledger.submissions(withdrawn=True) if s.id == sub.id]
    return after, sub.withdrawn_at is None and after.withdrawn_reason == reason.strip()
