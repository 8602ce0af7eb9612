"""task lights: each task's light and facts kept current by the writes (no cold path)

The upgrade computes every task's row on the day it runs (the application's clock and light
rules), so the first page after it reads stored lights. The downgrade drops the table: the
rows are derived, nothing is lost.

Revision ID: i21_task_lights
Revises: i18_reliability
Create Date: 2026-12-02 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i21_task_lights'
down_revision = 'i18_reliability'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_light',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('colour', sa.String(length=8), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('rules_key', sa.String(length=16), nullable=False),
    sa.Column('stamp', sa.String(length=16), nullable=False),
    sa.Column('light', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_light_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_task_light'))
    )
    _compute_rows()


def downgrade():
    op.drop_table('task_light')


def _compute_rows():
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from tracker import clock
    from tracker.plans.models import Plan
    from tracker.supervision import light_store

    session = Session(bind=op.get_bind())
    try:
        light_store.refresh(session, plan_ids=list(session.scalars(select(Plan.id))), today=clock.today())
        session.commit()  # joined to the migration's transaction: that one commits
    finally:
        session.close()
