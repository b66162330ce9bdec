"""Local (moto) environment of the accounts and mail commands: tables, SES identity, state under --state-dir."""
