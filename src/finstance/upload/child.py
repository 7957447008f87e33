"""The child process of :func:`finstance.upload.pipeline.analyse_isolated`: reads one document from standard
input under the limits its arguments give (CPU seconds, address space in bytes, pages) and writes its
:class:`DocumentReport`, pickled, on standard output."""

from __future__ import annotations

import pickle
import resource
import sys


def main() -> None:
    cpu_seconds, memory_bytes, max_pages = (int(a) for a in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from finstance.upload.pipeline import DocumentReport, analyse  # imported under the limits

    data = sys.stdin.buffer.read()
    try:
        report = analyse(data, max_pages=max_pages)
    except MemoryError:
        report = DocumentReport.refused(
            None, "resource_limit", "Reading the document needed too much memory."
        )
    sys.stdout.buffer.write(pickle.dumps(report))


if __name__ == "__main__":
    main()
