"""The collector: paused for a build, run (young objects only) for the pages and mkdocs."""

from __future__ import annotations

import gc

from generator.collector import YOUNG, collector_paused, collector_running


def test_the_collector_runs_on_new_objects_only_and_is_put_back_as_it_was() -> None:
    before = gc.get_threshold()
    with collector_paused():
        assert not gc.isenabled()
        board = [{"n": n} for n in range(1000)]  # made before: frozen while the collector runs
        with collector_running():
            assert gc.isenabled()
            assert gc.get_threshold() == (YOUNG, *before[1:])
            assert gc.get_freeze_count() >= len(board)
            cycle: list[object] = []
            cycle.append(cycle)
            del cycle
            assert gc.collect() >= 1  # a cycle made meanwhile is found
        assert not gc.isenabled()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
