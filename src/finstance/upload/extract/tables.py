"""Transaction tables: found by their column headers, read row by row.

A header line has a date column, a description column and either withdrawal and deposit columns or one
signed amount column (a balance column is optional), in English or French. Each column keeps the
horizontal span of its header; a number belongs to the amount column whose span it overlaps (headers and
figures share an edge whether they are set left, right or centred), any other word to the text column it
starts in. Rows start at a date (or at amounts without a date, which keep the previous row's date); a
line with only description text continues the row above it; labelled balance rows (opening, closing,
totals) are kept apart from the transactions. The table ends at the first line that fits none of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from finstance.upload.extract.amounts import looks_like_amount, parse_amount
from finstance.upload.extract.dates import is_date
from finstance.upload.extract.words import Line, Word, fold, join_words


class ColumnKind(StrEnum):
    DATE = "date"
    DESCRIPTION = "description"
    DEBIT = "debit"
    CREDIT = "credit"
    AMOUNT = "amount"
    BALANCE = "balance"

    @property
    def is_money(self) -> bool:
        return self in (ColumnKind.DEBIT, ColumnKind.CREDIT, ColumnKind.AMOUNT, ColumnKind.BALANCE)


# Checked in this order: "Transaction Date" is a date column, "Cheques & Debits" a debit column.
_HEADER_WORDS: tuple[tuple[ColumnKind, frozenset[str]], ...] = (
    (ColumnKind.BALANCE, frozenset({"balance", "solde"})),
    (ColumnKind.AMOUNT, frozenset({"amount", "montant"})),
    (
        ColumnKind.DEBIT,
        frozenset(
            {"withdrawals", "withdrawal", "debit", "debits", "retraits", "retrait", "cheques", "charges"}
        ),
    ),
    (
        ColumnKind.CREDIT,
        frozenset({"deposits", "deposit", "credit", "credits", "depots", "depot", "payments", "paiements"}),
    ),
    (ColumnKind.DATE, frozenset({"date"})),
    (
        ColumnKind.DESCRIPTION,
        frozenset(
            {"description", "details", "transaction", "transactions", "particulars", "libelle", "operation"}
        ),
    ),
)

OPENING_LABEL = re.compile(
    r"opening balance|balance forward|previous (?:statement )?balance|beginning balance|starting balance"
    r"|balance brought forward|solde d'ouverture|solde precedent|solde anterieur|solde initial"
    r"|solde reporte|ancien solde|solde au debut"
)
CLOSING_LABEL = re.compile(
    r"closing balance|ending balance|new balance|balance carried forward|solde de fermeture"
    r"|solde de cloture|solde final|nouveau solde|solde a la fin"
)
_TOTAL_LABEL = re.compile(r"^(?:sub-?)?totals?\b|^totaux\b|^total des\b")


@dataclass(frozen=True, slots=True)
class Column:
    kind: ColumnKind
    x0: float
    x1: float


def _kind_of(phrase: Sequence[Word]) -> ColumnKind | None:
    tokens = {re.sub(r"[^a-z]", "", fold(w.text)) for w in phrase}
    for kind, words in _HEADER_WORDS:
        if tokens & words:
            return kind
    return None


def header_columns(line: Line) -> tuple[Column, ...] | None:
    """The columns of ``line`` when it is a transaction table's header, else None."""
    if len(line.words) < 3 or len(line.words) > 16:
        return None
    columns: list[Column] = []
    for phrase in line.segments(gap_ems=1.0):
        kind = _kind_of(phrase)
        if kind is None:
            if any(re.search(r"[a-z]{3}", fold(w.text)) for w in phrase):
                return None  # prose, not a header
            continue
        if any(c.kind is kind for c in columns):
            if kind is ColumnKind.DATE:
                continue  # a second date column (posting date): read the first
            return None
        columns.append(Column(kind, phrase[0].x0, phrase[-1].x1))
    kinds = {c.kind for c in columns}
    has_money = {ColumnKind.DEBIT, ColumnKind.CREDIT} <= kinds or ColumnKind.AMOUNT in kinds
    if ColumnKind.DATE in kinds and ColumnKind.DESCRIPTION in kinds and has_money:
        return tuple(sorted(columns, key=lambda c: c.x0))
    return None


@dataclass(slots=True)
class Row:
    """One transaction as printed: the raw cell texts and the words they came from."""

    page: int
    date_text: str
    description: str
    amounts: dict[ColumnKind, int]
    words: dict[ColumnKind, list[Word]] = field(default_factory=dict)
    line_count: int = 1


@dataclass(slots=True)
class Table:
    page: int
    header: Line
    columns: tuple[Column, ...]
    rows: list[Row] = field(default_factory=list)
    opening_cents: int | None = None
    closing_cents: int | None = None
    body: list[Line] = field(default_factory=list)  # every line read as part of the table
    end_index: int = 0  # index (in the document's lines) of the first line after the table

    def column(self, kind: ColumnKind) -> Column | None:
        return next((c for c in self.columns if c.kind is kind), None)


def merge_amount_words(words: Sequence[Word]) -> list[Word]:
    """Join the pieces of one amount that text extraction splits: ``1 234,56``, ``12.00 CR``, ``$ 12.00``."""
    out: list[Word] = []
    for word in words:
        if out:
            prev = out[-1]
            gap = word.x0 - prev.x1
            near = gap <= 0.6 * word.size
            joined = f"{prev.text} {word.text}"
            french = re.fullmatch(r"-?\(?\d{1,3}(?: \d{3})+(?:,\d{2}\)?)?", joined)
            suffix = word.text.upper() in {"CR", "DR", "$"} and parse_amount(prev.text) is not None
            prefix = prev.text == "$" and parse_amount(word.text) is not None
            if near and (french or suffix or prefix):
                out[-1] = Word(
                    joined, prev.x0, word.x1, prev.top, prev.baseline, prev.fontname, prev.size, prev.page
                )
                continue
        out.append(word)
    return out


def _money_column(word: Word, columns: Sequence[Column]) -> Column | None:
    best, best_overlap = None, 0.0
    for column in columns:
        if not column.kind.is_money:
            continue
        overlap = min(word.x1, column.x1 + 2) - max(word.x0, column.x0 - 2)
        if overlap > best_overlap:
            best, best_overlap = column, overlap
    if best is not None:
        return best
    near = [c for c in columns if c.kind.is_money and min(abs(word.x1 - c.x1), abs(word.x0 - c.x0)) < 20]
    return min(near, key=lambda c: abs(word.center - (c.x0 + c.x1) / 2)) if near else None


def _text_column(word: Word, columns: Sequence[Column]) -> ColumnKind:
    text_columns = [c for c in columns if not c.kind.is_money]
    starts = [c for c in text_columns if c.x0 <= word.x0 + 2]
    chosen = max(starts, key=lambda c: c.x0) if starts else min(text_columns, key=lambda c: c.x0)
    return chosen.kind


def cells(line: Line, columns: Sequence[Column]) -> dict[ColumnKind, list[Word]]:
    """The words of ``line`` by column."""
    out: dict[ColumnKind, list[Word]] = {}
    for word in merge_amount_words(line.words):
        money = _money_column(word, columns) if looks_like_amount(word.text) else None
        kind = money.kind if money is not None else _text_column(word, columns)
        out.setdefault(kind, []).append(word)
    return out


def read_table(
    lines: Sequence[Line], start: int, columns: tuple[Column, ...], date_ok: Callable[[str], bool] = is_date
) -> Table:
    """Read the table whose header is ``lines[start]``; stop at the first line that is not part of it."""
    header = lines[start]
    table = Table(page=header.page, header=header, columns=columns)
    pitch = 1.6 * header.size
    last_baseline = header.baseline
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.page != header.page or header_columns(line) is not None:
            break
        if line.baseline - last_baseline > 3 * pitch:
            break
        by_column = cells(line, columns)
        if not _take(table, line, by_column, pitch, last_baseline, date_ok):
            break
        table.body.append(line)
        last_baseline = line.baseline
        index += 1
    table.end_index = index
    return table


def _take(
    table: Table,
    line: Line,
    by_column: dict[ColumnKind, list[Word]],
    pitch: float,
    last_baseline: float,
    date_ok: Callable[[str], bool],
) -> bool:
    date_words = by_column.get(ColumnKind.DATE, [])
    description_words = by_column.get(ColumnKind.DESCRIPTION, [])
    date_text = join_words(date_words)
    description = join_words(description_words)
    amounts: dict[ColumnKind, int] = {}
    for kind, words in by_column.items():
        if kind.is_money:
            value = parse_amount(join_words(words))
            if value is None:
                return False
            amounts[kind] = value
    has_date = bool(date_text) and date_ok(date_text)
    if date_text and not has_date:
        # Text in the date column that is no date: a label row ("Opening balance") set across it, or the end.
        label = fold(f"{date_text} {description}")
        return _balance_row(table, label, amounts)
    label = fold(description)
    if _balance_row(table, label, amounts):
        return True
    if _TOTAL_LABEL.search(label):
        return True
    moves = {k: v for k, v in amounts.items() if k is not ColumnKind.BALANCE}
    if has_date:
        table.rows.append(Row(line.page, date_text, description, amounts, dict(by_column)))
        return True
    if moves and table.rows:
        previous = table.rows[-1]
        if not any(k is not ColumnKind.BALANCE for k in previous.amounts):
            previous.amounts.update(amounts)  # the amounts sit on a description's last line
            _extend(previous, description, by_column)
        else:
            row = Row(line.page, previous.date_text, description, amounts, dict(by_column))
            table.rows.append(row)
        return True
    if description and not amounts:
        if table.rows and line.baseline - last_baseline <= pitch * 1.2:
            _extend(table.rows[-1], description, by_column)
            return True
        return not table.rows  # a note under the header ("No transactions this period")
    return False


def _extend(row: Row, description: str, by_column: dict[ColumnKind, list[Word]]) -> None:
    if description:
        row.description = f"{row.description} {description}".strip()
    for kind, words in by_column.items():
        row.words.setdefault(kind, []).extend(words)
    row.line_count += 1


def _balance_row(table: Table, label: str, amounts: dict[ColumnKind, int]) -> bool:
    value = amounts.get(ColumnKind.BALANCE)
    if value is None and amounts:
        value = next(iter(amounts.values()))
    if OPENING_LABEL.search(label):
        if value is not None:
            table.opening_cents = value
        return True
    if CLOSING_LABEL.search(label):
        if value is not None:
            table.closing_cents = value
        return True
    return False
