"""E-mails to establishments: activation of the management account and import reports (French, Jinja2)."""
