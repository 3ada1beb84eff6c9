"""Deterministic sample returns and the script that makes them (see README.md)."""
