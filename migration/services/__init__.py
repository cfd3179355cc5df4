"""Writes of the foreign-specialist domain, by sub-domain (see docs/foreign.md)."""
