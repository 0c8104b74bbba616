"""Staff accounts and teams: `service` creates and changes an account and sends its one-time
set-password links, `sign_in` checks a password (with lockout) and then the second factor,
`second_factor` turns the authenticator-app code on and off, and `teams` keeps the teams."""
