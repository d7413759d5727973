"""The PDF and text document model built on PyMuPDF (Qt-free)."""
