"""plan life cycle: plan state, task closures, assignment and membership periods, provisional due dates

Revision ID: i14_plan_lifecycle
Revises: c5714977fd63
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import tracker.db  # noqa: F401


revision = 'i14_plan_lifecycle'
down_revision = 'c5714977fd63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('active', 'archived', name='planstate', native_enum=False, length=24),
                                      server_default='active', nullable=False))
        batch_op.add_column(sa.Column('archived_on', sa.Date(), nullable=True))
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_aliases', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_period', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('until_period', sa.String(length=8), nullable=True))
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_period', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('until_period', sa.String(length=8), nullable=True))
        batch_op.drop_constraint('uq_assignment_task_id_unit_id', type_='unique')
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_provisional', sa.Boolean(), server_default='0', nullable=False))
    op.create_table('task_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_on', sa.Date(), nullable=True),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_task_closure_closed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['user.id'], name=op.f('fk_task_closure_reopened_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_closure_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_closure'))
    )
    with op.batch_alter_table('task_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_closure_task_id'), ['task_id'], unique=False)
    # A task closed before this revision keeps its closing as a closure row.
    op.execute("INSERT INTO task_closure (task_id, closed_on, note) "
               "SELECT id, closed_on, '' FROM task WHERE closed_on IS NOT NULL")


def downgrade():
    with op.batch_alter_table('task_closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_closure_task_id'))
    op.drop_table('task_closure')
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.drop_column('due_provisional')
    op.execute("DELETE FROM assignment WHERE until_period IS NOT NULL")
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_assignment_task_id_unit_id', ['task_id', 'unit_id'])
        batch_op.drop_column('until_period')
        batch_op.drop_column('from_period')
    op.execute("DELETE FROM group_member WHERE until_period IS NOT NULL")
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_column('until_period')
        batch_op.drop_column('from_period')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('removed_aliases')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('archived_on')
        batch_op.drop_column('state')
