"""row versions and change history

A version column (starting at 1) on every editable row, for optimistic concurrency: every write states
the version it saw. The append-only change_history table (変更履歴). Existing rows keep every value.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 15:08:34.485217
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('change_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('clerk', sa.String(length=100), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=True),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('program_name', sa.Text(), nullable=True),
    sa.Column('item_name', sa.Text(), nullable=True),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_history'))
    )
    with op.batch_alter_table('change_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_history_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_history_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_history_operation_id'), ['operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_history_program_id'), ['program_id'], unique=False)
        batch_op.create_index('ix_change_history_row', ['table_name', 'row_id'], unique=False)

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('agenda_sub_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('budget_class', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('fiscal_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('line_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('related_bureau_program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('review_area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('review_initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('review_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('summary_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('summary_row', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('review_row', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('review_initiative', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('review_area', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('related_bureau_program', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('line_item', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('fiscal_year', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('budget_class', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('agenda_sub_item', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('change_history', schema=None) as batch_op:
        batch_op.drop_index('ix_change_history_row')
        batch_op.drop_index(batch_op.f('ix_change_history_program_id'))
        batch_op.drop_index(batch_op.f('ix_change_history_operation_id'))
        batch_op.drop_index(batch_op.f('ix_change_history_fiscal_year'))
        batch_op.drop_index(batch_op.f('ix_change_history_at'))

    op.drop_table('change_history')
