"""Closed cases are deleted once their retention period has passed (``CASE_RETENTION_MONTHS``
after closing, default 24; § 84 SGB X, DSGVO Art. 5 and 17).

Deleting a case removes the case with its parties, consents, goals, notes and conference
minutes, and empties what referrals said about it (the link to the case, re-send notes). It
keeps a content-free deletion record (a hash of the pseudonym, dates, fields of need, counts),
the joint activities the case produced and the referrals' content-free rows, so the network
and the coordination figures do not change. Safe to run daily: a second run finds nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..retention import LISTED_ITEMS, PurgeResult, months_before, purger
from . import audit
from .models import Case, CaseDeletionRecord, CaseStatus
from .referral_models import Referral, ReferralStep

DEFAULT_RETENTION_MONTHS = 24


def retention_months() -> int:
    return int(current_app.config.get("CASE_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))


def reference_hash(reference: str) -> str:
    return hashlib.sha256(reference.encode()).hexdigest()


def expired_cases(now: datetime) -> list[Case]:
    cutoff = months_before(now, retention_months()).date()
    return list(db.session.scalars(
        select(Case).where(Case.status == CaseStatus.CLOSED, Case.closed_on < cutoff)
        .order_by(Case.closed_on, Case.id)))


def deletion_record(case: Case) -> CaseDeletionRecord:
    referrals = db.session.scalars(select(Referral.id).where(Referral.case_id == case.id)).all()
    return CaseDeletionRecord(
        reference_hash=reference_hash(case.reference),
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        need_keys=[f.key for f in case.needs],
        counts={
            "parties": len(case.parties), "consents": len(case.consents),
            "goals": len(case.goals), "notes": len(case.notes),
            "conferences": len(case.conferences), "referrals": len(referrals),
        },
    )


def delete_case(case: Case) -> CaseDeletionRecord:
    """Delete one case as described above (in the caller's transaction)."""
    record = deletion_record(case)
    db.session.add(record)
    referral_ids = select(Referral.id).where(Referral.case_id == case.id).scalar_subquery()
    db.session.execute(update(ReferralStep).where(ReferralStep.referral_id.in_(referral_ids))
                       .values(note=""))
    db.session.execute(update(Referral).where(Referral.case_id == case.id)
                       .values(case_id=None))
    audit.case_event("delete", case, detail={"retention": True, "counts": record.counts},
                     user=None)
    db.session.delete(case)
    db.session.flush()
    return record


@purger
def purge_closed_cases(now: datetime, dry_run: bool) -> PurgeResult:
    months = retention_months()
    expired = expired_cases(now)
    items = [f"Fall {reference_hash(c.reference)[:12]}… abgeschlossen am {c.closed_on:%d.%m.%Y}"
             for c in expired[:LISTED_ITEMS]]
    if not dry_run:
        for case in expired:
            delete_case(case)
    return PurgeResult(f"Abgeschlossene Fälle, länger als {months} Monate geschlossen",
                       len(expired), items)
