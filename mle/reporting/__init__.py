"""Anonymised outcome records, their rollups, and the suppressed reports built from them."""
