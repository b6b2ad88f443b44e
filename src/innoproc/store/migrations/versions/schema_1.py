"""Schema version 1: cases and their append-only history.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "innoproc_cases",
        sa.Column("reference", sa.String(255), primary_key=True),
        sa.Column("procedure", sa.String(255), nullable=False),
        sa.Column("state", sa.String(255), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("authority", sa.String(255), nullable=False),
        sa.Column("opened", sa.DateTime(timezone=True), nullable=False),
        sa.Column("header", sa.Text, nullable=False),
    )
    op.create_index("ix_innoproc_cases_procedure_state", "innoproc_cases", ["procedure", "state"])
    op.create_index("ix_innoproc_cases_state", "innoproc_cases", ["state"])
    op.create_index("ix_innoproc_cases_authority", "innoproc_cases", ["authority"])
    op.create_table(
        "innoproc_history",
        sa.Column(
            "reference",
            sa.String(255),
            sa.ForeignKey("innoproc_cases.reference", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_index("ix_innoproc_history_name", "innoproc_history", ["name"])
    op.create_index("ix_innoproc_history_at", "innoproc_history", ["at"])


def downgrade() -> None:
    op.drop_table("innoproc_history")
    op.drop_table("innoproc_cases")
