"""The registry of establishments (schools): who they are, which basin platform, which mailbox."""
