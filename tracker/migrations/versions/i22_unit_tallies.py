"""unit tallies: each unit's 应报/已报/迟报 per quarter kept current by the writes (the dashboard reads them)

The upgrade computes every row from the data (reporting/compliance.py's aggregate), so the
first dashboard after it reads stored figures. The downgrade drops the table: the rows are
derived, nothing is lost.

Revision ID: i22_unit_tallies
Revises: i21_task_lights
Create Date: 2026-12-02 05:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22_unit_tallies'
down_revision = 'i21_task_lights'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_tally',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('owed', sa.Integer(), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.Column('late', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_unit_tally_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_tally_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'unit_id', name=op.f('pk_unit_tally'))
    )
    with op.batch_alter_table('unit_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_tally_unit_id'), ['unit_id'], unique=False)
    _compute_rows()


def downgrade():
    with op.batch_alter_table('unit_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_tally_unit_id'))
    op.drop_table('unit_tally')


def _compute_rows():
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from tracker.plans.models import Plan
    from tracker.supervision import tally_store

    session = Session(bind=op.get_bind())
    try:
        tally_store.refresh(session, plan_ids=list(session.scalars(select(Plan.id))))
        session.commit()  # joined to the migration's transaction: that one commits
    finally:
        session.close()
