"""The conversation record: list-like, copies in and out, and cheap for the cyclic GC."""

from __future__ import annotations

import copy
import gc
import pickle

import pytest

import gymhub
from gymhub.conversation import Conversation
from gymhub.types import Action, Message, TextPart, ToolCall


def test_behaves_like_a_list_of_messages():
    c = Conversation([Message(role="system", content="s"), Message(role="user", content="u")])
    c.append(Action(content="a"))
    c.extend([Message(role="tool", content="t", tool_call_id="c1", name="calc")])
    assert len(c) == 4
    assert [m.role for m in c] == ["system", "user", "assistant", "tool"]
    assert type(c[2]) is Action and type(c[0]) is Message
    assert c[-1].tool_call_id == "c1" and c[-1].name == "calc"
    assert [m.content for m in c[1:3]] == ["u", "a"]
    assert c == list(c) and c != list(c)[:-1]
    del c[0]
    c.insert(0, Message(role="system", content="s2"))
    c[1] = Message(role="user", content="u2")
    assert [m.content for m in c] == ["s2", "u2", "a", "t"]
    assert c.pop().content == "t"
    joined = c + [Message(role="user", content="x")]
    assert type(joined) is list and len(joined) == 4 and len([*c] + c) == 6
    assert c.copy() == c and c.copy() is not c
    c.clear()
    assert len(c) == 0 and c == []


def test_what_it_returns_cannot_change_the_record():
    original = Message(role="user", content="question")
    c = Conversation([original])
    original.content = "changed after insertion"
    read = c[0]
    read.content = "changed after reading"
    assert c[0].content == "question"


def test_structured_messages_round_trip():
    parts = Message(role="user", content=[TextPart(text="look")])
    call = Action(content="", tool_calls=[ToolCall(id="1", name="f", arguments={"x": 1})])
    c = Conversation([parts, call])
    assert c[0] == parts and c[1] == call
    c[1].tool_calls[0].arguments["x"] = 2
    assert c[1].tool_calls[0].arguments == {"x": 1}


def test_copy_deepcopy_and_pickle_are_equal():
    c = Conversation([Message(role="user", content="u"), Action(content="a")])
    for other in (copy.copy(c), copy.deepcopy(c), pickle.loads(pickle.dumps(c))):
        assert other == c and other is not c
        other.append(Message(role="user", content="more"))
        assert len(c) == 2


def test_rejects_what_is_not_a_message():
    c = Conversation()
    with pytest.raises(TypeError, match="Messages"):
        c.append("plain text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Conversation([{"role": "user", "content": "x"}])  # type: ignore[list-item]


def test_plain_text_messages_are_not_tracked_by_the_gc():
    """Thousands of stored messages add (almost) nothing a full collection has to walk."""
    c = Conversation()
    gc.collect()
    before = len(gc.get_objects())
    for i in range(5000):
        c.append(Message(role="user", content=f"m{i}"))
        c.append(Action(content=f"a{i}"))
    gc.collect()
    assert len(gc.get_objects()) - before < 100


def test_env_keeps_its_conversation_as_a_record():
    env = gymhub.make("gymhub/GuessNumber-v0")
    observation, _ = env.reset(seed=0)
    env.step("20")
    assert isinstance(env.conversation, Conversation)
    assert env.conversation[0] == observation.messages[0]
    assert env.conversation[1] == Action(content="20")
    assert len(env.conversation) == 3
    env.reset(seed=1)
    assert len(env.conversation) == len(env.reset(seed=1)[0].messages)
