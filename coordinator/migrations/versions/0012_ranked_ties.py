"""ranked ties of a scope, network export files

Revision ID: 0012_ranked_ties
Revises: 0007_cases
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_ranked_ties'
down_revision = '0007_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_ranked_ties',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('stored', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'page', name=op.f('pk_network_ranked_ties'))
    )
    op.create_table('network_export',
    sa.Column('scope_key', sa.String(length=200), nullable=False),
    sa.Column('fmt', sa.String(length=20), nullable=False),
    sa.Column('viewer', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('scope_args', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('scope_key', 'fmt', 'viewer', 'revision', name=op.f('pk_network_export'))
    )
    with op.batch_alter_table('network_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_export_created_at'), ['created_at'], unique=False)

    # The stored figures have no ranked ties yet: mark them stale (not deleted, so the pages
    # keep showing them) and the queue recomputes them, ranked ties included.
    op.execute("UPDATE network_cache SET revision = -1 "
               "WHERE key LIKE 'metrics|%' OR key LIKE 'view|%'")


def downgrade():
    with op.batch_alter_table('network_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_export_created_at'))

    op.drop_table('network_export')
    op.drop_table('network_ranked_ties')
