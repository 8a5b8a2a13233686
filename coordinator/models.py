"""All models in one import, for Alembic autogenerate and for the tests."""

from .activities.models import ActivityKind, JointActivity, activity_field, participation
from .audit.models import AuditEntry
from .auth.models import Role, User, UserSession
from .cases.models import (
    Case,
    CaseConsent,
    CaseDeletionRecord,
    CaseGoal,
    CaseNote,
    CaseOutcome,
    CaseParty,
)
from .cases.referral_models import CaseConference, CaseDerivedActivity, Referral, ReferralStep
from .network.data import revision as _network_revision  # noqa: F401  (revision listeners)
from .network.data.models import NetworkCache, NetworkRevision, NodePosition
from .register.models import FieldOfWork, Stakeholder, StakeholderKind, stakeholder_field

__all__ = [
    "ActivityKind",
    "AuditEntry",
    "Case",
    "CaseConference",
    "CaseConsent",
    "CaseDeletionRecord",
    "CaseDerivedActivity",
    "CaseGoal",
    "CaseNote",
    "CaseOutcome",
    "CaseParty",
    "FieldOfWork",
    "JointActivity",
    "NetworkCache",
    "NetworkRevision",
    "NodePosition",
    "Referral",
    "ReferralStep",
    "Role",
    "Stakeholder",
    "StakeholderKind",
    "User",
    "UserSession",
    "activity_field",
    "participation",
    "stakeholder_field",
]
