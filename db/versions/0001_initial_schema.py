"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 19:30:41.846743
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section')),
    sa.UniqueConstraint('name', name=op.f('uq_section_name'))
    )
    op.create_table('ward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward')),
    sa.UniqueConstraint('name', name=op.f('uq_ward_name'))
    )
    op.create_table('fiscal_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary_notes', sa.JSON(), nullable=True),
    sa.Column('overview', sa.JSON(), nullable=True),
    sa.Column('uncertain', sa.JSON(), nullable=True),
    sa.Column('has_printed_summary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_fiscal_year_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_year')),
    sa.UniqueConstraint('ward_id', 'year', name=op.f('uq_fiscal_year_ward_id'))
    )
    with op.batch_alter_table('fiscal_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_year_ward_id'), ['ward_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('basic_goal', sa.Text(), nullable=False),
    sa.Column('uncertain', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_review_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('ward_id', 'fiscal_year', name=op.f('uq_review_ward_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_ward_id'), ['ward_id'], unique=False)

    op.create_table('budget_class',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('in_total', sa.Boolean(), nullable=False),
    sa.Column('indicators_required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['fiscal_year.id'], name=op.f('fk_budget_class_fiscal_year_id_fiscal_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_class')),
    sa.UniqueConstraint('fiscal_year_id', 'name', name=op.f('uq_budget_class_fiscal_year_id'))
    )
    with op.batch_alter_table('budget_class', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_class_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('venue', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['fiscal_year.id'], name=op.f('fk_meeting_fiscal_year_id_fiscal_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('review_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_area_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_area'))
    )
    with op.batch_alter_table('review_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_area_review_id'), ['review_id'], unique=False)

    op.create_table('summary_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('prior', sa.Integer(), nullable=False),
    sa.Column('change', sa.Integer(), nullable=True),
    sa.Column('rate', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['fiscal_year.id'], name=op.f('fk_summary_row_fiscal_year_id_fiscal_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_row'))
    )
    with op.batch_alter_table('summary_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_summary_row_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_agenda_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('budget_class_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['budget_class_id'], ['budget_class.id'], name=op.f('fk_category_budget_class_id_budget_class'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['fiscal_year.id'], name=op.f('fk_category_fiscal_year_id_fiscal_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category'))
    )
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_budget_class_id'), ['budget_class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_category_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('review_initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['review_area.id'], name=op.f('fk_review_initiative_area_id_review_area'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_initiative'))
    )
    with op.batch_alter_table('review_initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_initiative_area_id'), ['area_id'], unique=False)

    op.create_table('agenda_sub_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('presenter', sa.Text(), nullable=True),
    sa.Column('material', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_agenda_sub_item_agenda_item_id_agenda_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_sub_item'))
    )
    with op.batch_alter_table('agenda_sub_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_sub_item_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('prior', sa.Integer(), nullable=False),
    sa.Column('printed_change', sa.Integer(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_program_category_id_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['fiscal_year.id'], name=op.f('fk_program_fiscal_year_id_fiscal_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('fiscal_year_id', 'uid', name=op.f('uq_program_fiscal_year_id'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('review_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['review_initiative.id'], name=op.f('fk_review_row_initiative_id_review_initiative'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_row'))
    )
    with op.batch_alter_table('review_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_row_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_indicator_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_program_id'), ['program_id'], unique=False)

    op.create_table('line_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('marker', sa.String(length=4), nullable=True),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('prior', sa.Integer(), nullable=True),
    sa.Column('has_sections', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_line_item_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_item'))
    )
    with op.batch_alter_table('line_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_item_program_id'), ['program_id'], unique=False)

    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_photo_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo'))
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_program_id'), ['program_id'], unique=False)

    op.create_table('program_section',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_section_program_id_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_program_section_section_id_section'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('program_id', 'section_id', name=op.f('pk_program_section'))
    )
    with op.batch_alter_table('program_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_section_section_id'), ['section_id'], unique=False)

    op.create_table('related_bureau_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('bureau', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_related_bureau_program_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_bureau_program'))
    )
    with op.batch_alter_table('related_bureau_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_bureau_program_program_id'), ['program_id'], unique=False)

    op.create_table('line_item_section',
    sa.Column('line_item_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_item_id'], ['line_item.id'], name=op.f('fk_line_item_section_line_item_id_line_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_line_item_section_section_id_section'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('line_item_id', 'section_id', name=op.f('pk_line_item_section'))
    )
    with op.batch_alter_table('line_item_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_item_section_section_id'), ['section_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('line_item_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_item_section_section_id'))

    op.drop_table('line_item_section')
    with op.batch_alter_table('related_bureau_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_bureau_program_program_id'))

    op.drop_table('related_bureau_program')
    with op.batch_alter_table('program_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_section_section_id'))

    op.drop_table('program_section')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_program_id'))

    op.drop_table('photo')
    with op.batch_alter_table('line_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_item_program_id'))

    op.drop_table('line_item')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_program_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('review_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_row_initiative_id'))

    op.drop_table('review_row')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_fiscal_year_id'))
        batch_op.drop_index(batch_op.f('ix_program_category_id'))

    op.drop_table('program')
    with op.batch_alter_table('agenda_sub_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_sub_item_agenda_item_id'))

    op.drop_table('agenda_sub_item')
    with op.batch_alter_table('review_initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_initiative_area_id'))

    op.drop_table('review_initiative')
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_fiscal_year_id'))
        batch_op.drop_index(batch_op.f('ix_category_budget_class_id'))

    op.drop_table('category')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('summary_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_summary_row_fiscal_year_id'))

    op.drop_table('summary_row')
    with op.batch_alter_table('review_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_area_review_id'))

    op.drop_table('review_area')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_fiscal_year_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('budget_class', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_class_fiscal_year_id'))

    op.drop_table('budget_class')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_ward_id'))

    op.drop_table('review')
    with op.batch_alter_table('fiscal_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_year_ward_id'))

    op.drop_table('fiscal_year')
    op.drop_table('ward')
    op.drop_table('section')
