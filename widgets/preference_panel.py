"""The preference-pair panel: a prompt above responses, judged from the keyboard."""

from __future__ import annotations

import difflib
import functools
import html
import itertools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollBar,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

LETTERS = "ABCDEFGHI"

# Verdict and strength names as stored; the keys and labels the judge sees.
_VERDICT_KEYS = (
    ("a_better", "A"),
    ("b_better", "B"),
    ("tie", "T"),
    ("both_bad", "X"),
    ("cannot_judge", "C"),
)
_STRENGTH_KEYS = (("slight", "1"), ("clear", "2"), ("strong", "3"))
_FLAG_KEYS = (
    ("hallucination", "H"),
    ("unsafe_advice", "U"),
    ("outdated_guidance", "O"),
)

_MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
_ROLE_ID = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PanelPair:
    """What the panel shows for one item; source labels are never part of it.

    ``responses`` are ``(response_id, text)`` in display order: the first is
    A (left). ``previous`` is the judge's own earlier record body, restored
    into the controls.
    """

    title: str
    prompt: Sequence[tuple[str, str]]
    responses: Sequence[tuple[str, str]]
    rubric_names: Sequence[str]
    done: int = 0
    total: int = 0
    position: int = 0
    previous: Mapping[str, Any] | None = None
    rubric_labels: Mapping[str, str] = field(default_factory=dict)


class ResponseBrowser(QTextBrowser):
    """A Markdown view that never fetches anything: no link, no remote image.

    Links are not followed (``setOpenLinks(False)``) and :meth:`loadResource`
    returns nothing for any URL (responses carry no local images either), so
    a response that embeds ``![](https://...)`` cannot call out of the
    workstation; the refused URLs are kept in ``refused``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.refused: list[str] = []

    def show_markdown(self, text: str) -> None:
        """Render ``text`` as GitHub Markdown without raw HTML."""
        self.document().setMarkdown(text, _MARKDOWN)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource: remote ones would leave the machine."""
        self.refused.append(name.toString() if isinstance(name, QUrl) else name)
        logger.info("refused a resource of type %d in a response", type)
        return None


class PreferencePanel(QWidget):
    """Judges one pair or response set at a time, keyboard first.

    Keys: A / B better, T tie, X both bad, C cannot judge (then type the
    reason); 1 / 2 / 3 slight / clear / strong; H, U, O flag hallucination,
    unsafe advice, outdated guidance on A (with Shift on B; on the selected
    response when ranking); R goes to the rubric scores, E to the rationale,
    Esc back; D highlights differences; Up / Down select and Ctrl+Up /
    Ctrl+Down move a response in a ranking; Enter or N saves and goes to the
    next item, P goes back.

    Signals
    -------
    submitted(dict)
        Enter/N: the judgement's fields (verdict, strength, ranking,
        rubrics, flags, rationale, positions, seconds on this visit).
    previous_requested()
        P: go back one item without saving.
    """

    submitted = Signal(dict)
    previous_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pair: PanelPair | None = None
        self._browsers: list[ResponseBrowser] = []
        self._flag_boxes: list[dict[str, QCheckBox]] = []
        self._scores: list[dict[str, QSpinBox]] = []
        self._is_syncing = False
        self._is_ranking = False
        self._is_diff_shown = False
        self._clock = QElapsedTimer()
        self._build()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_progress)
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(0)
        self._scroll_timer.timeout.connect(self._scroll_prompt_to_end)
        self.actions_by_name = self._make_actions()

    # Building

    def _build(self) -> None:
        """Lay out header, prompt, responses and the judgement controls."""
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title_label = QLabel(self)
        self.progress_label = QLabel(self)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.progress_label)
        layout.addLayout(header)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.prompt_view = ResponseBrowser(self)
        self.prompt_view.setToolTip(self.tr("The prompt, turn by turn"))
        self.responses_box = QWidget(self)
        self.responses_layout = QHBoxLayout(self.responses_box)
        self.responses_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.prompt_view)
        self.splitter.addWidget(self.responses_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        layout.addWidget(self.splitter, 1)

        layout.addLayout(self._build_buttons())
        lower = QHBoxLayout()
        self.rubric_grid = QGridLayout()
        lower.addLayout(self.rubric_grid)
        self.ranking_list = QListWidget(self)
        self.ranking_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.ranking_list.setToolTip(
            self.tr("Ranking, best first: drag, or Ctrl+Up / Ctrl+Down")
        )
        self.ranking_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ranking_box = QWidget(self)
        ranking_layout = QVBoxLayout(self.ranking_box)
        ranking_layout.setContentsMargins(0, 0, 0, 0)
        ranking_layout.addWidget(
            QLabel(self.tr("Ranking, best first (Ctrl+Up / Ctrl+Down)"), self)
        )
        ranking_layout.addWidget(self.ranking_list)
        lower.addWidget(self.ranking_box)
        self.rationale = QPlainTextEdit(self)
        self.rationale.setPlaceholderText(
            self.tr("Rationale (E); required for unsafe advice and cannot judge")
        )
        self.rationale.setTabChangesFocus(True)
        self.rationale.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        lower.addWidget(self.rationale, 1)
        layout.addLayout(lower)
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)

    def _build_buttons(self) -> QHBoxLayout:
        """Make the checkable verdict and strength buttons, one key each."""
        row = QHBoxLayout()
        names = {
            "a_better": self.tr("A better"),
            "b_better": self.tr("B better"),
            "tie": self.tr("Tie"),
            "both_bad": self.tr("Both bad"),
            "cannot_judge": self.tr("Cannot judge"),
            "slight": self.tr("Slight"),
            "clear": self.tr("Clear"),
            "strong": self.tr("Strong"),
        }
        self.verdict_group = QButtonGroup(self)
        self.strength_group = QButtonGroup(self)
        self.verdict_buttons: dict[str, QPushButton] = {}
        self.strength_buttons: dict[str, QPushButton] = {}
        for group, keys, buttons in (
            (self.verdict_group, _VERDICT_KEYS, self.verdict_buttons),
            (self.strength_group, _STRENGTH_KEYS, self.strength_buttons),
        ):
            for name, key in keys:
                button = QPushButton(f"{names[name]} ({key})", self)
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setToolTip(self.tr("{0} - key {1}").format(names[name], key))
                button.toggled.connect(functools.partial(_mark_checked, button))
                group.addButton(button)
                buttons[name] = button
                row.addWidget(button)
            row.addSpacing(16)
        self.diff_button = QPushButton(self.tr("Differences (D)"), self)
        self.diff_button.setCheckable(True)
        self.diff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.diff_button.setToolTip(self.tr("Highlight differences - key D"))
        self.diff_button.toggled.connect(self._show_differences)
        row.addWidget(self.diff_button)
        row.addStretch(1)
        self.next_button = QPushButton(self.tr("Save and next (Enter)"), self)
        self.next_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.next_button.setToolTip(self.tr("Save and go to the next item - key Enter"))
        self.next_button.clicked.connect(self.submit)
        for name, button in {**self.verdict_buttons, **self.strength_buttons}.items():
            # A click goes through choose() too, so mouse and keys agree.
            button.clicked.connect(functools.partial(self.choose, name))
        row.addWidget(self.next_button)
        return row

    def _make_actions(self) -> dict[str, QAction]:
        """Return actions for the viewer toolbar; they do what the panel's keys do."""
        actions: dict[str, QAction] = {}
        for name, button in {**self.verdict_buttons, **self.strength_buttons}.items():
            action = QAction(button.text(), self)
            action.setToolTip(button.toolTip())
            action.triggered.connect(functools.partial(self.choose, name))
            actions[name] = action
        next_action = QAction(self.next_button.text(), self)
        next_action.setToolTip(self.next_button.toolTip())
        next_action.triggered.connect(self.submit)
        actions["next"] = next_action
        return actions

    def choose(self, name: str) -> None:
        """Choose a verdict or strength by its stored name, as its key does."""
        button = self.verdict_buttons.get(name) or self.strength_buttons.get(name)
        if button is None or not button.isEnabled():
            return
        button.setChecked(True)
        if name == "cannot_judge":
            # The reason is required: take the judge straight to it.
            self.rationale.setFocus()

    # Showing an item

    def show_pair(self, pair: PanelPair) -> None:
        """Show one item, restoring the judge's earlier judgement of it if any."""
        self._pair = pair
        self.title_label.setText(pair.title)
        self.prompt_view.show_markdown(
            _prompt_markdown(pair.prompt, self._role_names())
        )
        self._rebuild_responses(pair)
        self._rebuild_rubrics(pair)
        self._is_ranking = len(pair.responses) > 2
        self.ranking_box.setVisible(self._is_ranking)
        self.ranking_list.clear()
        for index, (rid, _text) in enumerate(pair.responses):
            entry = QListWidgetItem(self.tr("Response {0}").format(LETTERS[index]))
            entry.setData(_ROLE_ID, rid)
            self.ranking_list.addItem(entry)
        self.ranking_list.setCurrentRow(0)
        # A set is ranked, not given a pair verdict; it can still be refused.
        for name, button in self.verdict_buttons.items():
            button.setEnabled(not self._is_ranking or name == "cannot_judge")
        for button in self.strength_buttons.values():
            button.setEnabled(not self._is_ranking)
        self.diff_button.setEnabled(not self._is_ranking)
        self._clear_choice()
        self.rationale.setPlainText("")
        self.problem_label.setText("")
        if pair.previous:
            self._restore(pair.previous)
        # The last turn is the one answered: show it, after layout has run.
        self._scroll_timer.start()
        self._clock.start()
        self._tick.start()
        self._show_progress()
        self.setFocus()

    def _scroll_prompt_to_end(self) -> None:
        bar = self.prompt_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _role_names(self) -> dict[str, str]:
        return {
            "user": self.tr("User"),
            "assistant": self.tr("Assistant"),
            "system": self.tr("System"),
        }

    def _rebuild_responses(self, pair: PanelPair) -> None:
        """One column per response: its letter, its text, its flags."""
        while self.responses_layout.count():
            taken = self.responses_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                # Hidden now: the deferred delete runs only on the next loop.
                widget.hide()
                widget.deleteLater()
        self._browsers, self._flag_boxes = [], []
        self._is_diff_shown = False
        self.diff_button.setChecked(False)
        flag_names = {
            "hallucination": self.tr("Hallucination"),
            "unsafe_advice": self.tr("Unsafe advice"),
            "outdated_guidance": self.tr("Outdated guidance"),
        }
        for index, (_rid, text) in enumerate(pair.responses):
            column = QWidget(self.responses_box)
            column_layout = QVBoxLayout(column)
            column_layout.setContentsMargins(0, 0, 0, 0)
            column_layout.addWidget(
                QLabel(self.tr("Response {0}").format(LETTERS[index]), column)
            )
            browser = ResponseBrowser(column)
            browser.show_markdown(text)
            browser.verticalScrollBar().valueChanged.connect(self._sync_scroll)
            column_layout.addWidget(browser, 1)
            boxes: dict[str, QCheckBox] = {}
            flags_row = QHBoxLayout()
            for flag, key in _FLAG_KEYS:
                shortcut = (
                    key if index == 0 or len(pair.responses) > 2 else f"Shift+{key}"
                )
                box = QCheckBox(f"{flag_names[flag]} ({shortcut})", column)
                box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                box.setToolTip(
                    self.tr("Flag {0} - key {1}").format(flag_names[flag], shortcut)
                )
                boxes[flag] = box
                flags_row.addWidget(box)
            column_layout.addLayout(flags_row)
            self.responses_layout.addWidget(column, 1)
            self._browsers.append(browser)
            self._flag_boxes.append(boxes)

    def _rebuild_rubrics(self, pair: PanelPair) -> None:
        """Lay out the 1-5 scores: rubrics down, responses across (0: unscored)."""
        while self.rubric_grid.count():
            taken = self.rubric_grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                # Hidden now: the deferred delete runs only on the next loop.
                widget.hide()
                widget.deleteLater()
        self._scores = []
        for column, _response in enumerate(pair.responses):
            self.rubric_grid.addWidget(QLabel(LETTERS[column], self), 0, column + 1)
        for row, name in enumerate(pair.rubric_names, start=1):
            label = pair.rubric_labels.get(name, name.replace("_", " ").capitalize())
            self.rubric_grid.addWidget(QLabel(label, self), row, 0)
        for column, _response in enumerate(pair.responses):
            spins: dict[str, QSpinBox] = {}
            for row, name in enumerate(pair.rubric_names, start=1):
                spin = QSpinBox(self)
                spin.setRange(0, 5)
                spin.setSpecialValueText("-")
                spin.setToolTip(
                    self.tr("Score 1 to 5 (R to start, Tab to move, Esc to leave)")
                )
                self.rubric_grid.addWidget(spin, row, column + 1)
                spins[name] = spin
            self._scores.append(spins)
        # Tab walks one response's rubrics, then the next response's.
        chain = [spin for spins in self._scores for spin in spins.values()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _clear_choice(self) -> None:
        for group in (self.verdict_group, self.strength_group):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)

    def _restore(self, body: Mapping[str, Any]) -> None:
        """Put an earlier judgement back into the controls."""
        verdict = body.get("verdict")
        if verdict in self.verdict_buttons:
            self.verdict_buttons[verdict].setChecked(True)
        strength = body.get("strength")
        if strength in self.strength_buttons:
            self.strength_buttons[strength].setChecked(True)
        ids = self.response_ids()
        for rid, scores in body.get("rubrics", {}).items():
            if rid in ids:
                for name, score in scores.items():
                    spin = self._scores[ids.index(rid)].get(name)
                    if spin is not None:
                        spin.setValue(int(score))
        for rid, flags in body.get("flags", {}).items():
            if rid in ids:
                for flag in flags:
                    self._flag_boxes[ids.index(rid)][flag].setChecked(True)
        ranking = list(body.get("ranking", []))
        if self._is_ranking and sorted(ranking) == sorted(ids):
            for row, rid in enumerate(ranking):
                self._move_to(self.ranking().index(rid), row)
        self.rationale.setPlainText(str(body.get("rationale", "")))

    # Reading the judgement

    def response_ids(self) -> list[str]:
        """Return the shown response IDs, A first."""
        return [] if self._pair is None else [r for r, _t in self._pair.responses]

    def ranking(self) -> list[str]:
        """Return the response IDs in ranking order, best first."""
        return [
            str(self.ranking_list.item(row).data(_ROLE_ID))
            for row in range(self.ranking_list.count())
        ]

    def fields(self) -> dict[str, Any]:
        """Return the judgement as the judge has set it so far."""
        ids = self.response_ids()
        verdict = next(
            (n for n, b in self.verdict_buttons.items() if b.isChecked()), None
        )
        # Known shortcoming: an untouched ranking (display order) is saved as
        # the judge's ranking when Enter is pressed; nothing asks to confirm it.
        if self._is_ranking and verdict != "cannot_judge":
            verdict = "ranked"
        strength = next(
            (n for n, b in self.strength_buttons.items() if b.isChecked()), None
        )
        rubrics = {
            rid: {n: s.value() for n, s in spins.items() if s.value() > 0}
            for rid, spins in zip(ids, self._scores, strict=True)
        }
        flags = {
            rid: [f for f, box in boxes.items() if box.isChecked()]
            for rid, boxes in zip(ids, self._flag_boxes, strict=True)
        }
        return {
            "verdict": verdict,
            "strength": strength,
            "ranking": self.ranking() if verdict == "ranked" else [],
            "rubrics": {r: s for r, s in rubrics.items() if s},
            "flags": {r: f for r, f in flags.items() if f},
            "rationale": self.rationale.toPlainText().strip(),
            "positions": ids,
            "seconds": self.seconds_on_item(),
        }

    def seconds_on_item(self) -> float:
        """Return the seconds since this item was shown (this visit only)."""
        return self._clock.elapsed() / 1000.0 if self._clock.isValid() else 0.0

    def submit(self) -> None:
        """Emit the judgement for saving (the owner moves on if it is saved)."""
        if self._pair is not None:
            self.submitted.emit(self.fields())

    def show_problem(self, text: str) -> None:
        """Show why the judgement was not saved, under the controls."""
        self.problem_label.setText(text)

    def stop_clock(self) -> None:
        """Stop the per-item timer display (the item is being closed)."""
        self._tick.stop()

    def _show_progress(self) -> None:
        pair = self._pair
        if pair is None:
            return
        seconds = int(self.seconds_on_item())
        self.progress_label.setText(
            self.tr("Judged {0} of {1} - item {2} of {3} - {4}:{5:02d}").format(
                pair.done,
                pair.total,
                pair.position,
                pair.total,
                seconds // 60,
                seconds % 60,
            )
        )

    # Keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Turn the judge's keys into choices; see the class docstring."""
        if self._pair is None or not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        modifiers = event.modifiers()
        is_shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        is_control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        text = QKeySequence(key).toString()

        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_N):
            self.submit()
        elif key == Qt.Key.Key_P:
            self.previous_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.setFocus()
        elif key == Qt.Key.Key_E:
            self.rationale.setFocus()
        elif key == Qt.Key.Key_R and self._scores:
            # Tab focus selects the "-" so that a typed digit replaces it.
            first = next(iter(self._scores[0].values()))
            first.setFocus(Qt.FocusReason.TabFocusReason)
            first.selectAll()
        elif key == Qt.Key.Key_D and not self._is_ranking:
            self.diff_button.toggle()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._is_ranking:
            self._ranking_key(key == Qt.Key.Key_Up, is_control)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and self._browsers:
            bar = self._browsers[0].verticalScrollBar()
            step = bar.pageStep() * (-1 if key == Qt.Key.Key_PageUp else 1)
            bar.setValue(bar.value() + step)
        else:
            return self._choice_key(text, is_shift)
        return True

    def _choice_key(self, text: str, is_shift: bool) -> bool:
        """Verdict, strength and flag keys; False if the key is none of them."""
        for name, key in (*_VERDICT_KEYS, *_STRENGTH_KEYS):
            if text == key:
                self.choose(name)
                return True
        for flag, key in _FLAG_KEYS:
            if text == key:
                index = 1 if is_shift else 0
                if self._is_ranking:
                    ids = self.response_ids()
                    if self.ranking_list.currentRow() < 0:
                        return True
                    current = self.ranking_list.currentItem()
                    index = ids.index(str(current.data(_ROLE_ID)))
                box = self._flag_boxes[index][flag]
                box.setChecked(not box.isChecked())
                return True
        return False

    def _ranking_key(self, is_up: bool, is_move: bool) -> None:
        """Select (Up/Down) or move (Ctrl+Up/Down) a response in the ranking."""
        row = self.ranking_list.currentRow()
        target = row - 1 if is_up else row + 1
        if not 0 <= target < self.ranking_list.count():
            return
        if is_move:
            self._move_to(row, target)
        self.ranking_list.setCurrentRow(target)

    def _move_to(self, row: int, target: int) -> None:
        entry = self.ranking_list.takeItem(row)
        self.ranking_list.insertItem(target, entry)

    # Reading aids

    def _sync_scroll(self, value: int) -> None:
        """Scroll every response to the same fraction as the one scrolled."""
        if self._is_syncing:
            return
        sender = self.sender()
        if not isinstance(sender, QScrollBar) or sender.maximum() <= 0:
            return
        fraction = value / sender.maximum()
        self._is_syncing = True
        try:
            for browser in self._browsers:
                bar = browser.verticalScrollBar()
                if bar is not sender:
                    bar.setValue(round(fraction * bar.maximum()))
        finally:
            self._is_syncing = False

    def _show_differences(self, is_shown: bool) -> None:
        """Show A and B as text with the words that differ highlighted."""
        if self._pair is None or len(self._browsers) != 2:
            return
        self._is_diff_shown = is_shown
        texts = [text for _rid, text in self._pair.responses]
        if not is_shown:
            for browser, text in zip(self._browsers, texts, strict=True):
                browser.show_markdown(text)
            return
        # Known shortcoming: the highlighted view is plain text; Markdown
        # formatting comes back when D is pressed again.
        colour = self.palette().color(QPalette.ColorRole.Highlight).name()
        left, right = word_diff_html(texts[0], texts[1], colour)
        self._browsers[0].setHtml(left)
        self._browsers[1].setHtml(right)


def _mark_checked(button: QPushButton, is_checked: bool) -> None:
    """Show a chosen verdict or strength in bold: Fusion's pressed look is faint."""
    font = button.font()
    font.setBold(is_checked)
    font.setUnderline(is_checked)
    button.setFont(font)


def _prompt_markdown(turns: Sequence[tuple[str, str]], names: Mapping[str, str]) -> str:
    """Render the prompt turns as Markdown: a bold speaker line, then the text."""
    parts = [f"**{names.get(role, role)}**\n\n{text}" for role, text in turns]
    return "\n\n---\n\n".join(parts)


def word_diff_html(left: str, right: str, colour: str) -> tuple[str, str]:
    """Return both texts as HTML with the words that differ highlighted.

    Parameters
    ----------
    left, right
        The two responses as plain text.
    colour
        The highlight colour, ``#rrggbb``.

    Returns
    -------
    tuple of str
        HTML for the left and the right text; changed, added and removed words
        sit in ``<span style="background-color: colour">``.
    """
    words_left = re.split(r"(\s+)", left)
    words_right = re.split(r"(\s+)", right)
    matcher = difflib.SequenceMatcher(a=words_left, b=words_right, autojunk=False)
    out_left: list[str] = []
    out_right: list[str] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        chunk_left = html.escape("".join(words_left[a0:a1]))
        chunk_right = html.escape("".join(words_right[b0:b1]))
        if tag == "equal":
            out_left.append(chunk_left)
            out_right.append(chunk_right)
            continue
        mark = f'<span style="background-color: {colour}">'
        if chunk_left:
            out_left.append(f"{mark}{chunk_left}</span>")
        if chunk_right:
            out_right.append(f"{mark}{chunk_right}</span>")
    wrap = '<div style="white-space: pre-wrap">{}</div>'
    return wrap.format("".join(out_left)), wrap.format("".join(out_right))
