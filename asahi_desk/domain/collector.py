"""Python's cyclic garbage collector paused while a bulk read or write builds many small objects."""

from __future__ import annotations

import gc
from contextlib import ContextDecorator
from typing import Any


class paused_collector(ContextDecorator):  # noqa: N801 - used like contextlib's helpers: @paused_collector()
    """Pause the cyclic collector for the block (or the decorated call).

    An import of 20,000 rows makes hundreds of thousands of tuples, dicts and records that live until
    its end; every automatic collection walks all of them again (about a third of the write's time).
    They form no reference cycles (reference counting frees them), so nothing is kept longer; the
    collector runs as usual again afterwards. Only the use that found it enabled turns it back on."""

    def __init__(self) -> None:
        self._was_enabled = False

    def _recreate_cm(self) -> paused_collector:
        return paused_collector()  # each decorated call its own state (calls may overlap in threads)

    def __enter__(self) -> paused_collector:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._was_enabled:
            gc.enable()
