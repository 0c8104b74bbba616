"""Key rotation: after a new key is put first and rotate-keys runs, the old key can go."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import select

from mle.database import db
from mle.models import Assessment
from mle.security.encryption import decrypt_json
from mle.security.rotation import rotate_all
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
