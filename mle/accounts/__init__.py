"""Staff accounts: creation, one-time links, sign-in with lockout, second factor."""
