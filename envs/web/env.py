"""`BrowserEnv`: one local web task per episode, driven in a real Chromium.

Observation (a user message): the goal, the URL, the page title, the last action and its error,
and the page as an accessibility-style tree whose `[n]` ids the actions refer to; optionally a
screenshot as an image part. Actions: the language of `gymhub.envs.web.actions`, as text or tool
calls. Invalid or failing actions are reported in the next observation, never raised. The reward
comes from the task's trusted check of the local server's state.
"""

from __future__ import annotations

import asyncio
import base64
import random
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from gymhub.env import Env, StepResult
from gymhub.envs.web.actions import BrowserAction, parse_action, tool_specs
from gymhub.envs.web.dom import EXTRACT_JS, format_tree
from gymhub.envs.web.host import BrowserHost, BrowserUnavailableError, Slot
from gymhub.envs.web.server import Site
from gymhub.envs.web.tasks import TASKS, WebTask
from gymhub.errors import GymhubError
from gymhub.tasks import check_difficulty, derive_seed
from gymhub.tools import encodable
from gymhub.types import Action, ImagePart, Message, Observation, Task, TextPart, Verdict

SITE_ORIGIN = "http://task.local/"
_VIRTUAL_HOST = "task.local"
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# matched whole (fullmatch): `$` would let a trailing newline into the CSS selector, and `\d`
# takes any script's digits
_BID_RE = re.compile(r"([0-9]{1,7})|\[([0-9]{1,7})\]")  # `12`, or `[12]` as the tree shows it
_KEY_RE = re.compile(r"[A-Za-z0-9+_ -]{1,40}")
#: actions given to the page as raw input (a key pressed on the page rather than on an element
#: counts here: the env runs it through page.keyboard), after which the env waits for requests
_RAW_INPUT = frozenset({"press", "mouse_click", "drag"})
#: how long a navigation that raw input starts may take to issue its request
_SETTLE_S = 0.15
#: how long a page that may have hung gets to answer a trivial script
_RESPONSIVE_S = 2.0
#: how long a step waits for the load of a document whose load was already waited for in vain
_STALLED_WAIT_MS = 300
#: the difficulties every web task supports (the registered specs declare the same range)
DIFFICULTY_RANGE = (1, 5)

SYSTEM_PROMPT = f"""You control a web browser to complete a task on the site {SITE_ORIGIN}.
Each turn you see the page as a tree; [n] before an element is its id. Reply with exactly one
action (as the last line, or as a tool call):
  click("12")  fill("7", "text")  select_option("3", "Blue")  check("5")  uncheck("5")
  hover("4")  focus("4")  press("Enter")  press("7", "Enter")  drag("3", "9")
  scroll(0, 300)  mouse_click(200, 150)  goto("{SITE_ORIGIN}path")  go_back()  noop()
  send_msg("text")  (tells the user something and ends the episode; use it to report answers)"""


class PageHungError(GymhubError):
    """The page's main thread stopped answering after an action, while the browser still
    answers: its own script never ends. The policy's doing (its action started the script): the
    step ends the episode with status `timeout`."""


class _KeptNavigating(Exception):
    """Every try to read the page met a new document (a page that reloads or redirects itself
    without end)."""


#: what Playwright says when a navigation replaced the document it was working in
_NAVIGATED_RE = re.compile(r"navigat|context was destroyed|cannot find context|detached", re.I)


class PageCrashedError(GymhubError):
    """The page's renderer crashed after the step began, while the browser lives on: the page
    did it in answer to the policy's action (a DOM nested deeper than Chromium lays out), so
    the step ends the episode with the policy's status `error`, not the hub's infra_error. A
    crash found before the step's action ran stays the hub's (EpisodeLostError)."""


class EpisodeLostError(GymhubError):
    """The page or browser crashed: the episode cannot go on (an infra error, not the policy's)."""

    #: a reset that fails so is the hub's lack of a working browser: a server answers 503 with
    #: Retry-After (the next reset gets a new context or browser); it answered 422, which told
    #: the client (RemoteEnv: InvalidOptionsError) that its own request was wrong
    exhausted_resource = "browser"


class BrowserEnv(Env):
    """A task of the local web suite in a real Chromium (see docs/web.md)."""

    allowed_options = frozenset({"difficulty"})
    #: also when built directly (make() sets the spec's, the same): reset options are checked
    difficulty_range = DIFFICULTY_RANGE

    def __init__(
        self,
        task: str = "ClickButton",
        difficulty: int = 1,
        max_steps: int | None = None,
        screenshot: bool = False,
        action_timeout_s: float = 10.0,
        recycle_after: int = 50,
        **kwargs: Any,
    ) -> None:
        if not isinstance(task, str) or task not in TASKS:
            raise ValueError(f"unknown web task {task!r}; known: {sorted(TASKS)}")
        self.task_cls: type[WebTask] = TASKS[task]
        if max_steps is not None and (
            not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1
        ):
            raise ValueError(f"max_steps must be a positive integer or None, got {max_steps!r}")
        super().__init__(max_turns=max_steps or self.task_cls.max_steps, **kwargs)
        # the same rule as make() and reset(options=...), for an env built directly
        self.difficulty = check_difficulty(difficulty, self.difficulty_range)
        if not isinstance(screenshot, bool):
            raise ValueError(f"screenshot must be True or False, got {screenshot!r}")
        self.screenshot = screenshot
        if (
            isinstance(action_timeout_s, bool)
            or not isinstance(action_timeout_s, (int, float))
            or not 0.1 <= action_timeout_s <= 60
        ):
            raise ValueError(f"action_timeout_s must be in [0.1, 60], got {action_timeout_s!r}")
        self.action_timeout_ms = int(action_timeout_s * 1000)
        self.host: BrowserHost | None = None
        self.slot: Slot | None = None
        self.site: Site | None = None
        self.web_task: WebTask | None = None
        self.elements: dict[str, str] = {}  # DOM id -> bid, for the scripted reference
        self.url = ""
        self.restarts = 0
        #: episodes one context serves before it is replaced by a fresh one
        if (
            not isinstance(recycle_after, int)
            or isinstance(recycle_after, bool)
            or recycle_after < 1
        ):
            raise ValueError(f"recycle_after must be a positive integer, got {recycle_after!r}")
        self.recycle_after = recycle_after
        self._slot_uses = 0
        self._last_good_url: str | None = None
        #: the document (_document_key) whose load was waited for in vain, if any
        self._stalled: Any = None

    @property
    def step_budget_s(self) -> float:
        """The longest one step may take in the browser (a server's step deadline exceeds it)."""
        return 4 * self.action_timeout_ms / 1000 + 20

    # ----- episode lifecycle ------------------------------------------------------------------
    def _reset(self, options: dict[str, Any]) -> Observation:
        if self._closed:
            raise GymhubError("the env is closed")
        difficulty = options.get("difficulty", self.difficulty)
        seed, index = self.episode_seed or 0, self.episode_index
        rng = random.Random(derive_seed("web", self.task_cls.name, seed, index, difficulty))
        self.web_task = self.task_cls(rng, difficulty)
        self.task = Task(
            id=f"web/{self.task_cls.name}-s{seed}-i{index}-d{difficulty}",
            question=self.web_task.goal,
            metadata={"difficulty": difficulty, "task": self.task_cls.name},
        )
        if self.host is None:
            self.host = BrowserHost.acquire()
        self._drop_site()
        self.site = self.host.server.add_site(self.web_task)
        try:
            text, image = self._run(self._open())
        except EpisodeLostError:  # a crashed browser or page: one retry on a fresh context
            self.restarts += 1
            self._drop_slot()
            text, image = self._run(self._open())
        user = self._message(text, image)
        return Observation(
            messages=[Message(role="system", content=SYSTEM_PROMPT), user], tools=tool_specs()
        )

    def _step(self, action: Action) -> StepResult:
        if self._closed:
            raise GymhubError("the env is closed")
        assert self.web_task is not None and self.site is not None
        try:
            parsed: BrowserAction | None = parse_action(action)
            error = None
        except ValueError as exc:
            parsed, error = None, str(exc)[:500]
        if parsed is not None and parsed.name == "send_msg":
            reward, detail = self.web_task.score(self.site.state, parsed.args[0])
            verdict = Verdict(
                reward=reward, status="correct" if reward >= 1 else "incorrect", detail=detail
            )
            return StepResult(
                Observation(messages=[Message(role="user", content="Message sent. Episode over.")]),
                reward,
                True,
                verdict,
                {"url": self.url, "last_action_error": None},
            )
        try:
            text, image = self._run(self._act(parsed, error))
        except PageHungError as exc:
            # the page's own script never ends after the policy's action (an endless loop in a
            # click handler): the policy's doing, a timeout; its context is closed with it
            self._drop_slot()
            verdict = Verdict(reward=0.0, status="timeout", detail=str(exc))
            message = Message(role="user", content=f"{exc}; episode over.")
            info = {"url": self.url, "last_action_error": str(exc)}
            return StepResult(Observation(messages=[message]), 0.0, True, verdict, info)
        except PageCrashedError as exc:
            self._drop_slot()  # the next reset gets a fresh context
            verdict = Verdict(reward=0.0, status="error", detail=str(exc))
            message = Message(role="user", content=f"{exc}; episode over.")
            info = {"url": self.url, "last_action_error": str(exc)}
            return StepResult(Observation(messages=[message]), 0.0, True, verdict, info)
        except EpisodeLostError as exc:
            self._drop_slot()
            verdict = Verdict(reward=0.0, status="infra_error", detail=str(exc))
            message = Message(role="user", content=f"The browser failed ({exc}); episode lost.")
            info = {"url": self.url, "last_action_error": None}
            return StepResult(Observation(messages=[message]), 0.0, True, verdict, info)
        info = {"url": self.url, "last_action_error": self._last_error}
        if self.site.state.done:
            reward, detail = self.web_task.score(self.site.state, None)
            status = "correct" if reward >= 1 else "incorrect"
            verdict = Verdict(reward=reward, status=status, detail=detail)
            return StepResult(
                Observation(messages=[self._message(text, image)]), reward, True, verdict, info
            )
        verdict = None
        if self.max_turns is not None and self.turn >= self.max_turns:
            # the step budget ends before the task is done: the policy's failure, with a status
            # (an episode that ends without one is counted as neither scored nor failed)
            verdict = Verdict.incorrect(f"the task was not done within {self.max_turns} steps")
        return StepResult(
            Observation(messages=[self._message(text, image)]), 0.0, False, verdict, info
        )

    def reference_action(self) -> Action | None:
        """The next step of the task's scripted plan (valid when the plan is followed from
        reset)."""
        if self.done or self.web_task is None or self.turn >= len(self.web_task.plan):
            return None
        name, *args = self.web_task.plan[self.turn]
        resolved = []
        for arg in args:
            if isinstance(arg, str) and arg.startswith("#"):
                bid = self.elements.get(arg[1:])
                if bid is None:
                    return None
                arg = bid
            resolved.append(arg)
        return Action(content=str(BrowserAction(name, tuple(resolved))))

    def secret_strings(self) -> list[str]:
        return []  # success is judged from the server state; no hidden gold string exists

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._drop_slot(wait=True)
        self._drop_site()
        if self.host is not None:
            self.host.release()
            self.host = None

    # ----- browser work (runs on the host's loop) ---------------------------------------------
    def _run(self, coro: Any) -> Any:
        assert self.host is not None
        try:
            return self.host.run(coro, timeout=self.step_budget_s)
        except TimeoutError as exc:
            raise EpisodeLostError("the browser did not answer in time") from exc

    def _drop_slot(self, wait: bool = False) -> None:
        """Give the context back (closed, never reused by anyone else)."""
        if self.host is not None and self.slot is not None:
            if wait:
                try:
                    self.host.run(self.host.release_slot(self.slot), timeout=15)
                except Exception:
                    pass
            else:
                self.host.release_slot_nowait(self.slot)
        self.slot = None

    def _drop_site(self) -> None:
        if self.host is not None:
            self.host.server.remove_site(self.site)
        self.site = None

    @property
    def _prefix(self) -> str:
        assert self.host is not None and self.site is not None
        return f"{self.host.server.origin}{self.site.prefix}"

    def _lost(self) -> bool:
        assert self.host is not None
        return (
            self.slot is None
            or self.slot.crashed
            or self.slot.page.is_closed()
            or not self.host.browser_alive()
        )

    async def _open(self) -> tuple[str, str | None]:
        assert self.host is not None
        try:
            if self.slot is not None and (
                self._lost()
                or self._slot_uses >= self.recycle_after
                or not await self._answers()  # hung after the last step: cleaning it took 10 s
            ):
                self.host.release_slot_nowait(self.slot)
                self.slot = None
            if self.slot is None:
                self.slot, self._slot_uses = await self.host.acquire_slot(), 0
            else:
                await self._clean_slot()
            self._slot_uses += 1
            self.slot.allowed_prefix = self._prefix
            self._last_good_url = self._prefix + self.task_cls.start
            await self.slot.page.goto(self._last_good_url, wait_until="load")
        except BrowserUnavailableError:
            raise  # no browser or no free context: retrying would not help
        except Exception as exc:
            raise EpisodeLostError(f"could not open the task page: {_first_line(exc)}") from exc
        self._last_action, self._last_error, self._stalled = None, None, None
        try:
            return await self._observe()
        except (PageHungError, _KeptNavigating) as exc:  # no action of the policy's ran
            raise EpisodeLostError(f"the task page could not be read: {exc}") from exc

    async def _answers(self) -> bool:
        """Whether the page runs a trivial script within _RESPONSIVE_S (a loop a timer of the
        last episode started keeps it from it; navigating such a page away waited 10 s)."""
        assert self.slot is not None
        try:
            await asyncio.wait_for(self.slot.page.evaluate("1"), _RESPONSIVE_S)
            return True
        except Exception:
            return False

    async def _clean_slot(self) -> None:
        """Wipe what an episode can leave in its context: cookies, storage, the page itself."""
        assert self.slot is not None and self.host is not None
        context, page = self.slot.context, self.slot.page
        await page.goto("about:blank")
        # keys and mouse buttons are the page's, which the next episode reuses: none held
        await _release_keys(page, _MODIFIERS)
        await _quietly(page.mouse.up())
        await context.clear_cookies()
        if self.slot.cdp is None:
            self.slot.cdp = await context.new_cdp_session(page)
        await self.slot.cdp.send(
            "Storage.clearDataForOrigin",
            {"origin": self.host.server.origin, "storageTypes": "all"},
        )

    async def _act(self, action: BrowserAction | None, error: str | None) -> tuple[str, str | None]:
        if self._lost():  # before the policy's action ran: the hub's
            raise EpisodeLostError("the page or the browser crashed")
        # Chromium reports a crash a moment later: a page that died between two steps is found
        # by asking it something before the action, so its crash is never put on the action
        await _quietly(self.slot.page.evaluate("1"))  # type: ignore[union-attr]
        if self._lost():
            raise EpisodeLostError("the page or the browser crashed")
        try:
            return await self._act_on_live_page(action, error)
        except EpisodeLostError as exc:
            assert self.host is not None
            if self.slot is not None and self.slot.crashed and self.host.browser_alive():
                raise PageCrashedError(
                    "the page crashed after the action (what the page did in answer to it)"
                ) from exc
            raise

    async def _act_on_live_page(
        self, action: BrowserAction | None, error: str | None
    ) -> tuple[str, str | None]:
        self._last_action = str(action) if action else None
        if action is not None:
            try:
                earlier = set(self.slot.inflight) if self.slot is not None else set()
                await self._execute(action)
                await self._settle(earlier, action.name in _RAW_INPUT)
            except _ActionError as exc:
                error = str(exc)
            except Exception as exc:
                if self._lost():
                    raise EpisodeLostError("the page or the browser crashed") from exc
                await self._check_responsive(exc)
                error = f"{action.name} failed: {_first_line(exc)}"
        self._last_error = None if error is None else self._scrub(error)
        try:
            return await self._observe()
        except _KeptNavigating as exc:
            # a page that reloads or redirects itself without end (a meta refresh of 0 s): the
            # page's doing, after the policy's action led there; the policy sees that and can
            # go elsewhere (it was the hub's infra_error)
            return self._unread_page(str(exc))

    async def _settle(self, earlier: set[Any], raw: bool) -> None:
        """Wait until the requests the action sent are answered, so the server's state is read
        after them. After raw input also wait `_SETTLE_S` first: Playwright waits for a
        navigation that a click or a press on an element starts, not for one started by a key
        pressed on the page, a click at coordinates or a drag released on a button. Their form
        post reached the task server after the step had read its state about half the time, so
        the episode ended (and was paid) one step late, or not at all on the last step."""
        assert self.slot is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.action_timeout_ms / 1000
        if raw:
            await asyncio.sleep(_SETTLE_S)  # the input's navigation starts within this
        # only what this action sent: a request of an earlier page never holds a step up
        while self.slot.inflight - earlier and loop.time() < deadline:
            await asyncio.sleep(0.02)

    async def _check_responsive(self, exc: BaseException) -> None:
        """After a call that timed out, PageHungError when the page does not run a trivial
        script within _RESPONSIVE_S (its own script never ends: Chromium runs nothing else
        there; or the page it is going to never arrives) while the browser answers. Such a
        step used to run out the whole step budget, action after action waiting in vain, and
        end as the hub's infra_error. Only an answer counts: an error (no document to run in,
        a navigation under way) is tried again until the time is up."""
        if type(exc).__name__ != "TimeoutError":  # Playwright's and asyncio's
            return
        assert self.slot is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _RESPONSIVE_S
        while (left := deadline - loop.time()) > 0:
            try:
                await asyncio.wait_for(self.slot.page.evaluate("1"), left)
                return
            except asyncio.TimeoutError:
                break
            except Exception:
                if self._lost():
                    raise EpisodeLostError("the page or the browser crashed") from exc
                await asyncio.sleep(0.1)
        if self.host is not None and self.host.browser_alive():
            raise PageHungError(
                "the page stopped responding (a script that never ends, or a page that never "
                "arrives)"
            ) from exc

    async def _document_key(self) -> Any:
        """What tells the page's current document from any other (its URL and time origin, which
        every new document gets anew), None when the page does not say within _RESPONSIVE_S."""
        assert self.slot is not None
        try:
            return await asyncio.wait_for(
                self.slot.page.evaluate("[location.href, performance.timeOrigin]"), _RESPONSIVE_S
            )
        except Exception:
            return None

    async def _wait_for_load(self) -> None:
        """Wait for the page's load event. A resource that never arrives (an image): the page is
        read as it is, with an action error (it was waited for again and again, and the step
        ended as infra_error). Its document's load is waited for once: every later step waited
        a whole action timeout again for the same image (now _STALLED_WAIT_MS, which a document
        the action brought in gets its own full wait after)."""
        assert self.slot is not None
        page = self.slot.page
        if self._stalled is not None and await self._document_key() == self._stalled:
            try:
                await page.wait_for_load_state("load", timeout=_STALLED_WAIT_MS)
                return
            except Exception as exc:
                if self._lost() or type(exc).__name__ != "TimeoutError":
                    raise
                if await self._document_key() == self._stalled:
                    self._last_error = self._last_error or "the page did not finish loading"
                    return
        try:
            await page.wait_for_load_state("load", timeout=self.action_timeout_ms)
        except Exception as exc:
            if self._lost() or type(exc).__name__ != "TimeoutError":
                raise
            await self._check_responsive(exc)
            self._stalled = await self._document_key()
            self._last_error = self._last_error or "the page did not finish loading"

    async def _observe(self) -> tuple[str, str | None]:
        assert self.slot is not None and self.web_task is not None
        page = self.slot.page
        snapshot = None
        navigated, other = 0, False  # tries a new document spoiled, tries failed otherwise
        for _ in range(4):
            try:
                await self._wait_for_load()
                if not page.url.startswith(self._prefix) and self._last_good_url is not None:
                    # Off the site (its request was refused: Chromium's error page): go back.
                    self._last_error = "navigation outside the task site was blocked"
                    await page.goto(self._last_good_url, timeout=self.action_timeout_ms * 2)
                    continue
                # the page replaces the real address before it cuts a long text: cut first, a
                # link dropped into a field showed the part of the token before the cut
                # bounded (twice an action's timeout: a task page takes milliseconds, a huge one
                # a few seconds), so a page whose script never ends is found hung, not waited on
                snapshot = await asyncio.wait_for(
                    page.evaluate(EXTRACT_JS, self._hidden()), 2 * self.action_timeout_ms / 1000
                )
                if page.url.startswith(self._prefix):  # no navigation replaced the document
                    self._last_good_url = page.url
                    break
                snapshot, navigated = None, navigated + 1
            except PageHungError:
                raise
            except Exception as exc:
                if self._lost():
                    raise EpisodeLostError("the page or the browser crashed") from exc
                await self._check_responsive(exc)
                if _NAVIGATED_RE.search(str(exc)):
                    navigated += 1
                else:
                    other = True
                await page.wait_for_timeout(50)  # a navigation replaced the document; retry
        if snapshot is None:
            if navigated and not other:
                raise _KeptNavigating("the page kept replacing itself and could not be read")
            raise EpisodeLostError("could not read the page")
        self.elements = {e["id"]: e["bid"] for e in snapshot["elements"] if e.get("id")}
        self.url = self._display_url(page.url)
        image = None
        if self.screenshot:
            try:
                shot = await page.screenshot(type="png", timeout=self.action_timeout_ms)
                image = base64.b64encode(shot).decode()
            except Exception as exc:
                if self._lost():
                    raise EpisodeLostError("the page or the browser crashed") from exc
                await self._check_responsive(exc)
                if await self._document_key() == snapshot.get("doc"):
                    raise EpisodeLostError(f"no screenshot: {_first_line(exc)}") from exc
                # the page replaced itself meanwhile (it reloads or redirects without end): its
                # doing, shown without an image (the step ended as infra_error)
                self._last_error = "the page kept replacing itself: no screenshot was taken"
        lines = [
            f"# Goal\n{self.web_task.goal}",
            f"# Page\nURL: {self.url}\nTitle: {snapshot.get('title', '')}",
        ]
        if self._last_action:
            lines.append(f"Last action: {self._last_action}")
        if self._last_error:
            lines.append(f"Last action error: {self._last_error}")
        lines.append("# Content ([n] are element ids)\n" + format_tree(snapshot))
        return self._scrub("\n".join(lines)), image

    def _unread_page(self, why: str) -> tuple[str, str | None]:
        """The observation of a page that could not be read: its address and why, no content."""
        assert self.slot is not None and self.web_task is not None
        self.elements = {}
        self.url = self._display_url(self.slot.page.url)
        lines = [f"# Goal\n{self.web_task.goal}", f"# Page\nURL: {self.url}\nTitle: "]
        if self._last_action:
            lines.append(f"Last action: {self._last_action}")
        self._last_error = f"{why} (go back or open another page)"
        lines.append(f"Last action error: {self._last_error}")
        lines.append("# Content ([n] are element ids)\n")
        return self._scrub("\n".join(lines)), None

    def _display_url(self, real: str) -> str:
        prefix = self._prefix
        return SITE_ORIGIN + real[len(prefix) :] if real.startswith(prefix) else SITE_ORIGIN

    def _hidden(self) -> list[list[str]]:
        """[real, shown] pairs, applied in order: the task server's real address (its port, the
        episode's path token) and what observations show instead."""
        assert self.host is not None and self.site is not None
        origin = self.host.server.origin  # http://127.0.0.1:PORT
        host_port = origin.split("//", 1)[1]
        return [
            [self._prefix, SITE_ORIGIN],
            [origin, SITE_ORIGIN.rstrip("/")],
            [self.site.prefix, "/"],
            [host_port, _VIRTUAL_HOST],
            [host_port.split(":")[0], _VIRTUAL_HOST],
        ]

    def _scrub(self, text: str) -> str:
        """Observations name the site by its stable virtual origin, never the task server's real
        address (its port, the episode's path token), wherever they would show it."""
        for real, shown in self._hidden():
            text = text.replace(real, shown)
        return text

    def _resolve_url(self, url: str) -> str:
        """The real URL of a page of this episode's site, or _ActionError: only paths inside
        the site, however they are written (`..`, `%2e%2e`, double encoding, backslashes)."""
        url = url.strip()
        refused = _ActionError(f"goto: only pages of {SITE_ORIGIN} can be opened")
        # control characters: C0, DEL and C1 alike (DEL and C1 went through to the browser)
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c == "\\" for c in url):
            raise refused
        if url.lower().startswith(SITE_ORIGIN) or url.lower() == SITE_ORIGIN.rstrip("/"):
            path = url[len(SITE_ORIGIN) :]
        elif _SCHEME_RE.match(url) or url.startswith("//"):
            raise refused
        else:
            path = url.lstrip("/")
        decoded = urlsplit(path).path
        for _ in range(4):  # every level of percent-encoding a browser or server might undo
            decoded, before = unquote(decoded), decoded
            if decoded == before:
                break
        if "\\" in decoded or any(part in (".", "..") for part in decoded.split("/")):
            raise refused
        if _SCHEME_RE.match(decoded) or decoded.startswith("/"):
            raise refused
        return self._prefix + path

    async def _locate(self, bid: str) -> Any:
        found = _BID_RE.fullmatch(bid)
        if not found:
            raise _ActionError(f"invalid element id {bid[:20]!r}: use the number in brackets")
        bid = found.group(1) or found.group(2)  # click("[12]") is click("12"): it was refused
        # bounded: these queries have no timeout of their own, and on a page whose script
        # never ends (a loop an earlier action started with a timer) they waited for ever, the
        # step ran out its budget and ended as infra_error (a TimeoutError: the page is checked)
        return await asyncio.wait_for(self._find(bid), self.action_timeout_ms / 1000)

    async def _find(self, bid: str) -> Any:
        assert self.slot is not None
        locator = self.slot.page.locator(f'[data-gh-bid="{bid}"]')
        if await locator.count() == 0:
            raise _ActionError(f"no element with id {bid} on this page")
        element = locator.first
        # refuse at once what Playwright would wait the whole timeout for
        if not await element.is_visible():
            raise _ActionError(f"element {bid} is not visible")
        if not await element.is_enabled():
            raise _ActionError(f"element {bid} is disabled")
        return element

    async def _execute(self, action: BrowserAction) -> None:
        assert self.slot is not None
        page, t, a = self.slot.page, self.action_timeout_ms, action.args
        name = action.name

        def bounded(call: Any) -> Any:
            # raw input has no timeout of its own: on a page whose script never ends it waited
            # for ever (asyncio.TimeoutError, then the page is checked)
            return asyncio.wait_for(call, t / 1000)

        if name == "click":
            await (await self._locate(a[0])).click(timeout=t)
        elif name == "fill":
            await (await self._locate(a[0])).fill(a[1], timeout=t)
        elif name == "select_option":
            element = await self._locate(a[0])
            # which option matches, asked at once: Playwright would wait the whole timeout for
            # an option that is not there, once by label and once more by value
            match = await bounded(element.evaluate(_OPTION_JS, a[1]))
            if match == "":
                raise _ActionError(f"select_option: element {a[0]} has no option {a[1][:100]!r}")
            # no <select> (null): Playwright says so at once
            how, option = match if isinstance(match, list) else ("label", a[1])
            await element.select_option(**{how: option}, timeout=t)
        elif name in ("check", "uncheck", "hover", "focus"):
            element = await self._locate(a[0])
            await getattr(element, name)(timeout=t)
        elif name == "press":
            key = a[-1]
            if not _KEY_RE.fullmatch(key):
                raise _ActionError(f"press: {key[:40]!r} is not a key name (e.g. Enter, Tab)")
            target = await self._locate(a[0]) if len(a) == 2 else page.keyboard
            try:
                await (target.press(key, timeout=t) if len(a) == 2 else bounded(target.press(key)))
            except Exception:
                # Playwright presses a chord's keys down one by one and fails at an unknown
                # one: `Shift+Foo` left Shift held, so every later click was a shift-click
                # (which the page guard turns into nothing), in this episode and the next ones
                # of the reused context, where the right click then earned nothing
                await _release_keys(page, reversed(_chord_keys(key)[:-1]))
                raise
        elif name == "drag":
            boxes = []
            for bid in a:
                box = await (await self._locate(bid)).bounding_box(timeout=t)
                if box is None:
                    raise _ActionError(f"drag: element {bid} is not visible")
                boxes.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
            await bounded(page.mouse.move(*boxes[0]))
            await bounded(page.mouse.down())
            try:
                await bounded(page.mouse.move(*boxes[1], steps=5))
            finally:  # never left pressed for the next action or episode
                await _quietly(page.mouse.up())
        elif name == "scroll":
            await bounded(page.mouse.wheel(a[0], a[1]))
        elif name == "mouse_click":
            w, h = self.slot.viewport["width"], self.slot.viewport["height"]
            if not (0 <= a[0] < w and 0 <= a[1] < h):
                raise _ActionError(f"mouse_click: ({a[0]}, {a[1]}) is outside the {w}x{h} page")
            await bounded(page.mouse.click(a[0], a[1]))
        elif name == "goto":
            await page.goto(self._resolve_url(a[0]), timeout=t * 2)
            if not page.url.startswith(self._prefix):
                raise _ActionError(f"goto: only pages of {SITE_ORIGIN} can be opened")
        elif name == "go_back":
            await page.go_back(timeout=t)
            if not page.url.startswith(self._prefix):  # never back into an earlier episode
                await page.go_forward(timeout=t)
                raise _ActionError("go_back: no previous page in this episode")
        elif name == "noop":
            pass

    def _message(self, text: str, image: str | None) -> Message:
        text = encodable(text)  # page text is the page's: never a lone surrogate on the wire
        if image is None:
            return Message(role="user", content=text)
        return Message(role="user", content=[TextPart(text=text), ImagePart(image=image)])


# the option of a <select> the wanted text names, as [how, text] for Playwright ("label" or
# "value", and the option's own text): its label or value exactly, else the one label equal to
# it case and runs of spaces aside (select_option("3", " red") was refused for the option Red);
# "" for none, null when the element is no <select>. The element is first taken as Playwright
# takes it: a <label> (or text inside one) stands for its control, so select_option on the label
# of a <select> missing the option held the step for a whole action timeout
_OPTION_JS = r"""(el, want) => {
  const own = 'a, input, textarea, button, select, [role=link], [role=button], [role=checkbox], '
    + '[role=radio]';
  if (!el.matches(own) && !el.isContentEditable) {
    const label = el.closest('label');
    if (label && label.control) el = label.control;
  }
  if (el.tagName !== 'SELECT') return null;
  const options = Array.from(el.options);
  if (options.some((o) => o.label === want)) return ['label', want];
  if (options.some((o) => o.value === want)) return ['value', want];
  const norm = (text) => text.replace(/\s+/g, ' ').trim().toLowerCase();
  const close = options.filter((o) => norm(o.label) === norm(want));
  return close.length === 1 ? ['label', close[0].label] : '';
}"""


_MODIFIERS = ("Shift", "Control", "Alt", "Meta")


def _chord_keys(chord: str) -> list[str]:
    """The keys of a chord as Playwright splits it (`Control++` is Control and `+`)."""
    keys, building = [], ""
    for char in chord:
        if char == "+" and building:
            keys.append(building)
            building = ""
        else:
            building += char
    keys.append(building)
    return keys


async def _release_keys(page: Any, keys: Any) -> None:
    """Let go of `keys` (those never pressed or unknown are skipped)."""
    for key in keys:
        await _quietly(page.keyboard.up(key))


async def _quietly(call: Any) -> None:
    """Await an input call that may fail or never end (a page that stopped responding)."""
    try:
        await asyncio.wait_for(call, _RESPONSIVE_S)
    except Exception:
        pass


class _ActionError(Exception):
    """An action the page refused; reported to the policy as the last action error."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^\w+\.\w+: ", "", text)
    return text[:300]
