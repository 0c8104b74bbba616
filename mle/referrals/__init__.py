"""Referrals and equipment requests, team routing, and the email outbox."""
