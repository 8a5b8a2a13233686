"""All models in one import, for Alembic autogenerate and for the tests."""

from .activities.models import ActivityKind, JointActivity, activity_field, participation
from .api.models import ApiToken
from .auth.models import Role, User, UserSession
from .network.data import revision as _network_revision  # noqa: F401  (revision listeners)
from .network.data.models import (
    NetworkCache,
    NetworkJob,
    NetworkRevision,
    NetworkTie,
    NodePosition,
)
from .register.models import FieldOfWork, Stakeholder, StakeholderKind, stakeholder_field

__all__ = [
    "ActivityKind",
    "ApiToken",
    "FieldOfWork",
    "JointActivity",
    "NetworkCache",
    "NetworkJob",
    "NetworkRevision",
    "NetworkTie",
    "NodePosition",
    "Role",
    "Stakeholder",
    "StakeholderKind",
    "User",
    "UserSession",
    "activity_field",
    "participation",
    "stakeholder_field",
]
