"""sign-in limits (authenticator codes per account, failures per address) and a referral's
answers summary and outcome encrypted at rest

Revision ID: 0016_sign_in_and_sealed
Revises: 0015_match_keys
Create Date: 2026-12-07 00:40:00

"""
import json

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = '0016_sign_in_and_sealed'
down_revision = '0015_match_keys'
branch_labels = None
depends_on = None


def _seal(value) -> bytes:
    # The app's own encryption (MLE_DATA_KEYS), so rows written before this revision are
    # sealed exactly as new ones are.
    from mle.security.encryption import encrypt_json

    return encrypt_json(value)


def _open(token: bytes):
    from mle.security.encryption import decrypt_json

    return decrypt_json(token)


def upgrade():
    with op.batch_alter_table('staff_user') as batch:
        batch.add_column(sa.Column('code_failures', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('code_locked_until', sa.DateTime(timezone=True)))
        batch.add_column(sa.Column('last_code_step', sa.BigInteger()))
    op.create_table(
        'sign_in_throttle',
        sa.Column('key', sa.String(64), primary_key=True),
        sa.Column('failures', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('locked_until', sa.DateTime(timezone=True)),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    )

    with op.batch_alter_table('referral') as batch:
        batch.add_column(sa.Column('summary_sealed', sa.LargeBinary()))
        batch.add_column(sa.Column('outcome_sealed', sa.LargeBinary()))
    referral = sa.table('referral', sa.column('id', sa.Integer), sa.column('summary', sa.JSON),
                        sa.column('outcome', sa.String), sa.column('summary_sealed',
                                                                   sa.LargeBinary),
                        sa.column('outcome_sealed', sa.LargeBinary))
    connection = op.get_bind()
    rows = connection.execute(sa.select(referral.c.id, referral.c.summary,
                                        referral.c.outcome)).all()
    if rows:
        current_app.logger.info("sealing %d referrals", len(rows))
    for row in rows:
        summary = row.summary if not isinstance(row.summary, str) else json.loads(row.summary)
        connection.execute(referral.update().where(referral.c.id == row.id).values(
            summary_sealed=_seal(summary or {}),
            outcome_sealed=_seal(row.outcome) if row.outcome else None))
    with op.batch_alter_table('referral') as batch:
        batch.drop_column('summary')
        batch.drop_column('outcome')
        batch.alter_column('summary_sealed', new_column_name='summary')
        batch.alter_column('outcome_sealed', new_column_name='outcome')


def downgrade():
    with op.batch_alter_table('referral') as batch:
        batch.add_column(sa.Column('summary_plain', sa.JSON()))
        batch.add_column(sa.Column('outcome_plain', sa.String(300)))
    referral = sa.table('referral', sa.column('id', sa.Integer), sa.column('summary',
                                                                           sa.LargeBinary),
                        sa.column('outcome', sa.LargeBinary),
                        sa.column('summary_plain', sa.JSON), sa.column('outcome_plain',
                                                                       sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(referral.c.id, referral.c.summary,
                                            referral.c.outcome)).all():
        connection.execute(referral.update().where(referral.c.id == row.id).values(
            summary_plain=_open(row.summary) if row.summary else {},
            outcome_plain=_open(row.outcome) if row.outcome else None))
    with op.batch_alter_table('referral') as batch:
        batch.drop_column('summary')
        batch.drop_column('outcome')
        batch.alter_column('summary_plain', new_column_name='summary')
        batch.alter_column('outcome_plain', new_column_name='outcome')

    op.drop_table('sign_in_throttle')
    with op.batch_alter_table('staff_user') as batch:
        batch.drop_column('last_code_step')
        batch.drop_column('code_locked_until')
        batch.drop_column('code_failures')
