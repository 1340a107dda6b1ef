"""More ways a policy could be paid for a web or GUI task it did not do, or make the hub report
its own failure (`infra_error`) for what the policy did; each was found by trying it on a real
Chromium and is fixed. The older probes are in test_hostile_actions.py and test_site_boundary.py.
"""

from __future__ import annotations

import json
import random
import time

import pytest

import gymhub
from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.envs.web.server import SiteState
from gymhub.envs.web.tasks import TASKS
from gymhub.types import Action, ToolCall


def _bid(text: str, role: str) -> str:
    line = next(line for line in text.splitlines() if f"] {role}" in line)
    return line.split("]")[0].strip(" [")


def _textbox(text: str) -> str:
    return next(line for line in text.splitlines() if "] textbox" in line)


@pytest.mark.browser
def test_the_clipboard_carries_nothing_between_episodes(host: BrowserHost) -> None:
    # Chromium has one clipboard for all its contexts: text copied in one episode was pasted
    # in another (a concurrent rollout, or the next episode of the same env).
    first = gymhub.make("gymhub/Web-EnterText-v0", max_steps=50)
    second = gymhub.make("gymhub/Web-EnterText-v0", max_steps=50)
    try:
        obs_a, _ = first.reset(seed=0)
        obs_b, _ = second.reset(seed=1)
        a, b = _bid(obs_a.messages[1].text, "textbox"), _bid(obs_b.messages[1].text, "textbox")
        first.step(f'fill("{a}", "COPIED-ELSEWHERE")')
        for copy, paste in (("Control+c", "Control+v"), ("Control+Insert", "Shift+Insert")):
            for key in ("Control+a", copy, "Control+x"):
                obs, *_, info = first.step(f'press("{a}", "{key}")')
                assert info["last_action_error"] is None and not info["infra_error"]
            obs, *_, info = second.step(f'press("{b}", "{paste}")')
            assert not info["infra_error"]
            assert 'value=""' in _textbox(obs.text), obs.text
        obs, _ = first.reset(seed=2)  # the next episode of the same env (a reused context)
        a = _bid(obs.messages[1].text, "textbox")
        obs, *_ = first.step(f'press("{a}", "Control+v")')
        assert 'value=""' in _textbox(obs.text)
        # typing still works, and the field kept its text (cut was refused too)
        obs, *_ = second.step(f'fill("{b}", "typed")')
        assert 'value="typed"' in _textbox(obs.text)
    finally:
        first.close()
        second.close()


@pytest.mark.browser
def test_search_open_pays_only_a_result_the_search_showed(host: BrowserHost) -> None:
    # Opening an item page ended the episode as "found": goto("item/N") guessed blind, without
    # any search, was paid whenever N happened to be the target.
    env = gymhub.make("gymhub/Web-SearchOpen-v0")
    try:
        env.reset(seed=0)
        target = env.web_task.target  # type: ignore[union-attr]
        _, reward, terminated, _, info = env.step(f'goto("item/{target}")')
        assert terminated and reward == 0 and info["verdict"] == "incorrect"
        # a search that does not list the target does not make it found either
        obs, _ = env.reset(seed=0)
        box = _bid(obs.messages[1].text, "searchbox")
        env.step(f'fill("{box}", "zzzz")')
        env.step(f'press("{box}", "Enter")')
        _, reward, terminated, *_ = env.step(f'goto("http://task.local/item/{target}")')
        assert terminated and reward == 0
        # the asked way still pays: search, then open the result (even by its address)
        obs, _ = env.reset(seed=0)
        box = _bid(obs.messages[1].text, "searchbox")
        env.step(f'fill("{box}", "{env.web_task.query}")')  # type: ignore[union-attr]
        env.step(f'press("{box}", "Enter")')
        _, reward, terminated, *_ = env.step(f'goto("/item/{target}")')
        assert terminated and reward == 1
    finally:
        env.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("action", "message"),
    [
        ('click("3\\n")', "invalid element id"),  # `$` matched before a final newline
        ('click("\u0663")', "invalid element id"),  # an Arabic-Indic three is no element id
        ('press("Enter\\n")', "is not a key name"),
        ('press("3\\n", "Enter")', "invalid element id"),
    ],
)
def test_element_ids_and_key_names_are_matched_whole(
    host: BrowserHost, action: str, message: str
) -> None:
    # a newline reached Playwright's CSS parser ("Unsupported token BADSTRING") and its key
    # table; now it is refused as the policy's own error before the browser sees it
    env = BrowserEnv(task="EnterText")
    try:
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step(action)
        assert message in info["last_action_error"]
        assert (reward, terminated, info["infra_error"]) == (0.0, False, False)
    finally:
        env.close()


def _clicks(*points: object) -> Action:
    calls = [
        ToolCall(id=f"c{i}", name="click", arguments=arguments)
        for i, arguments in enumerate(points)
    ]
    return Action(content="", tool_calls=calls)


@pytest.mark.browser
def test_gui_tool_call_coordinates_of_any_size(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/GUIGround-v0")
    try:
        env.reset(seed=0)
        x1, y1, x2, y2 = env.box  # type: ignore[misc]
        hit = {"x": (x1 + x2) / 2, "y": (y1 + y2) / 2}
        # an int too big for a float raised OverflowError out of step()
        huge = '{"x": ' + "9" * 400 + ', "y": 5}'
        for answer in (_clicks(huge), _clicks('{"x": -' + "9" * 400 + ', "y": 1e999}')):
            env.reset(seed=0)
            _, reward, terminated, _, info = env.step(answer)
            assert terminated and reward == 0 and not info["infra_error"]
            assert info["verdict"] in ("incorrect", "unparseable")
        # a second point written as 1e-07 became "click(1e-07, 300.0)", which the verifier
        # does not read: the hedge was paid as a single hit
        for second in ({"x": 1e-7, "y": 300}, {"x": 5, "y": 1e-9}, {"x": -1e-6, "y": 2}):
            env.reset(seed=0)
            _, reward, *_, info = env.step(_clicks(hit, second))
            assert (reward, info["verdict"]) == (0.0, "incorrect"), second
        env.reset(seed=0)
        _, reward, *_ = env.step(_clicks(hit, '{"x": NaN, "y": 3}'))  # NaN names no point
        assert reward == 1
        env.reset(seed=0)
        _, reward, *_ = env.step(_clicks(hit, dict(hit)))  # the same point twice is one answer
        assert reward == 1
    finally:
        env.close()


@pytest.mark.browser
def test_gui_reads_text_tool_calls_at_the_end_of_a_long_reply(host: BrowserHost) -> None:
    # the reply's first 100,000 characters were scanned, in time quadratic in the length (a
    # reply of `<tool_call>{` repeated took 8 s); now its last 20,000, where the answer is
    env = gymhub.make("gymhub/GUIGround-v0")
    try:
        env.reset(seed=3)
        x1, y1, x2, y2 = env.box  # type: ignore[misc]
        call = (
            '<tool_call>{"name": "click", "arguments": '
            f'{{"x": {(x1 + x2) / 2}, "y": {(y1 + y2) / 2}}}}}</tool_call>'
        )
        _, reward, *_ = env.step("Let me look. " * 20_000 + call)
        assert reward == 1
        env.reset(seed=3)
        start = time.monotonic()
        _, reward, *_, info = env.step("<tool_call>{" * 40_000)
        assert time.monotonic() - start < 3
        assert reward == 0 and not info["infra_error"]
    finally:
        env.close()


def test_read_report_hedges_spelled_another_way_are_not_paid() -> None:
    # The check counted only `AB-1234`-shaped codes, so a second candidate written `CD 5678`,
    # `cd_5678` or `CD5678`, or another product's number alone, slipped past the hedge rule.
    for seed in range(20):
        task = TASKS["ReadReport"](random.Random(seed), 3)
        sku = task.skus[task.target]
        other = next(s for s in task.skus if s != sku)
        letters, digits = other.split("-")

        def score(message: str, task=task) -> float:
            return task.score(SiteState(), message)[0]

        for answer in (sku, sku.lower(), f"The SKU is {sku}.", f"SKU: {sku} ({sku})"):
            assert score(answer) == 1.0, answer
        for hedge in (
            f"{sku} or {letters} {digits}",
            f"{sku} or {letters.lower()}_{digits}",
            f"{sku} or {letters}{digits}",
            f"{sku} / {letters}\u2014{digits}",
            f"{sku}, maybe {digits}",
            f"{letters} {digits}",
        ):
            assert score(hedge) == 0.0, hedge


@pytest.mark.browser
def test_the_real_address_never_shows_even_cut_short(host: BrowserHost) -> None:
    # A link dragged onto a text field drops its real URL (127.0.0.1:PORT/ep/TOKEN/...) into the
    # field. The page cut long values at 200 characters before the env replaced the address, so
    # a URL that straddled the cut showed the port and the start of the episode's token.
    env = gymhub.make("gymhub/Web-SearchOpen-v0", max_steps=50)
    try:
        obs, _ = env.reset(seed=0)
        box = _bid(obs.messages[1].text, "searchbox")
        env.step(f'fill("{box}", "a")')
        obs, *_ = env.step(f'press("{box}", "Enter")')
        box, link = _bid(obs.text, "searchbox"), _bid(obs.text, "link")
        obs, *_, info = env.step(f'drag("{link}", "{box}")')  # the drop, as a policy does it
        assert info["last_action_error"] is None
        assert env.host is not None and env.site is not None and env.slot is not None
        # the drag no longer drops anything (next test); a value holding the address is set
        # directly to check the tree's replacement at every cut
        port, token = f":{env.host.server.port}", env.site.token
        real = f"{env.host.server.origin}{env.site.prefix}item/0"
        set_value = "([v]) => { document.querySelector('#q').value = v; }"
        for filler in range(160, 201, 3):  # the same drop, placed at every cut position
            host.run(env.slot.page.evaluate(set_value, ["x" * filler + real]), timeout=30)
            obs, *_ = env.step("noop()")
            shown = next(line for line in obs.text.splitlines() if "] searchbox" in line)
            for part in ("127.0.0", "task.local:", "/ep/", token[:4], port):
                assert part not in shown, (filler, shown)
    finally:
        env.close()


@pytest.mark.browser
def test_a_dragged_link_drops_no_address_into_a_field(host: BrowserHost) -> None:
    """A link dragged onto a text field typed its real URL (127.0.0.1:PORT/ep/TOKEN/...) into
    the field: the tree replaced it, the screenshot showed it. Native drag never starts now,
    and DragItem (which follows the mouse) still pays."""
    env = gymhub.make("gymhub/Web-SearchOpen-v0", max_steps=50, screenshot=True)
    try:
        obs, _ = env.reset(seed=0)
        box = _bid(obs.messages[1].content[0].text, "searchbox")
        env.step(f'fill("{box}", "a")')
        obs, *_ = env.step(f'press("{box}", "Enter")')
        text = obs.messages[0].content[0].text
        box, link = _bid(text, "searchbox"), _bid(text, "link")
        obs, *_, info = env.step(f'drag("{link}", "{box}")')
        assert info["last_action_error"] is None and not info["infra_error"]
        assert env.host is not None and env.site is not None and env.slot is not None
        value = host.run(env.slot.page.evaluate("document.querySelector('#q').value"))
        assert value == "", value  # what the screenshot shows
        assert 'searchbox "Search" value=""' in obs.messages[0].content[0].text
    finally:
        env.close()
    env = gymhub.make("gymhub/Web-DragItem-v0")
    try:
        env.reset(seed=0)
        rewards = [env.step(env.reference_action())[1] for _ in range(2)]
        assert rewards == [0.0, 1.0]
    finally:
        env.close()


@pytest.mark.browser
def test_going_back_never_posts_a_form_again(host: BrowserHost) -> None:
    # "Add to cart" answered its post with the shop page itself; going back to that page (from
    # the cart, say) made Chromium post the form again and the cart silently grew.
    env = gymhub.make("gymhub/Web-ShopCheckout-v0", max_steps=50)
    try:
        obs, _ = env.reset(seed=0)
        assert env.site is not None
        obs, *_ = env.step(f'click("{_bid(obs.messages[1].text, "button")}")')
        assert env.site.state.data["cart"] == [0]
        obs, *_, info = env.step(f'click("{_bid(obs.text, "link")}")')  # "Cart (1)"
        assert info["url"] == "http://task.local/cart"
        obs, *_, info = env.step("go_back()")
        assert info["last_action_error"] is None and info["url"] == "http://task.local/shop"
        assert env.site.state.data["cart"] == [0] and '"Cart (1)"' in obs.text
        obs, *_, info = env.step("go_back()")  # to the first page, never re-posting anything
        assert env.site.state.data["cart"] == [0]
    finally:
        env.close()


def test_the_cart_is_frozen_once_checkout_is_posted() -> None:
    # check() reads the cart when it scores: a post that changed it after checkout (a window
    # the policy opened earlier, still loading) counted as bought before checkout
    task = TASKS["ShopCheckout"](random.Random(0), 2)
    state = SiteState()
    for i in task.targets:
        task.render("POST", "cart/add", {"id": [str(i)]}, state)
    assert state.data["cart"] == task.targets
    task.render("POST", "submit", {"name": [task.buyer]}, state)
    assert state.done
    extra = next(i for i in range(len(task.products)) if i not in task.targets)
    assert task.render("POST", "cart/add", {"id": [str(extra)]}, state) is None
    assert task.render("POST", "cart/remove", {"id": [str(task.targets[0])]}, state) is None
    assert state.data["cart"] == task.targets and task.score(state, None)[0] == 1.0


@pytest.mark.browser
def test_read_report_hedge_through_the_browser(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-ReadReport-v0")
    try:
        for answer, paid in ((None, 1.0), ("{sku} or {letters} {digits}", 0.0)):
            obs, _ = env.reset(seed=4)
            task = env.web_task
            assert task is not None
            sku = task.skus[task.target]
            letters, digits = next(s for s in task.skus if s != sku).split("-")
            obs, *_ = env.step(f'click("{env.elements[f"p{task.target}"]}")')
            assert f"SKU: {sku}" in obs.text
            text = sku if answer is None else answer.format(sku=sku, letters=letters, digits=digits)
            _, reward, terminated, _, info = env.step(f'send_msg("{text}")')
            assert terminated and reward == paid and not info["infra_error"]
    finally:
        env.close()


@pytest.mark.browser
def test_read_report_sku_written_with_a_typographic_dash_is_paid(host: BrowserHost) -> None:
    """Chat models often print `-` as U+2011 (non-breaking hyphen) or an en dash: the asked SKU
    so written scored 0. Another product's SKU so written is still a second candidate."""
    env = gymhub.make("gymhub/Web-ReadReport-v0")
    try:
        for dash in ("\u2011", "\u2010", "\u2013", "\u2212"):
            for hedge in (False, True):
                env.reset(seed=4)
                task = env.web_task
                assert task is not None
                sku = task.skus[task.target]
                obs, *_ = env.step(f'click("{env.elements[f"p{task.target}"]}")')
                assert f"SKU: {sku}" in obs.text
                text = sku.replace("-", dash)
                if hedge:
                    text += " or " + next(s for s in task.skus if s != sku).replace("-", dash)
                _, reward, terminated, _, info = env.step(f'send_msg("The SKU is {text}.")')
                assert terminated and not info["infra_error"]
                assert reward == (0.0 if hedge else 1.0), (dash, hedge)
    finally:
        env.close()


@pytest.mark.browser
def test_gui_text_tool_calls_are_read_after_the_reasoning(host: BrowserHost) -> None:
    # a draft call inside <think> counted as a second answer (a hedge, 0) though the verifier
    # reads a text answer after the reasoning only; a call only inside <think> is no answer
    env = gymhub.make("gymhub/GUIGround-v0")

    def call(x: float, y: float) -> str:
        return f'<tool_call>{{"name": "click", "arguments": {{"x": {x}, "y": {y}}}}}</tool_call>'

    try:
        env.reset(seed=5)
        x1, y1, x2, y2 = env.box  # type: ignore[misc]
        hit, miss = call((x1 + x2) / 2, (y1 + y2) / 2), call(x2 + 50, y2 + 50)
        _, reward, *_ = env.step(f"<think>maybe {miss}? no.</think>{hit}")
        assert reward == 1
        env.reset(seed=5)
        _, reward, *_, info = env.step(f"<think>{hit}</think>I am not sure.")
        assert reward == 0 and info["verdict"] == "unparseable"
        env.reset(seed=5)
        _, reward, *_, info = env.step(f"<think>hmm</think>{hit} {miss}")
        assert reward == 0 and info["verdict"] == "incorrect"
    finally:
        env.close()


@pytest.mark.browser
def test_web_actions_are_read_after_the_reasoning(host: BrowserHost) -> None:
    # the first tool call of the text ran even when it was a draft inside <think>: a guessed
    # send_msg in the reasoning ended the episode in place of the reply's final call
    env = gymhub.make("gymhub/Web-ReadReport-v0")

    def call(name: str, **arguments: str) -> str:
        return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"

    try:
        obs, _ = env.reset(seed=4)
        task = env.web_task
        assert task is not None
        sku = task.skus[task.target]
        draft = call("send_msg", text="ZZ-0000")
        obs, _, terminated, _, info = env.step(
            f"<think>Maybe {draft}? No, open it first.</think>"
            + call("click", bid=env.elements[f"p{task.target}"])
        )
        assert not terminated and f"SKU: {sku}" in obs.text
        _, reward, terminated, *_ = env.step(f"<think>{draft}</think>{call('send_msg', text=sku)}")
        assert terminated and reward == 1
        obs, _ = env.reset(seed=4)
        _, reward, terminated, _, info = env.step(f"<think>I will {call('send_msg', text=sku)}")
        assert not terminated and "no action found" in info["last_action_error"]
    finally:
        env.close()


@pytest.mark.browser
def test_browser_internal_schemes_are_refused(host: BrowserHost) -> None:
    # not bugs: the schemes test_site_boundary.py does not name, kept refused
    env = gymhub.make("gymhub/Web-EnterText-v0", max_steps=50)
    try:
        env.reset(seed=0)
        origin = f"{host.server.origin}/"
        for url in (
            "view-source:http://task.local/",
            f"view-source:{origin}",
            "chrome://settings",
            "chrome://crash",
            "chrome://kill",
            "devtools://devtools/bundled/inspector.html",
            "blob:http://task.local/0",
            "filesystem:http://task.local/temporary/x",
            "ws://task.local/",
            "http://task.local:80/",
            "HTTP://TASK.LOCAL/../",
            "\u3000javascript:alert(1)",
        ):
            obs, _, terminated, _, info = env.step(f"goto({url!r})")
            assert not terminated and not info["infra_error"], url
            assert info["last_action_error"], url
            assert info["url"] == "http://task.local/", url
        obs, *_ = env.step("noop()")
        assert '] textbox "Text"' in obs.text
        # a scheme-like first segment of a path is just a path of the site (a 404 page)
        obs, *_, info = env.step('goto("http://task.local/javascript:alert(1)")')
        assert info["url"] == "http://task.local/javascript:alert(1)" and "Not found" in obs.text
    finally:
        env.close()


@pytest.mark.browser
def test_a_modified_click_does_the_same_nothing_every_time(host: BrowserHost) -> None:
    # Shift/Control+Enter on a submit button posted the form in a new window, which the env
    # closed as it opened: whether the post reached the server first was a race, so the same
    # actions were paid in some runs (sometimes one step late) and not in others.
    env = gymhub.make("gymhub/Web-ClickButton-v0", max_steps=50)
    try:
        for seed in range(4):
            obs, _ = env.reset(seed=seed)
            assert env.web_task is not None and env.site is not None and env.slot is not None
            button = env.elements[f"b{env.web_task.target}"]
            for chord in ("Shift+Enter", "Control+Enter", "Alt+Enter", "Meta+Enter"):
                obs, reward, terminated, _, info = env.step(f'press("{button}", "{chord}")')
                assert (reward, terminated, info["infra_error"]) == (0.0, False, False)
            obs, reward, terminated, *_ = env.step("noop()")
            assert not terminated and not env.site.state.done and env.site.state.posts == []
            assert env.slot.context.pages == [env.slot.page]
            _, reward, terminated, *_ = env.step(f'press("{button}", "Enter")')  # the plain key
            assert terminated and reward == 1
    finally:
        env.close()


def test_a_browser_that_hangs_up_is_no_server_error(capfd: pytest.CaptureFixture[str]) -> None:
    # a page closed while its request was answered printed a BrokenPipeError traceback to the
    # hub's stderr, one per such request
    from gymhub.envs.web.server import TaskServer

    server = TaskServer()
    server.start()
    try:
        assert server._httpd is not None
        for error in (BrokenPipeError(), ConnectionResetError()):
            try:
                raise error
            except ConnectionError:
                server._httpd.handle_error(None, ("127.0.0.1", 1))
        assert "Traceback" not in capfd.readouterr().err
    finally:
        server.stop()


@pytest.mark.browser
def test_raw_input_that_posts_a_form_is_scored_in_the_same_step(host: BrowserHost) -> None:
    # A key pressed on the page, a click at coordinates or a drag released on a button started a
    # navigation that Playwright does not wait for: about half the time the form post reached
    # the server after the step had read its state, so the reward came a step late, or never
    # when that step was the last one (max_steps=2 here).
    env = gymhub.make("gymhub/Web-ClickButton-v0", max_steps=2)
    try:
        for seed in range(6):
            for way in ("key", "coordinates", "drag"):
                env.reset(seed=seed)
                assert env.web_task is not None and env.slot is not None
                button = env.elements[f"b{env.web_task.target}"]
                if way == "key":
                    env.step(f'focus("{button}")')
                    action = 'press("Enter")'
                elif way == "coordinates":
                    box = host.run(
                        env.slot.page.locator(f'[data-gh-bid="{button}"]').bounding_box(),
                        timeout=30,
                    )
                    assert box is not None
                    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                    env.step("noop()")
                    action = f"mouse_click({x}, {y})"
                else:
                    env.step("noop()")
                    action = f'drag("{button}", "{button}")'
                _, reward, terminated, truncated, info = env.step(action)
                assert (reward, terminated, truncated) == (1.0, True, False), (seed, way, info)
    finally:
        env.close()
