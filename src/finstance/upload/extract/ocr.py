"""Text recognition for scanned statements and pictures of them, into the positioned words a text PDF gives.

Recognition is Debian's ``tesseract`` (Apache-2.0, with its English and French models), run as a program on
one page image at a time: its TSV output gives each word with its box and the line tesseract read it on.
Each word becomes a :class:`~finstance.upload.extract.words.Word` in PDF points, every word of a recognised
line on that line's baseline, so the rest of the reading (tables found by their headers, balances that must
reconcile) is the text PDF's, unchanged: a misread figure shows as a statement that does not reconcile,
never as wrong data. The pytesseract wrapper adds nothing that a subprocess call does not.

Pages of a scanned PDF are rendered with pypdfium2 (Apache-2.0 / BSD-3-Clause, which pdfplumber brings);
images are read with Pillow, frame by frame (a TIFF may hold several pages), refusing pictures past
:data:`MAX_PIXELS`. tesseract runs single-threaded (``OMP_THREAD_LIMIT=1``): its OpenMP threads made a page
five times slower on two cores.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from finstance.upload.extract.words import Line, Word, lines_of

if TYPE_CHECKING:
    from PIL import Image

DPI = 300  # pages of a PDF are rendered at this resolution; images without one are taken to be at it
LANGUAGES = "eng+fra"
PAGE_SEGMENTATION = "6"  # tesseract's --psm: the page as one block of text, read line by line
FONT = "OCR"  # recognised words carry no font: one name for all, so no font differs inside a table
MAX_PIXELS = 60_000_000  # a page at 300 dpi is about 8.4 million; past this an image is refused
PAGE_SECONDS = 120
# tesseract reports a word's box; a line's median box height is about this fraction of its font size.
_HEIGHT_PER_EM = 0.7


class RecognitionError(Exception):
    """A page that could not be recognised (tesseract missing or failing, an image too large)."""


@dataclass(frozen=True, slots=True)
class Recognised:
    pages: int
    lines: list[Line]


def available() -> bool:
    return shutil.which("tesseract") is not None


def recognise_pdf(data: bytes, *, max_pages: int) -> Recognised:
    """The words of every page of a PDF without a text layer (a scan), read from its rendered pages."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # loaded only when a scan is read

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise RecognitionError(f"the PDF's pages cannot be rendered: {exc}") from exc
    try:
        count = len(document)
        if count > max_pages:
            raise RecognitionError(f"{count} pages, more than {max_pages}")
        lines: list[Line] = []
        for index in range(count):
            page = document[index]
            try:
                image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
            lines.extend(lines_of(recognise_image(image, index + 1, DPI)))  # page by page, as a text PDF
        return Recognised(count, lines)
    finally:
        document.close()


def recognise_picture(data: bytes, *, max_pages: int) -> Recognised:
    """The words of an image file (JPEG, PNG, TIFF with one page a frame)."""
    lines: list[Line] = []
    count = 0
    for count, (image, dpi) in enumerate(_frames(data), start=1):
        if count > max_pages:
            raise RecognitionError(f"more than {max_pages} pages")
        lines.extend(lines_of(recognise_image(image, count, dpi)))
    return Recognised(count, lines)


def _frames(data: bytes) -> Iterator[tuple[Image.Image, float]]:
    from PIL import Image  # loaded only when an image is read

    try:
        with Image.open(io.BytesIO(data)) as picture:
            for frame in range(getattr(picture, "n_frames", 1)):
                picture.seek(frame)
                width, height = picture.size
                if width * height > MAX_PIXELS:
                    raise RecognitionError(f"the image is {width}x{height} pixels, too large to read")
                dpi = picture.info.get("dpi", (DPI, DPI))[0] or DPI
                yield picture.convert("L"), float(dpi)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # The library's message names its buffer objects: the type of the failure says enough.
        raise RecognitionError(f"the image cannot be read ({type(exc).__name__})") from exc


def recognise_image(image: Image.Image, page: int, dpi: float) -> list[Word]:
    """The words tesseract reads on one page image, placed in PDF points."""
    if not available():
        raise RecognitionError("text recognition needs the tesseract program (apt-get install tesseract-ocr)")
    png = io.BytesIO()
    image.save(png, format="PNG")
    command = ["tesseract", "stdin", "stdout", "-l", LANGUAGES, "--psm", PAGE_SEGMENTATION]
    command += ["--dpi", str(round(dpi)), "tsv"]
    try:
        done = subprocess.run(  # noqa: S603 (a fixed program and arguments; the image goes to its stdin)
            command,
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_SECONDS,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RecognitionError(f"recognising page {page} took longer than {PAGE_SECONDS} s") from exc
    if done.returncode != 0:
        raise RecognitionError(f"tesseract failed on page {page} (exit status {done.returncode})")
    return _words(done.stdout.decode("utf-8", "replace"), page, 72 / dpi)


_RULES = "|¦=_~[]"  # table rules and cell borders read as characters
_FIGURE_WITH_STOP = re.compile(r"\d[\d/,.-]*\d[.,:;]")  # "2025-12-22." or "80.00," : a speck read as a stop


# Words without a letter or digit that statements do print.
_SYMBOLS = {"-", "–", "—", "&", "+", "/", "#", "$", "%", "@"}


def clean(text: str) -> str:
    """A recognised word without what the table's lines and specks add to it: rule characters at its ends,
    a stop after a date or a figure, a word of symbols no statement prints ("©", "=", "'"). Empty when
    nothing is left."""
    text = text.strip().strip(_RULES)
    if _FIGURE_WITH_STOP.fullmatch(text):
        text = text[:-1]
    if not any(c.isalnum() for c in text) and text not in _SYMBOLS and set(text) != {"*"}:
        return ""
    return text


def _words(tsv: str, page: int, scale: float) -> list[Word]:
    lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = clean(row.get("text") or "")
        if row.get("level") != "5" or not text:
            continue
        row["text"] = text
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    words = []
    for line in lines.values():
        baseline = statistics.median(int(r["top"]) + int(r["height"]) for r in line) * scale
        size = statistics.median(int(r["height"]) for r in line) * scale / _HEIGHT_PER_EM
        for r in line:
            left, top, width = int(r["left"]), int(r["top"]), int(r["width"])
            words.append(
                Word(
                    text=r["text"],
                    x0=left * scale,
                    x1=(left + width) * scale,
                    top=top * scale,
                    baseline=baseline,
                    fontname=FONT,
                    size=size,
                    page=page,
                )
            )
    return words
