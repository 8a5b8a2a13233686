"""All models in one import, for Alembic autogenerate and for the tests."""

from .activities.models import ActivityKind, JointActivity, activity_field, participation
from .api.models import ApiToken
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
from .indicators.models import Indicator, IndicatorTarget, IndicatorValue
from .network.data import revision as _network_revision  # noqa: F401  (revision listeners)
from .network.data.models import (
    NetworkCache,
    NetworkExport,
    NetworkJob,
    NetworkRankedTies,
    NetworkRevision,
    NetworkTie,
    NodePosition,
)
from .offers.models import Offer, OfferParticipation, PopulationShare, offer_provider
from .register.models import FieldOfWork, Stakeholder, StakeholderKind, stakeholder_field
from .surveys.models import (
    RelationalRating,
    SelfAssessmentAnswer,
    SurveyHeading,
    SurveyItem,
    SurveyRound,
)

__all__ = [
    "ActivityKind",
    "ApiToken",
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
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "JointActivity",
    "NetworkCache",
    "NetworkExport",
    "NetworkJob",
    "NetworkRankedTies",
    "NetworkRevision",
    "NetworkTie",
    "NodePosition",
    "Offer",
    "OfferParticipation",
    "PopulationShare",
    "Referral",
    "ReferralStep",
    "RelationalRating",
    "Role",
    "SelfAssessmentAnswer",
    "Stakeholder",
    "StakeholderKind",
    "SurveyHeading",
    "SurveyItem",
    "SurveyRound",
    "User",
    "UserSession",
    "activity_field",
    "offer_provider",
    "participation",
    "stakeholder_field",
]
