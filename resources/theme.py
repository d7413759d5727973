"""The Fusion style with a dark (default) or light palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("dark", "light")

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

# Neutral greys so that label colours and images stand out (see UI.md).
_DARK: dict[QPalette.ColorRole, str] = {
    _R.Window: "#2b2b2b",
    _R.WindowText: "#e6e6e6",
    _R.Base: "#1e1e1e",
    _R.AlternateBase: "#262626",
    _R.ToolTipBase: "#3a3a3a",
    _R.ToolTipText: "#f0f0f0",
    _R.PlaceholderText: "#8a8a8a",
    _R.Text: "#e6e6e6",
    _R.Button: "#353535",
    _R.ButtonText: "#e6e6e6",
    _R.BrightText: "#ff5555",
    _R.Light: "#4a4a4a",
    _R.Midlight: "#404040",
    _R.Mid: "#303030",
    _R.Dark: "#1a1a1a",
    _R.Shadow: "#000000",
    _R.Highlight: "#3d6fa5",
    _R.HighlightedText: "#ffffff",
    _R.Link: "#6fa8dc",
    _R.LinkVisited: "#a58fd0",
}
_DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    _R.WindowText: "#7a7a7a",
    _R.Text: "#7a7a7a",
    _R.ButtonText: "#7a7a7a",
    _R.Highlight: "#4a4a4a",
    _R.HighlightedText: "#9a9a9a",
}


def dark_palette() -> QPalette:
    """Return the dark palette used in reading rooms.

    Returns
    -------
    QPalette
        Neutral dark greys with a muted blue highlight.
    """
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(_G.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    """Return the light palette: the Fusion style's own standard palette.

    Returns
    -------
    QPalette
        Fusion's light palette.
    """
    style = QApplication.style()
    return style.standardPalette()


def apply_theme(app: QApplication, theme: str) -> None:
    """Set the Fusion style and the palette of ``theme`` on ``app``.

    Parameters
    ----------
    app
        The running application.
    theme
        ``"dark"`` or ``"light"``.

    Raises
    ------
    ValueError
        For a theme name not in ``THEMES``.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")

    app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else light_palette())
