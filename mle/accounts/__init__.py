"""Staff accounts and teams: `service` creates and changes an account, sends its one-time
set-password links and ends its sessions; `sign_in` checks a password and then the second
factor, with pauses after failures (`back_off`, per account in `password_check`, per network
address in `address_throttle`); `second_factor` turns the authenticator-app code on and off;
`password_change` lets a signed-in person change their password; `teams` keeps the teams."""
