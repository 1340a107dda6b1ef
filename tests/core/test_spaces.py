from __future__ import annotations

from gymhub.spaces import ChatActionSpace, ChatObservationSpace
from gymhub.types import Action, Message, Observation


def test_contains_is_a_real_check():
    obs_space, act_space = ChatObservationSpace(), ChatActionSpace(max_chars=10)
    assert obs_space.contains(Observation(messages=[Message(role="user", content="x")]))
    assert not obs_space.contains({"messages": []})
    assert not obs_space.contains("text")
    assert act_space.contains("short")
    assert not act_space.contains("x" * 11)
    assert act_space.contains(Action(content="ok"))
    assert not act_space.contains(Message(role="user", content="ok"))
    assert not act_space.contains(5)


def test_sample_is_seeded_and_valid():
    a, b = ChatActionSpace(seed=7), ChatActionSpace(seed=7)
    samples_a = [a.sample() for _ in range(20)]
    assert samples_a == [b.sample() for _ in range(20)]
    assert all(a.contains(s) for s in samples_a)
    assert len({s.content for s in samples_a}) > 5
    o = ChatObservationSpace(seed=1)
    assert all(o.contains(o.sample()) for _ in range(10))
