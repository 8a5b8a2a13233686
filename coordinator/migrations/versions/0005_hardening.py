"""stakeholder name keys in the normalised form (NFC/NFKC, invisibles dropped)

Revision ID: 0005_hardening
Revises: 0003
Create Date: 2026-11-30 16:30:00

Data only: ``name_key`` is recomputed with coordinator.names.name_key. A stakeholder whose new
key would equal another's (a look-alike pair stored before this check) keeps its old key, so
the upgrade never fails; such pairs are printed for the coordinator to merge or rename.
"""
from alembic import op
import sqlalchemy as sa

from coordinator.names import name_key

revision = '0005_hardening'
down_revision = '0003'
branch_labels = None
depends_on = None

stakeholder = sa.table(
    'stakeholder', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
    sa.column('name_key', sa.String()),
)


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(stakeholder.c.id, stakeholder.c.name, stakeholder.c.name_key)).all()
    taken = {key for _id, _name, key in rows}
    for id_, name, old_key in rows:
        new_key = name_key(name)
        if new_key == old_key:
            continue
        if new_key in taken:
            print(f"stakeholder {id_}: name looks like another's; key left unchanged")
            continue
        connection.execute(
            stakeholder.update().where(stakeholder.c.id == id_).values(name_key=new_key)
        )
        taken.discard(old_key)
        taken.add(new_key)


def downgrade():
    pass  # the new keys are as valid for the old code as the old ones
