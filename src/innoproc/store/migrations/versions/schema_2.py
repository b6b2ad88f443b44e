"""Schema version 2: the version of each case's procedure, and its next time limit.

``procedure_version`` is the version of its procedure each stored case follows now (1 for a
case stored in format 1, whose documents name no procedure version). ``next_due`` and
``next_due_code`` are the earliest time limit of the case not yet done
(``innoproc.time_limits``), indexed for the due and overdue queries. They are computed here
by loading each stored case; a case whose procedure is not known to this
run (a host's own procedure, when migrating from the command line) keeps them empty until
``CaseStore.refresh_time_limits`` or its next save. With ``--sql`` (offline) only the
columns are added.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import context, op

from innoproc.store._tables import UTCDateTime

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

_log = logging.getLogger("innoproc.store")


def upgrade() -> None:
    with op.batch_alter_table("innoproc_cases") as batch:
        batch.add_column(
            sa.Column("procedure_version", sa.Integer, nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("next_due", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_due_code", sa.String(255), nullable=True))
    op.create_index("ix_innoproc_cases_next_due", "innoproc_cases", ["next_due"])
    if context.is_offline_mode():
        return
    _fill_next_due()


def _fill_next_due() -> None:
    import innoproc
    from innoproc.store._documents import attention, join_document

    procedures = context.config.attributes.get("procedures")
    cases = sa.table(
        "innoproc_cases",
        sa.column("reference", sa.String),
        sa.column("header", sa.Text),
        sa.column("revision", sa.Integer),
        sa.column("procedure_version", sa.Integer),
        sa.column("next_due", UTCDateTime()),
        sa.column("next_due_code", sa.String),
    )
    history = sa.table(
        "innoproc_history",
        sa.column("reference", sa.String),
        sa.column("seq", sa.Integer),
        sa.column("entry", sa.Text),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(cases.c.reference, cases.c.header, cases.c.revision)).all()
    for reference, header, rev in rows:
        entries = bind.execute(
            sa.select(history.c.entry)
            .where(history.c.reference == reference, history.c.seq <= rev)
            .order_by(history.c.seq)
        ).scalars()
        try:
            case = innoproc.loads(join_document(header, entries), procedures=procedures)
        except innoproc.CaseFormatError as exc:
            _log.warning("case %r: next time limit not computed: %s", reference, exc)
            continue
        due, code = attention(case)
        bind.execute(
            sa.update(cases)
            .where(cases.c.reference == reference)
            .values(procedure_version=case.version, next_due=due, next_due_code=code)
        )


def downgrade() -> None:
    op.drop_index("ix_innoproc_cases_next_due", "innoproc_cases")
    with op.batch_alter_table("innoproc_cases") as batch:
        batch.drop_column("next_due_code")
        batch.drop_column("next_due")
        batch.drop_column("procedure_version")
