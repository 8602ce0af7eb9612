"""task leads: a task may have several lead units (task_unit.duty)

Until now the first written unit was the lead; the duty is now stored, so that
`（牵头部门：市交通局、市住建局）` keeps both leads. Existing rows keep their meaning:
position 0 leads, the rest are co-responsible.

Revision ID: i13_task_leads
Revises: c5714977fd63
"""
from alembic import op
import sqlalchemy as sa


revision = 'i13_task_leads'
down_revision = 'i14_plan_lifecycle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duty', sa.Enum('lead', 'co', name='duty', native_enum=False, length=24),
                                      nullable=True))
    task_unit = sa.table('task_unit', sa.column('position', sa.Integer), sa.column('duty', sa.String))
    op.execute(task_unit.update().values(duty=sa.case((task_unit.c.position == 0, 'lead'), else_='co')))
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.alter_column('duty', existing_type=sa.Enum('lead', 'co', name='duty', native_enum=False, length=24),
                              nullable=False)


def downgrade():
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.drop_column('duty')
