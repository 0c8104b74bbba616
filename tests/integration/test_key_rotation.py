"""Key rotation: after a new key is put first and rotate-keys runs, the old key can go."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import LargeBinary, select

from mle.database import db
from mle.models import Assessment, ProblemReport, Referral
from mle.referrals.sealed import outcome_of, seal, summary_of
from mle.security.encryption import decrypt_json, encrypt_json
from mle.security.rotation import ENCRYPTED_COLUMNS, rotate_all
from tests.journeys import begin


def test_rotate_keys_then_retire_the_old_key(client, app):
    begin(client)
    client.submit("/topics", {"topics": ["memory"]})
    old_keys = list(app.config["MLE_DATA_KEYS"])
    new_key = Fernet.generate_key().decode()
    try:
        app.config["MLE_DATA_KEYS"] = [new_key, *old_keys]
        with app.app_context():
            assert rotate_all() >= 1
        app.config["MLE_DATA_KEYS"] = [new_key]  # the old key is gone
        with app.app_context():
            state = db.session.scalars(select(Assessment)).one().state
            assert decrypt_json(state)["modules"] == ["memory"]
        assert "/questions/memory/" in client.get("/check-answers", expect=302).location
    finally:
        app.config["MLE_DATA_KEYS"] = old_keys + [new_key]


def test_a_requests_answers_and_outcome_and_problem_reports_are_rotated_too(app):
    summary = {"answers": [{"question": "Have you fallen?", "answer": "Fell in the bath"}]}
    with app.app_context():
        referral = Referral(reference="MLE-ROTATE", kind="referral",
                            team_id="occupational-therapy", priority="soon", channel="self",
                            module="bathing", summary=seal(summary),
                            outcome=seal("Grab rail fitted"), contact=encrypt_json({}))
        report = ProblemReport(service_id="lanarkshire-carers", kind="other",
                               details=encrypt_json("Ask for Jo"))
        db.session.add_all([referral, report])
        db.session.commit()
        ids = referral.id, report.id
    old_keys = list(app.config["MLE_DATA_KEYS"])
    new_key = Fernet.generate_key().decode()
    try:
        app.config["MLE_DATA_KEYS"] = [new_key, *old_keys]
        with app.app_context():
            assert rotate_all() >= 4
        app.config["MLE_DATA_KEYS"] = [new_key]
        with app.app_context():
            referral = db.session.get(Referral, ids[0])
            assert summary_of(referral) == summary
            assert outcome_of(referral) == "Grab rail fitted"
            assert decrypt_json(db.session.get(ProblemReport, ids[1]).details) == "Ask for Jo"
    finally:
        app.config["MLE_DATA_KEYS"] = old_keys + [new_key]


def test_every_binary_column_is_rotated(app):
    """Every LargeBinary column holds encrypted data; a new one is rotated or this fails."""
    rotated = {(model.__table__.name, column) for model, columns in ENCRYPTED_COLUMNS
               for column in columns}
    binary = {(table.name, column.name) for table in db.metadata.sorted_tables
              for column in table.columns if isinstance(column.type, LargeBinary)}
    assert binary <= rotated, binary - rotated
