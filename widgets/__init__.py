"""Reusable Qt panels and dialogs of the workstation."""
