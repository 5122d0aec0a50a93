"""Watching a store's refs for changes made by any process, with ``watchfiles``.

A push, a publish or ``registry tag-missing`` in another process changes files under
``refs/`` (a new loose ref appears as a lock file renamed into place), the reflog of
``main``, and, after ``git pack-refs`` or ``git gc``, ``packed-refs``. The watcher calls
back once per burst of such changes; objects, locks and everything else are ignored.
``packed-refs`` is replaced by a rename, which a watch on the file itself would lose, so
the store directory is watched and filtered. A timeout tick calls back too, so a change
the kernel failed to report (a queue overflow) is still picked up within ``poll_s``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles
from watchfiles._rust_notify import RustNotify

log = logging.getLogger("registry.index")


class RefFilter(watchfiles.BaseFilter):
    """Passes changes of refs, ``packed-refs`` and ``main``'s reflog; nothing else."""

    def __init__(self, store_path: Path) -> None:
        super().__init__()
        root = str(store_path.resolve())
        self._refs = f"{root}/refs/"
        self._files = {f"{root}/packed-refs", f"{root}/logs/refs/heads/main"}

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if path.endswith(".lock"):
            return False
        return path.startswith(self._refs) or path in self._files


class RefWatcher:
    """Calls ``on_change`` from a background thread after the store's refs change."""

    def __init__(
        self,
        store_path: Path,
        on_change: Callable[[], None],
        *,
        step_ms: int = 20,
        debounce_ms: int = 200,
        poll_s: float = 5.0,
    ) -> None:
        self.store_path = store_path.resolve()
        self.on_change = on_change
        self.step_ms = step_ms
        self.debounce_ms = debounce_ms
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="registry-index-watch", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=5)

    def stop(self, timeout: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout)

    def _run(self) -> None:
        try:
            notify = RustNotify([str(self.store_path)], False, False, 300, True, True)
        except Exception:
            log.exception("cannot watch %s; changes by other processes are not seen", self.store_path)
            self._ready.set()
            return
        keep = RefFilter(self.store_path)
        with notify:
            self._ready.set()  # armed: a change from now on is reported
            while not self._stop.is_set():
                raw = notify.watch(self.debounce_ms, self.step_ms, int(self.poll_s * 1000), self._stop)
                if raw == "stop":
                    break
                if isinstance(raw, set) and not any(keep(watchfiles.Change(c), p) for c, p in raw):
                    continue  # objects and locks only; "timeout" (and "signal") re-check anyway
                try:
                    self.on_change()
                except Exception:  # the watcher outlives one failed refresh
                    log.exception("index refresh after a change of refs failed")
