"""Pausing Python's cyclic garbage collector for the length of a build."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a build (read → analyse → render) with the cyclic garbage collector paused.

    A build makes millions of small objects (commits, trails, messages, views) that nearly all
    live until it ends. The collector would walk every one of them again each time the heap grew
    by a quarter, finding next to nothing: a third of a rebuild's time on a large board. Memory is
    still freed by reference counting as usual; the rare cycle waits for the collector's return.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# Objects made between two collections of the youngest generation while the collector runs (the
# default is 700): rendering makes millions of short-lived objects; collecting them a few
# thousand at a time cost a rebuild more than the cycles it found.
YOUNG = 10_000


@contextmanager
def collector_running() -> Iterator[None]:
    """Inside `collector_paused`: let the collector run for a while, on what is made meanwhile.

    Rendering the pages and mkdocs leave reference cycles (jinja's macro modules, the views and
    their owners, mkdocs' own) that would hold every rendered card and page until collected. What
    was made before (the board, the analysis) lives until the build ends: it is frozen meanwhile,
    so the collections here walk only the new objects, not the whole heap again.
    """
    if gc.isenabled():
        yield
        return
    freeze = gc.get_freeze_count() == 0  # someone else's frozen objects are not ours to thaw
    if freeze:
        gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG, *thresholds[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()
