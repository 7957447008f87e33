"""Pages per second of Upload's reading of statements: text PDFs, and scans read by text recognition, each
against the bare tool it builds on, measured in the same run.

    .venv/bin/python benchmarks/upload_extraction.py [--runs 3] [--no-record]

Documents: every statement Flinks Capital renders for ``greatday_nomfa`` (the PDFs GetStatements serves),
and a scan of each (its pages rendered at 300 dpi into an image-only PDF, as a scanner gives them). Measured
in process, wall time, median of ``--runs``:

- text: :func:`finstance.upload.pipeline.analyse` (safety checks, extraction and reconciliation, fraud
  analysis) against pdfplumber's ``extract_words`` over the same pages, which is the least any reader of
  positioned words pays;
- scans: the same ``analyse`` (pages rendered, then recognised) against ``tesseract`` alone on the same page
  images.

Needs Debian's tesseract with its French model (``scripts/ensure-tesseract.sh``).
"""

from __future__ import annotations

import argparse
import io
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]

from cached_flow import machine
from finstance.core.country import Country
from finstance.core.institution import ProfileRequest
from finstance.sandbox.capital import FlinksCapital
from finstance.sandbox.pdf import render_statement
from finstance.upload.extract import ocr
from finstance.upload.pipeline import analyse
from finstance.upload.statement import ExtractionStatus

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
T = TypeVar("T")
DPI = 300


def statements() -> list[bytes]:
    profile = FlinksCapital().profile(
        ProfileRequest("greatday_nomfa", Country.CA, date(2026, 12, 3), "bench")
    )
    return [render_statement(profile.holder, s) for a in profile.accounts for s in a.statements]


def pages_of(pdf: bytes) -> list[object]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=DPI / 72, grayscale=True).to_pil() for i in range(len(document))]
    finally:
        document.close()


def scan(pdf: bytes) -> bytes:
    images = pages_of(pdf)
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=DPI, save_all=True, append_images=images[1:])  # type: ignore[attr-defined]
    return out.getvalue()


def timed(work: Callable[[], T], runs: int) -> tuple[float, T]:
    """Median wall seconds of ``work()``, and what it returned the last time."""
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        value = work()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent), value


def read_all(documents: list[bytes]) -> int:
    """How many of the documents were extracted (reconciled)."""
    return sum(analyse(pdf).result.status is ExtractionStatus.EXTRACTED for pdf in documents)


def words_only(documents: list[bytes]) -> None:
    for pdf in documents:
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            for page in document.pages:
                page.extract_words()


def tesseract_only(images: list[bytes]) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for png in images:
        command = [
            "tesseract",
            "stdin",
            "stdout",
            "-l",
            ocr.LANGUAGES,
            "--psm",
            "6",
            "--dpi",
            str(DPI),
            "tsv",
        ]
        subprocess.run(command, input=png, capture_output=True, check=True, env=env)


def run(runs: int) -> list[str]:
    if not ocr.available():
        raise SystemExit("tesseract is not installed: bash scripts/ensure-tesseract.sh")
    texts = statements()
    pages = sum(len(pdfium.PdfDocument(pdf)) for pdf in texts)
    scans = [scan(pdf) for pdf in texts]
    pngs = []
    for pdf in texts:
        for image in pages_of(pdf):
            out = io.BytesIO()
            image.save(out, format="PNG")  # type: ignore[attr-defined]
            pngs.append(out.getvalue())
    text_s, text_read = timed(lambda: read_all(texts), runs)
    words_s, _ = timed(lambda: words_only(texts), runs)
    scan_s, scans_read = timed(lambda: read_all(scans), max(1, runs // 3))
    tess_s, _ = timed(lambda: tesseract_only(pngs), max(1, runs // 3))
    rows = [
        (
            "text PDFs: analyse (checks, extraction, fraud)",
            pages / text_s,
            pages / words_s,
            "pdfplumber words",
        ),
        (
            "scans: analyse (render, recognise, extraction, fraud)",
            pages / scan_s,
            pages / tess_s,
            "tesseract",
        ),
    ]
    out = [
        f"- {len(texts)} statements of greatday_nomfa, {pages} pages; median of {runs} runs "
        f"({max(1, runs // 3)} for scans), wall time, in process",
        f"- read exactly (extracted and reconciled): text PDFs {text_read} of {len(texts)}, "
        f"scans {scans_read} of {len(scans)}; a scan that is not is misread, and keeps no data",
        "",
        "| reading | pages/s | baseline | baseline pages/s | ÷ baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    out += [
        f"| {name} | {ours:.1f} | {base_name} | {base:.1f} | {ours / base:.2f} |"
        for name, ours, base, base_name in rows
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    lines = run(args.runs)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = (
        "`.venv/bin/python "
        + " ".join(shlex.quote(a) for a in ["benchmarks/upload_extraction.py", *sys.argv[1:]])
        + "`"
    )
    section = [
        f"## upload_extraction: {stamp}",
        "",
        f"- machine: {machine()}",
        f"- command: {command}",
        *lines,
    ]
    print("\n".join(section))
    if not args.no_record:
        with RESULTS.open("a") as results:
            results.write("\n" + "\n".join(section) + "\n")


if __name__ == "__main__":
    main()
