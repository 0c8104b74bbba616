"""The email outbox every service uses: a message is queued in the same transaction as the
change it reports, and `flask mle send-outbox` delivers it over SMTP later."""
