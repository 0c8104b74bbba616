"""Anonymised outcome records and, later, the reports built from them."""
