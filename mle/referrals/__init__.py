"""Referral and equipment requests: making them, routing them to a team, what the team does
with them, and deleting their personal data on schedule."""
