"""Positioned words and the lines they sit on, as read from a PDF's text layer with pdfplumber.

A line is the words whose baselines agree within a fraction of the font size; its words are in reading
order (left to right). Segments split a line where the gap is wider than a few spaces, so that two blocks
side by side (an address on the left, a summary on the right) are not read as one sentence.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    baseline: float  # distance from the top of the page to the baseline of the first character
    fontname: str
    size: float
    page: int  # 1-based

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True, slots=True)
class Line:
    page: int
    words: tuple[Word, ...]  # left to right

    @property
    def baseline(self) -> float:
        return statistics.median(w.baseline for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)

    def segments(self, gap_ems: float = 2.5) -> list[tuple[Word, ...]]:
        """Runs of words separated by gaps narrower than ``gap_ems`` font sizes."""
        runs: list[list[Word]] = []
        for word in self.words:
            if runs and word.x0 - runs[-1][-1].x1 <= gap_ems * word.size:
                runs[-1].append(word)
            else:
                runs.append([word])
        return [tuple(run) for run in runs]


def join_words(words: Iterable[Word]) -> str:
    return " ".join(w.text for w in words)


def fold(text: str) -> str:
    """Lower case without accents and with straight apostrophes, for matching labels."""
    text = text.replace("’", "'").replace("\u00a0", " ").lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def words_of_page(page: Any, number: int) -> list[Word]:
    """The words of a pdfplumber page, each with its first character's baseline and font."""
    out = []
    for raw in page.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True):
        chars = raw["chars"]
        first = chars[0]
        matrix = first.get("matrix")
        baseline = float(page.height) - float(matrix[5]) if matrix else float(raw["bottom"])
        out.append(
            Word(
                text=str(raw["text"]),
                x0=float(raw["x0"]),
                x1=float(raw["x1"]),
                top=float(raw["top"]),
                baseline=baseline,
                fontname=str(first.get("fontname", "")),
                size=float(first.get("size", 0.0)),
                page=number,
            )
        )
    return out


def lines_of(words: Sequence[Word], tolerance_ems: float = 0.3) -> list[Line]:
    """Group words into lines by baseline, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.baseline, w.x0)):
        if lines:
            current = lines[-1]
            reference = statistics.median(w.baseline for w in current)
            if abs(word.baseline - reference) <= tolerance_ems * max(word.size, 1.0):
                current.append(word)
                continue
        lines.append([word])
    return [Line(page=ws[0].page, words=tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]
