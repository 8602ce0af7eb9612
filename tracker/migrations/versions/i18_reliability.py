"""reliability: delivery claims (a lease on each outbox message)

Revision ID: i18_reliability
Revises: c5714977fd63
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import tracker.db  # noqa: F401  (AwareDateTime)


# revision identifiers, used by Alembic.
revision = 'i18_reliability'
down_revision = 'i17_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', tracker.db.AwareDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
