"""Secrets of local accounts: generated passwords, argon2id hashes, activation tokens, password policy."""
