"""network revision and metrics cache

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_revision'))
    )
    # The single counter row; every write to the network's data increases it.
    op.bulk_insert(
        sa.table('network_revision', sa.column('id', sa.Integer()), sa.column('value', sa.BigInteger())),
        [{'id': 1, 'value': 0}],
    )
    op.create_table('network_cache',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_network_cache'))
    )
    with op.batch_alter_table('network_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_cache_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_cache_revision'), ['revision'], unique=False)


def downgrade():
    with op.batch_alter_table('network_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_cache_revision'))
        batch_op.drop_index(batch_op.f('ix_network_cache_created_at'))

    op.drop_table('network_cache')
    op.drop_table('network_revision')
