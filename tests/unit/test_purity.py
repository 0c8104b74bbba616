"""The heart stays pure: the rules engine and content loader import neither Flask nor the
database layer, so they can be tested, benchmarked and reused on their own."""

import subprocess
import sys


def test_rules_and_content_import_without_flask_or_sqlalchemy():
    code = ("import sys, mle.rules, mle.content; "
            "bad = [m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules]; "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
