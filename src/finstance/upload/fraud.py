"""Fraud signals of a statement PDF, each one a deterministic check, and the verdict they add up to.

Signals use Flinks' ``FraudSignals[].Type`` strings. The checks:

* Producer or Creator names an editing or printing tool -> *Editing software detected*.
* Incremental updates (more than one ``%%EOF`` section): the text of the first revision is compared with
  the last, and each word that changed is placed in the transaction table -> *Dollar amount edits*,
  *Date edits* or *Description edits* by its column, *Account information edits* outside the tables.
  A later revision, or a ModDate after the CreationDate, with no text change found -> *Unusual
  document source* (the file is not what the bank produced).
* Within a table column, a font or size that only a few rows use -> the edit signal of that column.
* A word off its row's baseline, or a figure off its column's common right edge -> *Misaligned text*.
* The safety check fails -> *Unreconciled balances*; no table -> *Missing transaction data*; a table
  with no rows -> *Empty transaction data*; a transaction dated outside the statement period -> *Date
  edits*.

Verdict: no signal -> Trust; only missing or empty data -> Normal; one kind of medium signal (editing
software, unusual source, misaligned text) -> Warning; any edit or unreconciled balance, or two kinds of
medium signal -> High Risk.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from finstance.upload.extract.pdf import Layout, read_layout, read_lines
from finstance.upload.extract.tables import ColumnKind, Table, cells
from finstance.upload.extract.words import Line, Word
from finstance.upload.statement import ExtractionResult, ExtractionStatus


class SignalType(StrEnum):
    EDITING_SOFTWARE = "Editing software detected"
    UNUSUAL_SOURCE = "Unusual document source"
    ACCOUNT_EDITS = "Account information edits"
    AMOUNT_EDITS = "Dollar amount edits"
    DATE_EDITS = "Date edits"
    DESCRIPTION_EDITS = "Description edits"
    MISALIGNED = "Misaligned text"
    UNRECONCILED = "Unreconciled balances"
    MISSING = "Missing transaction data"
    EMPTY = "Empty transaction data"


class Verdict(StrEnum):
    TRUST = "Trust"
    NORMAL = "Normal"
    WARNING = "Warning"
    HIGH_RISK = "High Risk"


_HIGH = {
    SignalType.ACCOUNT_EDITS,
    SignalType.AMOUNT_EDITS,
    SignalType.DATE_EDITS,
    SignalType.DESCRIPTION_EDITS,
    SignalType.UNRECONCILED,
}
_MEDIUM = {SignalType.EDITING_SOFTWARE, SignalType.UNUSUAL_SOURCE, SignalType.MISALIGNED}

_EDITORS = re.compile(
    r"acrobat(?!\s+distiller)|microsoft.{0,12}word|\bword\b|libreoffice|openoffice|ilovepdf|sejda|foxit"
    r"|print to pdf|nitro|pdfescape|smallpdf|pdf-xchange|pdfelement|wondershare|inkscape|photoshop|canva"
    r"|pdf24|pdffiller|docusign|google docs",
    re.IGNORECASE,
)
_EDIT_OF_COLUMN = {
    ColumnKind.DATE: SignalType.DATE_EDITS,
    ColumnKind.DESCRIPTION: SignalType.DESCRIPTION_EDITS,
    ColumnKind.DEBIT: SignalType.AMOUNT_EDITS,
    ColumnKind.CREDIT: SignalType.AMOUNT_EDITS,
    ColumnKind.AMOUNT: SignalType.AMOUNT_EDITS,
    ColumnKind.BALANCE: SignalType.AMOUNT_EDITS,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    specific_type: str
    value: str


@dataclass(frozen=True, slots=True)
class FraudSignal:
    type: SignalType
    page: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class FraudAnalysis:
    verdict: Verdict
    signals: tuple[FraudSignal, ...]


def verdict_of(signals: Sequence[FraudSignal]) -> Verdict:
    kinds = {s.type for s in signals}
    if not kinds:
        return Verdict.TRUST
    if kinds & _HIGH or len(kinds & _MEDIUM) >= 2:
        return Verdict.HIGH_RISK
    if kinds & _MEDIUM:
        return Verdict.WARNING
    return Verdict.NORMAL


def _signal(kind: SignalType, page: int, *evidence: tuple[str, str]) -> FraudSignal:
    return FraudSignal(kind, page, tuple(Evidence(k, v) for k, v in evidence))


def revision_ends(data: bytes) -> list[int]:
    """The end offset of every revision (each ``%%EOF`` marker) of a PDF."""
    return [m.end() for m in re.finditer(rb"%%EOF[\r\n]*", data)]


def _metadata(data: bytes) -> list[FraudSignal]:
    from pypdf import PdfReader  # the PDF libraries load when a document is read, not with the server
    from pypdf.errors import PyPdfError

    signals = []
    try:
        info = PdfReader(io.BytesIO(data)).metadata
    except (PyPdfError, ValueError, KeyError, OSError):
        return []
    if info is None:
        return []
    for key in ("/Producer", "/Creator"):
        value = str(info.get(key, "") or "")
        if _EDITORS.search(value):
            signals.append(_signal(SignalType.EDITING_SOFTWARE, 1, (key.lstrip("/"), value)))
    created, modified = str(info.get("/CreationDate", "")), str(info.get("/ModDate", ""))
    if created and modified and modified[2:16] > created[2:16]:
        signals.append(
            _signal(SignalType.UNUSUAL_SOURCE, 1, ("CreationDate", created), ("ModDate", modified))
        )
    return signals


def _key(word: Word) -> tuple[int, str, int, int]:
    return (word.page, word.text, round(word.x0), round(word.baseline))


def _place(word: Word, layout: Layout) -> SignalType:
    for table in layout.tables:
        if table.page != word.page or not table.body:
            continue
        if table.header.baseline < word.baseline <= table.body[-1].baseline + 1:
            line = Line(word.page, (word,))
            kind = next(iter(cells(line, table.columns)))
            return _EDIT_OF_COLUMN[kind]
    return SignalType.ACCOUNT_EDITS


def _revisions(data: bytes, layout: Layout) -> list[FraudSignal]:
    ends = revision_ends(data)
    if len(ends) <= 1:
        return []
    try:
        _, original = read_lines(data[: ends[0]])
    except Exception:  # the first revision may not stand alone; then only its count is evidence
        original = []
    before = Counter(_key(w) for line in original for w in line.words)
    changed: dict[tuple[SignalType, int], list[str]] = {}
    for line in layout.lines:
        for word in line.words:
            key = _key(word)
            if before[key] > 0:
                before[key] -= 1
                continue
            changed.setdefault((_place(word, layout), word.page), []).append(word.text)
    updates = ("Incremental updates", str(len(ends) - 1))
    if not original or not changed:
        return [_signal(SignalType.UNUSUAL_SOURCE, 1, updates)]
    return [
        _signal(kind, page, updates, ("Changed text", " ".join(texts)))
        for (kind, page), texts in sorted(changed.items())
    ]


def _row_words(table: Table) -> list[tuple[ColumnKind, Word]]:
    out: list[tuple[ColumnKind, Word]] = []
    for row in table.rows:
        everything = [w for words in row.words.values() for w in words]
        if not everything:
            continue
        first = min(w.baseline for w in everything)
        for kind, words in row.words.items():
            out.extend((kind, w) for w in words if abs(w.baseline - first) < 1)
    return out


def _fonts(layout: Layout) -> list[FraudSignal]:
    signals = []
    for table in layout.tables:
        by_column: dict[ColumnKind, list[Word]] = {}
        for kind, word in _row_words(table):
            by_column.setdefault(kind, []).append(word)
        for kind, words in by_column.items():
            styles = Counter((w.fontname, round(w.size, 1)) for w in words)
            if len(styles) < 2 or len(words) < 3:
                continue
            common = styles.most_common(1)[0][0]
            odd = [w for w in words if (w.fontname, round(w.size, 1)) != common]
            if len(odd) <= len(words) / 3:
                detail = ", ".join(f"{w.text} ({w.fontname} {w.size:g})" for w in odd[:5])
                signals.append(
                    _signal(
                        _EDIT_OF_COLUMN[kind],
                        table.page,
                        ("Font differs within column", detail),
                        ("Column font", f"{common[0]} {common[1]:g}"),
                    )
                )
    return signals


def _alignment(layout: Layout) -> list[FraudSignal]:
    signals = []
    for table in layout.tables:
        for line in table.body:
            median = line.baseline
            off = [w for w in line.words if abs(w.baseline - median) > 0.5]
            if off:
                detail = ", ".join(f"{w.text} ({w.baseline - median:+.2f} pt)" for w in off)
                signals.append(_signal(SignalType.MISALIGNED, line.page, ("Off baseline", detail)))
        money: dict[ColumnKind, list[Word]] = {}
        for kind, word in _row_words(table):
            if kind.is_money:
                money.setdefault(kind, []).append(word)
        for words in money.values():
            edges = Counter(round(w.x1 * 2) / 2 for w in words)
            edge, count = edges.most_common(1)[0]
            if len(words) < 4 or count < 0.8 * len(words):
                continue  # not a right-aligned column
            off = [w for w in words if abs(w.x1 - edge) > 1.0]
            if off:
                detail = ", ".join(f"{w.text} (right edge {w.x1 - edge:+.2f} pt)" for w in off)
                signals.append(_signal(SignalType.MISALIGNED, off[0].page, ("Off column edge", detail)))
    return signals


def _statement(result: ExtractionResult, layout: Layout) -> list[FraudSignal]:
    if result.status is ExtractionStatus.UNRECONCILED:
        return [_signal(SignalType.UNRECONCILED, 1, ("Safety check", result.reason))]
    if result.status is ExtractionStatus.NO_TRANSACTION_TABLE:
        return [_signal(SignalType.MISSING, 1, ("Transactions", result.reason))]
    if not any(table.rows for table in layout.tables) and layout.tables:
        return [_signal(SignalType.EMPTY, layout.tables[0].page, ("Transactions", "no rows"))]
    signals = []
    statement = result.statement
    if statement is not None and statement.period_start and statement.period_end:
        for account in statement.accounts:
            for t in account.transactions:
                if not statement.period_start <= t.date <= statement.period_end:
                    period = f"{statement.period_start} to {statement.period_end}"
                    signals.append(
                        _signal(
                            SignalType.DATE_EDITS,
                            t.page,
                            ("Outside statement period", f"{t.date} {t.description} ({period})"),
                        )
                    )
    return signals


def analyse_pdf(data: bytes, lines: Sequence[Line], pages: int, result: ExtractionResult) -> FraudAnalysis:
    """The signals and verdict of a PDF whose ``lines`` were read and whose extraction gave ``result``."""
    layout = read_layout(pages, lines)
    signals = [
        *_metadata(data),
        *_revisions(data, layout),
        *_fonts(layout),
        *_alignment(layout),
        *_statement(result, layout),
    ]
    return FraudAnalysis(verdict_of(signals), tuple(signals))
