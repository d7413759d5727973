"""Exports of the project's annotations to the formats regulators and tools read."""
