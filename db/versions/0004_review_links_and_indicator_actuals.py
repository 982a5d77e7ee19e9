"""review links to programs and indicator actuals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actual', sa.String(length=200), server_default='', nullable=False))
    op.create_table('review_row_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_row_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('program_uid', sa.String(length=32), nullable=True),
    sa.Column('label', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_row_id'], ['review_row.id'], name=op.f('fk_review_row_program_review_row_id_review_row'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_row_program'))
    )
    with op.batch_alter_table('review_row_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_row_program_review_row_id'), ['review_row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_row_program_program_uid'), ['program_uid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_row_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_row_program_program_uid'))
        batch_op.drop_index(batch_op.f('ix_review_row_program_review_row_id'))
    op.drop_table('review_row_program')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('actual')
