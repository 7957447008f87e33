"""A serving process keeps what it built at start out of the collector's passes, once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import asyncio
    import gc
    import sys
    from pathlib import Path

    from finstance.app import create_app
    from finstance.core.instance import Settings, sqlite_url, toolbox_spec

    def app(name):
        return create_app(toolbox_spec(sqlite_url(Path(sys.argv[1], name))), Settings(run_worker=False))

    async def main():
        assert gc.get_freeze_count() == 0
        first, second = app("a.db"), app("b.db")
        async with first.router.lifespan_context(first):
            kept = gc.get_freeze_count()
            assert kept > 100_000, kept  # modules, both apps and their routes
            async with second.router.lifespan_context(second):
                assert gc.get_freeze_count() <= kept  # once a process: nothing more is kept
            garbage = []
            garbage.append(garbage)  # a cycle made while serving is still collected
            del garbage
            assert gc.collect() >= 1

    asyncio.run(main())
    print("ok")
    """
)


def test_what_a_process_built_before_it_serves_is_left_out_of_the_collector_s_passes(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
