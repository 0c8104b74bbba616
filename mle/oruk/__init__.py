"""Open Referral UK 3.0: the read API, import from ORUK feeds, and export."""
