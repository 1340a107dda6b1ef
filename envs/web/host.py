"""One shared headless Chromium per process, driven from a dedicated event-loop thread.

Playwright objects belong to the loop that created them, while gymhub envs are called from any
thread (sync `step`, `asyncio.to_thread`, servers). So the browser lives on its own thread and
every env submits coroutines to it. The host is reference-counted: the first env that needs it
starts Chromium and the local task server, the last `release()` stops both, so closing every env
leaves no browser process behind. Fresh (context, page) pairs are pre-warmed so that a reset does
not wait for Chromium; a used context is never reused (no cookies or storage leak between
episodes).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gymhub import lifecycle
from gymhub.errors import GymhubError

T = TypeVar("T")

#: flags the browser needs on headless, offline machines (and as root, --no-sandbox).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
)
DEFAULT_VIEWPORT = {"width": 1024, "height": 768}

#: Run in every document before its own scripts (an init script of every context):
#: - Chromium has one clipboard for the whole browser, which every context shares: Control+c in
#:   one episode and Control+v in another (a concurrent rollout, the next episode) carried text
#:   between them. Copy, cut and paste are cancelled, so nothing reaches or leaves the clipboard
#:   (`fill` types text; no task needs the clipboard).
#: - A click with Shift, Control, Meta or Alt on a link or a submit button opens a new window
#:   or starts a download. That window was closed as it opened, and whether its request (a
#:   form post that ends the episode) reached the server first was a race: the same actions
#:   paid in one run and not in the next, or one step later. Such a click does nothing now.
#: - A native drag of a link onto a text field (`drag(link, field)`) typed the link's real
#:   address (the task server's port, the episode's token) into the field, where a screenshot
#:   showed it (the tree replaces it). No task uses native drag and drop (DragItem follows the
#:   mouse), so it never starts.
PAGE_GUARD_JS = """
window.addEventListener('dragstart', (event) => event.preventDefault(), true);
for (const type of ['copy', 'cut', 'paste']) {
  window.addEventListener(type, (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.clipboardData) event.clipboardData.clearData();
  }, true);
}
for (const type of ['click', 'auxclick']) {
  window.addEventListener(type, (event) => {
    const modified = event.shiftKey || event.ctrlKey || event.metaKey || event.altKey;
    if (!modified && event.button === 0) return;
    const target = event.target instanceof Element ? event.target : null;
    const opener = target && target.closest(
      'a[href], area[href], button, input[type=submit], input[type=image]');
    if (opener) event.preventDefault();
  }, true);
}
"""


class BrowserUnavailableError(GymhubError):
    """Chromium (or the playwright package) is missing or would not start."""

    #: a server answers 503 with Retry-After for this error (the hub lacks it, not the client)
    exhausted_resource = "browser"


class BrowserBusyError(BrowserUnavailableError):
    """Every browser context is in use: try again when an episode ends."""

    exhausted_resource = "browser contexts"


def chromium_path() -> str | None:
    """The Chromium executable: $GYMHUB_CHROMIUM, else the first of the usual system paths."""
    configured = os.environ.get("GYMHUB_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    """True when both the playwright package and a Chromium executable are present."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


@dataclass
class Slot:
    """A fresh browser context with one page, owned by one episode."""

    context: Any
    page: Any
    crashed: bool = False
    cdp: Any = None  # a CDP session, opened when the env first needs one
    #: requests outside this URL prefix (the episode's own site) are aborted by the context
    allowed_prefix: str | None = None
    viewport: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_VIEWPORT))
    #: requests of the page still waiting for their answer (a form post the task server has not
    #: answered yet): an env waits for them before it reads the server's state
    inflight: set[Any] = field(default_factory=set)


class BrowserHost:
    """The process-wide browser; get it with `BrowserHost.acquire()`, give it back with
    `release()`."""

    _instance: BrowserHost | None = None
    _class_lock = threading.Lock()

    def __init__(self, prewarm: int = 1, max_contexts: int | None = None) -> None:
        self.prewarm = prewarm
        self.max_contexts = max_contexts or int(os.environ.get("GYMHUB_WEB_MAX_CONTEXTS", "64"))
        #: how long a reset waits for a free context before it fails
        self.acquire_timeout_s = float(os.environ.get("GYMHUB_WEB_ACQUIRE_TIMEOUT", "30"))
        self.refs = 0
        self.closed = False
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run_loop, name="gymhub-browser", daemon=True)
        self._pw: Any = None
        self.browser: Any = None
        self._pool: list[Slot] = []
        self._refill: asyncio.Task[None] | None = None
        self._launch_lock: asyncio.Lock | None = None
        self._sem: asyncio.Semaphore | None = None
        self._live_contexts: set[Any] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self.launches = 0
        from gymhub.envs.web.server import TaskServer

        self.server = TaskServer()

    # ----- lifetime ---------------------------------------------------------------------------
    @classmethod
    def acquire(cls) -> BrowserHost:
        """The shared host, started on first use; every acquire needs one `release()`."""
        with cls._class_lock:
            host = cls._instance
            if host is None or host.closed:
                host = cls()
                try:
                    host._start()
                except BaseException:
                    host._shutdown()
                    raise
                cls._instance = host
                lifecycle.register("shared browser", cls.shutdown_all, stage="browsers")
            host.refs += 1
            return host

    @classmethod
    def shutdown_all(cls) -> None:
        """Stop the shared browser even if envs were left open (runs at interpreter exit)."""
        with cls._class_lock:
            host, cls._instance = cls._instance, None
            if host is not None and not host.closed:
                host._shutdown()

    def release(self) -> None:
        """Drop one reference; the last one stops Chromium, the loop thread and the server."""
        with BrowserHost._class_lock:
            if self.closed:
                return
            self.refs -= 1
            if self.refs > 0:
                return
            if BrowserHost._instance is self:
                BrowserHost._instance = None
            self._shutdown()

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def _start(self) -> None:
        path = chromium_path()
        if path is None:
            raise BrowserUnavailableError(
                "no Chromium found: install it (scripts/setup_browser.sh, or apt-get install "
                "chromium) or point GYMHUB_CHROMIUM at the executable"
            )
        try:
            import playwright.async_api  # noqa: F401
        except ImportError as exc:
            raise BrowserUnavailableError(
                "the web envs need playwright: pip install 'gymhub[web]'"
            ) from exc
        self.server.start()
        self.thread.start()
        self.run(self._init(path), timeout=60)

    async def _init(self, path: str) -> None:
        from playwright.async_api import async_playwright

        self._launch_lock = asyncio.Lock()
        self._sem = asyncio.Semaphore(self.max_contexts)
        self._path = path
        self._pw = await async_playwright().start()
        await self._launch()

    async def _launch(self) -> None:
        try:
            self.browser = await self._pw.chromium.launch(
                executable_path=self._path, args=list(CHROMIUM_ARGS), headless=True, timeout=30_000
            )
        except Exception as exc:
            raise BrowserUnavailableError(f"Chromium at {self._path} did not start: {exc}") from exc
        self.launches += 1
        self._pool.clear()

    def _shutdown(self) -> None:
        self.closed = True
        if self.thread.is_alive():
            try:
                self.run(self._close_all(), timeout=30)
            except Exception:
                pass
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        if not self.loop.is_running():
            self.loop.close()
        self.server.stop()

    async def _close_all(self) -> None:
        for task in list(self._background):
            task.cancel()
        if self._refill is not None:
            self._refill.cancel()
        try:
            if self.browser is not None:
                await self.browser.close()
        except Exception:
            pass
        try:
            if self._pw is not None:
                await self._pw.stop()
        except Exception:
            pass

    # ----- running work on the browser thread --------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run `coro` on the browser loop and wait for it (from any thread but the loop's)."""
        if self.closed and not self.thread.is_alive():
            coro.close()
            raise BrowserUnavailableError("the browser host is closed")
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = self.loop.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ----- contexts (called on the loop) ------------------------------------------------------
    def browser_alive(self) -> bool:
        return self.browser is not None and self.browser.is_connected()

    async def _ensure_browser(self) -> None:
        assert self._launch_lock is not None
        async with self._launch_lock:
            if not self.browser_alive():
                await self._launch()

    async def _new_slot(self, viewport: dict[str, int]) -> Slot:
        context = await self.browser.new_context(
            viewport=viewport,
            device_scale_factor=1,
            java_script_enabled=True,
            accept_downloads=False,
            service_workers="block",
        )
        await context.add_init_script(PAGE_GUARD_JS)
        context.set_default_timeout(5_000)
        context.set_default_navigation_timeout(10_000)
        page = await context.new_page()
        slot = Slot(context=context, page=page, viewport=dict(viewport))

        async def _stay_on_site(route: Any) -> None:
            # Every request the page makes (navigations, forms, scripts, images) must stay in
            # the episode's own site; Chromium has normalised `..` and `%2e%2e` by now.
            prefix = slot.allowed_prefix
            if prefix is not None and route.request.url.startswith(prefix):
                await route.continue_()
            else:
                await route.abort("blockedbyclient")

        await context.route("**/*", _stay_on_site)

        def _crashed(*_: Any) -> None:
            slot.crashed = True

        def _one_page_only(opened: Any) -> None:
            # A policy can open windows (Shift+Enter or Control+Enter on a link, a form posted to
            # a new tab); nobody observes them and they would outlive the episode in a reused
            # context, so every page but the episode's own is closed as it opens.
            if opened is not slot.page:
                self._spawn(self._close_page(opened))

        page.on("crash", _crashed)

        def _sent(request: Any) -> None:
            slot.inflight.add(request)

        def _answered(request: Any) -> None:
            slot.inflight.discard(request)

        page.on("request", _sent)
        page.on("requestfinished", _answered)
        page.on("requestfailed", _answered)
        context.on("page", _one_page_only)
        return slot

    async def _close_page(self, page: Any) -> None:
        try:
            await asyncio.wait_for(page.close(), timeout=10)
        except Exception:
            pass

    async def acquire_slot(self, viewport: dict[str, int] | None = None) -> Slot:
        """A fresh context and page; a pre-warmed one when the viewport is the default."""
        assert self._sem is not None
        await self._ensure_browser()
        try:
            await asyncio.wait_for(self._sem.acquire(), timeout=self.acquire_timeout_s)
        except TimeoutError as exc:
            raise BrowserBusyError(
                f"all {self.max_contexts} browser contexts are in use (close some envs or raise "
                "GYMHUB_WEB_MAX_CONTEXTS)"
            ) from exc
        viewport = dict(viewport or DEFAULT_VIEWPORT)
        try:
            slot = None
            if viewport == DEFAULT_VIEWPORT:
                while self._pool and slot is None:
                    candidate = self._pool.pop()
                    if not candidate.crashed and not candidate.page.is_closed():
                        slot = candidate
                    else:
                        self._spawn(self._close_context(candidate.context))
            if slot is None:
                slot = await self._new_slot(viewport)
            self._live_contexts.add(slot.context)
        except BaseException:
            self._sem.release()
            raise
        self._schedule_refill()
        return slot

    def _schedule_refill(self) -> None:
        if self.prewarm > 0 and (self._refill is None or self._refill.done()):
            self._refill = self.loop.create_task(self._fill_pool())

    async def _fill_pool(self) -> None:
        try:
            while len(self._pool) < self.prewarm and self.browser_alive():
                self._pool.append(await self._new_slot(DEFAULT_VIEWPORT))
        except Exception:
            pass  # best effort: acquire_slot creates one on demand

    async def release_slot(self, slot: Slot) -> None:
        """Close a used context (never reused)."""
        if slot.context in self._live_contexts:
            self._live_contexts.discard(slot.context)
            assert self._sem is not None
            self._sem.release()
        await self._close_context(slot.context)

    async def _close_context(self, context: Any) -> None:
        try:
            await asyncio.wait_for(context.close(), timeout=10)
        except Exception:
            pass

    def release_slot_nowait(self, slot: Slot) -> None:
        """Schedule `release_slot` from any thread without waiting for it."""
        if self.closed or not self.loop.is_running():
            return
        asyncio.run_coroutine_threadsafe(self.release_slot(slot), self.loop)

    @property
    def live_contexts(self) -> int:
        return len(self._live_contexts)
