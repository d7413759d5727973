"""DICOM series scanning, volume geometry, windowing and ROI measurement (Qt-free)."""
