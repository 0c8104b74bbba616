"""Security headers, encryption of personal data, keyed hashes."""
