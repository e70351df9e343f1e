"""One step of the build run in a forked child process, beside the next step in this one.

Linking and rendering are chains of cross-article steps on one core; some of them do not
depend on each other (text reuse and content similarity; the data files and the pages).
``Forked`` runs one of them in a child that inherits the whole archive from the parent's
memory (copy-on-write: nothing is pickled but the result), so the build uses the second
core there too.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
from typing import Any, Callable, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
FORK_ARTICLES = 1000  # fewer articles than this: a step takes less time than forking for it


def worth_forking(articles: int) -> bool:
    """Whether a cross-article step over this many articles is worth a forked process."""
    return articles >= FORK_ARTICLES


class Forked(Generic[T]):
    """``fn(*args)`` computed in a forked child process while this one goes on; ``result()``
    waits for it. The child inherits the arguments (nothing is pickled but the result), so
    one cross-article step can run beside another on the second core. Run in this process
    instead when ``enabled`` is false or the platform cannot fork; run here again if the
    child dies without an answer. An exception ``fn`` raises is raised by ``result()``.
    """

    def __init__(self, fn: Callable[..., T], *args: Any, enabled: bool = True) -> None:
        self.fn, self.args = fn, args
        self.process: Any = None
        if enabled and "fork" in mp.get_all_start_methods():
            context = mp.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_forked_child, args=(sender, fn, args), daemon=True)
            try:
                process.start()
                self.process = process
            except (OSError, AssertionError) as exc:  # no more processes; or this one is a daemon
                log.info("could not fork for %s (%s); computed here", fn.__name__, exc)
                self.receiver.close()
            sender.close()
        if self.process is None:
            self.value = fn(*args)

    def result(self) -> T:
        if self.process is None:
            return self.value
        try:
            status, value = self.receiver.recv()
        except (EOFError, OSError):  # the child died (killed, out of memory) before answering
            status, value = "lost", None
        self.receiver.close()
        self.process.join()
        self.process = None
        if status == "error":
            raise value
        if status == "lost":
            log.warning("a forked step (%s) ended without its result; computed here", self.fn.__name__)
            value = self.fn(*self.args)
        self.value = value
        return value


def _forked_child(sender: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        answer: tuple[str, Any] = ("ok", fn(*args))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        answer = ("error", exc)
    try:
        sender.send(answer)
    except Exception as exc:  # noqa: BLE001 - e.g. an exception that cannot be pickled
        sender.send(("error", RuntimeError(f"{fn.__name__}: {type(exc).__name__}: {exc}")))
    sender.close()
