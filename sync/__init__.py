"""Signed annotation bundles, their stores and the merge (Qt-free)."""
