"""Test-only servers and demo data (no command of coopex uses them)."""
