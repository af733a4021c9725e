"""A first build's compute calls, run in a second process while MkDocs converts the pages.

What a build without the compute cache (``lesson_plugins/cache.py``) adds to plain MkDocs is mostly
the lessons' own Python: importing their modules (numpy with them) and calling each compute function
at every precomputed state. MkDocs converts the markdown of every page before it renders any page
into its template (``mkdocs/commands/build.py``: ``_populate_page`` for all pages, then
``_build_page``), so a page's numbers are needed some time after its markdown was parsed.
:class:`Offload` uses that gap:

- at the first call the cache cannot answer, it forks a process that imports the compute functions
  and runs the calls (``widgets.Call``) in order, while the build goes on;
- a page's output gets a placeholder comment where its numbers go, replaced by the finished HTML
  when the page is rendered (:meth:`Offload.fill`, from ``LessonsPlugin.on_page_context``);
- an output's function signature is a question the build waits for: the process answers it before
  any queued call, with the signatures of the function's whole module.

On two cores the lessons' Python then runs beside MkDocs rather than before it. Where forking is not
safe or not possible (other threads running, as in ``mkdocs serve`` once it serves; not Linux; the
plugin option ``parallel: false``), every call runs in the build's own process as the page is
parsed, with the same results: ``tests/plugin/test_offload.py`` builds a course both ways and
compares every file. Errors name the output's line either way.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import re
import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import PluginError

from . import compute
from .widgets import Call, CallError

_PLACEHOLDER = re.compile(r"<!--(ms-pending \d+)-->")


class Offload:
    """This build's compute process: started when first needed, closed when the build ends."""

    def __init__(self, sources: list[compute.Source], enabled: bool) -> None:
        self.sources = sources
        self.enabled = enabled
        self.process: Any = None
        self.conn: Any = None
        self.sent: set[str] = set()  # keys of the calls handed to the process
        self.done: dict[str, tuple[bool, Any]] = {}  # key -> (ok, computation or message)
        self.modules: dict[str, dict[str, list[tuple[str, bool]]]] = {}  # module -> signatures
        self.waiting: dict[str, Callable[[], str]] = {}  # placeholder -> the HTML it stands for
        self.tokens = itertools.count()

    def start(self) -> bool:
        """Fork the compute process if it is not running and may run; whether it runs.

        The process imports the shipped modules (``pycore``, ``modules``) first.
        """
        if self.conn is None and self.enabled:
            self.enabled = can_fork()
        if self.conn is None and self.enabled:
            import multiprocessing  # only a first build needs it

            context = multiprocessing.get_context("fork")
            self.conn, child = context.Pipe()
            self.process = context.Process(
                target=serve,
                args=(child, self.conn, self.sources),
                name="lessons-compute",
                daemon=True,
            )
            for stream in (sys.stdout, sys.stderr):  # else the child writes their buffers again
                stream.flush()
            self.process.start()
            child.close()
        return self.conn is not None

    def signature(self, spec: str) -> list[tuple[str, bool]]:
        """The parameters of ``spec`` (see ``compute.parameters``); ValueError says what to fix."""
        module, _, name = spec.partition(":")
        if module not in self.modules:
            self.modules[module] = self._ask(("module", module))
        if name in self.modules[module]:
            return self.modules[module][name]
        return self._ask(("signature", spec))  # not a plain function: the exact answer or error

    def submit(self, key: str, call: Call) -> None:
        """Hand the call ``key`` to the process (once per key)."""
        if key not in self.sent:
            self.sent.add(key)
            while self.conn.poll():  # take what is ready: the process never waits on a full pipe
                self._receive()
            self._send(("call", key, call))

    def result(self, key: str) -> tuple[dict, str | None]:
        """The computation of the call ``key``, waiting for it; raises ``widgets.CallError``."""
        while key not in self.done:
            self._receive()
        ok, value = self.done[key]
        if not ok:
            raise CallError(value)
        return value

    def later(self, make: Callable[[], str]) -> str:
        """A placeholder (the text of an HTML comment) for the HTML that ``make()`` will give."""
        token = f"ms-pending {next(self.tokens)}"
        self.waiting[token] = make
        return token

    def fill(self, html: str) -> str:
        """``html`` with each placeholder replaced by its HTML."""
        if not self.waiting:
            return html

        def replace(match: re.Match[str]) -> str:
            make = self.waiting.pop(match.group(1), None)
            return match.group(0) if make is None else make()

        return _PLACEHOLDER.sub(replace, html)

    def close(self) -> None:
        """Stop the process (it ends when its pipe closes)."""
        if self.conn is not None:
            self.conn.close()
            self.process.join(timeout=0.1)
            if self.process.is_alive():  # still importing: nothing more is asked of it
                self.process.kill()
                self.process.join()
        self.conn = self.process = None

    def _ask(self, question: tuple) -> Any:
        self._send(question)
        while True:
            reply = self._receive()
            if reply[0] == "answer":
                _, ok, value = reply
                if not ok:
                    raise ValueError(value)
                return value

    def _send(self, request: tuple) -> None:
        try:
            self.conn.send(request)
        except OSError:
            self._stopped()

    def _receive(self) -> tuple:
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):
            self._stopped()
        if reply[0] == "result":
            _, key, ok, value = reply
            self.done[key] = (ok, value)
        return reply

    def _stopped(self) -> None:
        self.process.join(timeout=5)
        code = self.process.exitcode
        raise PluginError(
            f"lessons: the process that runs the compute functions stopped (exit code {code}), "
            "probably in a compute function; set 'parallel: false' under the plugin in mkdocs.yml "
            "to run them in the build's own process and see where"
        )


def can_fork() -> bool:
    """Whether forking this process is safe: on Linux, with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def serve(conn: Any, build_end: Any, sources: list[compute.Source]) -> None:
    """The compute process: answer questions first (the build waits for them), then calls."""
    build_end.close()  # the build's end of the pipe, inherited: closed, so its closing ends this
    for source in sources:  # what the calls will need, imported while the build starts up
        with contextlib.suppress(Exception):  # an error is reported with the call that meets it
            importlib.import_module(source.name)
    functions: dict[str, Callable[..., Any]] = {}
    queue: deque[tuple] = deque()
    try:
        while True:
            while not queue or conn.poll():
                queue.append(conn.recv())
            request = next((r for r in queue if r[0] != "call"), queue[0])
            queue.remove(request)
            conn.send(answer(request, sources, functions))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the build closed the pipe, or was interrupted


def answer(
    request: tuple, sources: list[compute.Source], functions: dict[str, Callable[..., Any]]
) -> tuple:
    """The reply to one request of :func:`serve`."""
    if request[0] == "module":  # every plain function's signature, or none: then ask one by one
        return ("answer", True, module_signatures(request[1], sources))
    if request[0] == "signature":
        try:
            return ("answer", True, compute.parameters(compute.load(request[1], sources)))
        except ValueError as exc:
            return ("answer", False, str(exc))
    _, key, call = request
    try:
        if call.spec not in functions:
            functions[call.spec] = compute.load(call.spec, sources)
        return ("result", key, True, call.run(functions[call.spec]))
    except ValueError as exc:  # from compute.load
        return ("result", key, False, f"{call.kind}: {exc}")
    except CallError as exc:
        return ("result", key, False, str(exc))


def module_signatures(module: str, sources: list[compute.Source]) -> dict[str, Any]:
    """``name -> parameters`` for the functions of a shipped ``module`` that import cleanly."""
    if module.split(".")[0] not in {s.name for s in sources}:
        return {}
    try:
        namespace = vars(importlib.import_module(module))
    except Exception:
        return {}  # compute.load says what is wrong, one function at a time
    found = {}
    for name, value in namespace.items():
        if callable(value) and not isinstance(value, type):
            with contextlib.suppress(TypeError, ValueError):  # else asked for by name, if ever
                found[name] = compute.parameters(value)
    return found
