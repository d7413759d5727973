"""The HAIOps Workstation application: CLI, main window and Qt-free services."""

__version__ = "0.1.0"
