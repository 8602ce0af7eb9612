"""i17 pages: evidence kept for history when removed from a report; the review queue's index

Revision ID: i17_pages
Revises: c5714977fd63
Create Date: 2026-12-01 22:05:00

"""
from alembic import op
import sqlalchemy as sa

import tracker.db  # noqa: F401  (AwareDateTime)


# revision identifiers, used by Alembic.
revision = 'i17_pages'
down_revision = 'i16_rules_milestones_scores'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', tracker.db.AwareDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_state_task', ['state', 'task_id', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_state_task')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
