"""Reading preference pairs and response sets from JSONL in their common shapes."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.preference.errors import MalformedLineError, NoPairsError, PreferenceError
from storage.progress import Progress

logger = logging.getLogger(__name__)

#: The shapes a line can take, as reported to the user after an import.
SHAPES = ("explicit", "responses", "conversational", "implicit_dialogue")

#: Fewest and most responses one item may hold (a pair, or a set to rank).
MIN_RESPONSES = 2
MAX_RESPONSES = 9

ROLES = ("system", "user", "assistant")

# The implicit dialogue form (Anthropic HH-RLHF) marks turns with these.
_HUMAN = "\n\nHuman:"
_ASSISTANT = "\n\nAssistant:"


@dataclass(frozen=True)
class Turn:
    """One turn of the prompt conversation: ``role`` is system, user or assistant."""

    role: str
    content: str


@dataclass(frozen=True)
class Response:
    """One answer to compare, with an ID that stays the same across imports."""

    response_id: str
    text: str


@dataclass(frozen=True)
class PairSource:
    """A pair or response set as stored in the ``source`` of a worklist item.

    ``source_labels`` maps response IDs to the labels of the file (``chosen``,
    ``rejected``, a rank ...); they are kept for export and gold items and are
    never shown to judges.
    """

    prompt: tuple[Turn, ...]
    responses: tuple[Response, ...]
    source_labels: Mapping[str, str]
    shape: str
    line: int
    file_name: str
    file_sha256: str
    is_conversational: bool = False
    gold_better: str | None = None

    @property
    def item_key(self) -> str:
        """A key that names the pair by its content origin (file hash and line)."""
        return f"{self.file_sha256}:{self.line}"

    def response(self, response_id: str) -> Response:
        """Return the response with ``response_id`` (KeyError if unknown)."""
        for response in self.responses:
            if response.response_id == response_id:
                return response
        raise KeyError(response_id)

    def to_source(self) -> dict[str, Any]:
        """Return the JSON object stored as the item's ``source``."""
        source: dict[str, Any] = {
            "format": 1,
            "shape": self.shape,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "line": self.line,
            "conversational": self.is_conversational,
            "prompt": [{"role": t.role, "content": t.content} for t in self.prompt],
            "responses": [
                {"response_id": r.response_id, "text": r.text} for r in self.responses
            ],
            "source_labels": dict(self.source_labels),
        }
        if self.gold_better is not None:
            source["gold"] = {"better": self.gold_better}
        return source

    @classmethod
    def from_source(cls, source: Mapping[str, Any]) -> PairSource:
        """Rebuild the pair from an item's ``source`` object."""
        gold = source.get("gold") or {}
        return cls(
            prompt=tuple(Turn(t["role"], t["content"]) for t in source["prompt"]),
            responses=tuple(
                Response(r["response_id"], r["text"]) for r in source["responses"]
            ),
            source_labels=dict(source.get("source_labels", {})),
            shape=str(source["shape"]),
            line=int(source["line"]),
            file_name=str(source["file_name"]),
            file_sha256=str(source["file_sha256"]),
            is_conversational=bool(source.get("conversational", False)),
            gold_better=gold.get("better"),
        )


@dataclass
class ParsedFile:
    """What a pairs file holds: the pairs read, the shapes seen, the bad lines."""

    path: Path
    file_sha256: str
    pairs: list[PairSource] = field(default_factory=list)
    shapes: Counter[str] = field(default_factory=Counter)
    problems: list[MalformedLineError] = field(default_factory=list)


class _LineProblemError(Exception):
    """Raised inside line parsing; becomes a MalformedLineError with the line."""


def read_pairs_file(path: Path, progress: Progress | None = None) -> ParsedFile:
    """Read every line of a JSONL pairs file, keeping bad lines as problems.

    Parameters
    ----------
    path
        A UTF-8 JSONL file, one pair or response set per line, in any of
        :data:`SHAPES`.
    progress
        Told after every line; cancelling stops the read.

    Returns
    -------
    ParsedFile
        The pairs in file order, the count of each shape, and one
        :class:`MalformedLineError` per line that could not be read (with
        ``line`` and ``problem`` fields). Blank lines are not data and are
        passed over.

    Raises
    ------
    PreferenceError
        If the file cannot be read or is not UTF-8.
    NoPairsError
        If not a single line holds a pair.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PreferenceError(str(error), path=path) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PreferenceError(f"not UTF-8: {error}", path=path) from error

    parsed = ParsedFile(path=path, file_sha256=hashlib.sha256(data).hexdigest())
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if progress is not None:
            progress.report(number - 1, len(lines), "")
        if not raw.strip():
            continue
        try:
            pair = _parse_line(raw, number, path.name, parsed.file_sha256)
        except _LineProblemError as problem:
            parsed.problems.append(
                MalformedLineError(
                    str(problem), path=path, line=number, problem=problem
                )
            )
            continue
        parsed.pairs.append(pair)
        parsed.shapes[pair.shape] += 1

    if not parsed.pairs:
        first = parsed.problems[0].detail if parsed.problems else "the file is empty"
        raise NoPairsError(first, path=path)
    logger.info(
        "read %d pairs from a file of %d lines, %d bad lines, shapes %s",
        len(parsed.pairs),
        len(lines),
        len(parsed.problems),
        dict(parsed.shapes),
    )
    return parsed


def _parse_line(raw: str, line: int, file_name: str, file_sha256: str) -> PairSource:
    """Turn one JSONL line into a pair or response set, or raise _LineProblemError."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON ({error.msg} at column {error.colno})"
        raise _LineProblemError(problem) from None
    if not isinstance(obj, dict):
        raise _LineProblemError("not a JSON object")

    prompt_value = obj.get("prompt", obj.get("messages"))
    if "chosen" in obj and "rejected" in obj:
        if prompt_value is not None:
            shape, prompt, texts = _explicit(
                prompt_value, obj["chosen"], obj["rejected"]
            )
        else:
            shape, prompt, texts = _implicit(obj["chosen"], obj["rejected"])
        labels = ["chosen", "rejected"]
    elif "responses" in obj or "completions" in obj:
        if prompt_value is None:
            raise _LineProblemError("it has responses but no prompt")
        shape = "responses"
        prompt = _prompt_turns(prompt_value)
        texts, labels = _response_list(obj.get("responses", obj.get("completions")))
    else:
        raise _LineProblemError(
            "it has neither prompt/chosen/rejected, chosen/rejected dialogues "
            "nor prompt/responses"
        )

    _check_responses(texts)
    ids = [f"{file_sha256[:12]}-{line}-{index}" for index in range(len(texts))]
    return PairSource(
        prompt=tuple(prompt),
        responses=tuple(Response(i, t) for i, t in zip(ids, texts, strict=True)),
        source_labels={i: lab for i, lab in zip(ids, labels, strict=True) if lab},
        shape=shape,
        line=line,
        file_name=file_name,
        file_sha256=file_sha256,
        is_conversational=shape == "conversational",
    )


def _explicit(
    prompt: Any, chosen: Any, rejected: Any
) -> tuple[str, list[Turn], list[str]]:
    """Read prompt/chosen/rejected, plain text or lists of messages."""
    turns = _prompt_turns(prompt)
    texts = [_answer_text(chosen, "chosen"), _answer_text(rejected, "rejected")]
    is_messages = any(isinstance(v, list) for v in (prompt, chosen, rejected))
    return ("conversational" if is_messages else "explicit"), turns, texts


def _implicit(chosen: Any, rejected: Any) -> tuple[str, list[Turn], list[str]]:
    """Split two whole conversations into their shared prompt and last answers."""
    if isinstance(chosen, str) and isinstance(rejected, str):
        prompt_c, answer_c = _split_dialogue(chosen, "chosen")
        prompt_r, answer_r = _split_dialogue(rejected, "rejected")
        if prompt_c != prompt_r:
            raise _LineProblemError(
                "chosen and rejected differ before their last Assistant turn"
            )
        return "implicit_dialogue", _dialogue_turns(prompt_c), [answer_c, answer_r]

    if isinstance(chosen, list) and isinstance(rejected, list):
        turns_c = _messages(chosen, "chosen")
        turns_r = _messages(rejected, "rejected")
        if not turns_c or turns_c[-1].role != "assistant":
            raise _LineProblemError("chosen does not end with an assistant message")
        if not turns_r or turns_r[-1].role != "assistant":
            raise _LineProblemError("rejected does not end with an assistant message")
        if turns_c[:-1] != turns_r[:-1]:
            raise _LineProblemError(
                "chosen and rejected differ before their last message"
            )
        if not turns_c[:-1]:
            raise _LineProblemError("the conversation has no prompt before the answers")
        texts = [turns_c[-1].content, turns_r[-1].content]
        return "conversational", list(turns_c[:-1]), texts

    raise _LineProblemError(
        "chosen and rejected must both be text or both be message lists"
    )


def _split_dialogue(text: str, side: str) -> tuple[str, str]:
    """Cut a Human/Assistant transcript at its last Assistant turn.

    The cut is at the turn boundary, not at the longest common prefix of the
    two sides: answers often share their first words ("I", "Th"), and a
    character prefix would move those words into the prompt.
    """
    if text.startswith(("Human:", "Assistant:")):
        text = "\n\n" + text
    cut = text.rfind(_ASSISTANT)
    if cut < 0:
        raise _LineProblemError(f"{side} has no 'Assistant:' turn")
    answer = text[cut + len(_ASSISTANT) :].strip()
    if not answer:
        raise _LineProblemError(f"the last Assistant turn of {side} is empty")
    return text[:cut], answer


def _dialogue_turns(prompt: str) -> list[Turn]:
    """Split the prompt part of a Human/Assistant transcript into turns."""
    if not prompt.startswith((_HUMAN, _ASSISTANT)):
        raise _LineProblemError("the dialogue does not start with a 'Human:' turn")
    turns: list[Turn] = []
    position = 0
    while position < len(prompt):
        is_human = prompt.startswith(_HUMAN, position)
        marker = _HUMAN if is_human else _ASSISTANT
        start = position + len(marker)
        ends = (prompt.find(_HUMAN, start), prompt.find(_ASSISTANT, start))
        end = min((i for i in ends if i >= 0), default=len(prompt))
        turns.append(
            Turn("user" if is_human else "assistant", prompt[start:end].strip())
        )
        position = end
    if turns[-1].role != "user":
        raise _LineProblemError(
            "the last turn before the answers is not a 'Human:' turn"
        )
    return turns


def _prompt_turns(value: Any) -> list[Turn]:
    """Read a prompt given as text (one user turn) or as a list of messages."""
    if isinstance(value, str):
        if not value.strip():
            raise _LineProblemError("the prompt is empty")
        return [Turn("user", value.strip())]
    if isinstance(value, list):
        turns = _messages(value, "prompt")
        if not turns:
            raise _LineProblemError("the prompt has no messages")
        return turns
    raise _LineProblemError("the prompt must be text or a list of messages")


def _messages(value: Sequence[Any], what: str) -> list[Turn]:
    """Read a list of {"role", "content"} messages."""
    turns = []
    for index, message in enumerate(value):
        if not isinstance(message, dict):
            raise _LineProblemError(f"message {index + 1} of {what} is not an object")
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            raise _LineProblemError(
                f"message {index + 1} of {what} has role {role!r}, "
                "expected system, user or assistant"
            )
        if not isinstance(content, str):
            raise _LineProblemError(
                f"message {index + 1} of {what} has no text content"
            )
        turns.append(Turn(role, content.strip()))
    return turns


def _answer_text(value: Any, what: str) -> str:
    """Read one answer: text, or assistant messages whose text is joined."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        turns = _messages(value, what)
        if not turns or any(t.role != "assistant" for t in turns):
            raise _LineProblemError(f"{what} must hold assistant messages only")
        return "\n\n".join(t.content for t in turns)
    raise _LineProblemError(f"{what} must be text or a list of messages")


def _response_list(value: Any) -> tuple[list[str], list[str]]:
    """Read a list of responses: text, or objects with text and an optional label."""
    if not isinstance(value, list):
        raise _LineProblemError("responses must be a list")
    texts, labels = [], []
    for index, item in enumerate(value):
        if isinstance(item, str):
            texts.append(item.strip())
            labels.append("")
            continue
        if not isinstance(item, dict):
            raise _LineProblemError(
                f"response {index + 1} is neither text nor an object"
            )
        text = item.get("text", item.get("content", item.get("response")))
        if not isinstance(text, str):
            raise _LineProblemError(f"response {index + 1} has no text")
        label = item.get("label", item.get("rank", ""))
        texts.append(text.strip())
        labels.append("" if label is None else str(label))
    return texts, labels


def _check_responses(texts: Sequence[str]) -> None:
    """Refuse sets that are too small or large, or hold empty or equal answers."""
    if not MIN_RESPONSES <= len(texts) <= MAX_RESPONSES:
        raise _LineProblemError(
            f"it has {len(texts)} responses, "
            f"expected {MIN_RESPONSES} to {MAX_RESPONSES}"
        )
    for index, text in enumerate(texts):
        if not text:
            raise _LineProblemError(f"response {index + 1} is empty")
    if len(set(texts)) < len(texts):
        raise _LineProblemError("two responses are identical")
