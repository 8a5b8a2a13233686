"""index of activities by creator and date (the form's recent partners)

Revision ID: 0013_activity_creator_index
Revises: 0012_ranked_ties
Create Date: 2026-11-30 19:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_activity_creator_index'
down_revision = '0012_ranked_ties'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_joint_activity_creator_recent', 'joint_activity',
                    ['created_by_id', 'date', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_joint_activity_creator_recent', table_name='joint_activity')
