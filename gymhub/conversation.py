"""The conversation record an env keeps: a list of messages stored so that long episodes stay
cheap for the garbage collector.

A pydantic `Message` is two objects the cyclic GC tracks; a server holding hundreds of long
multi-turn sessions accumulates millions of them, and every full collection walks them all (tens
of milliseconds per hundred thousand messages: the step-latency tail). Plain-text messages, by far
the common case, are stored here as tuples of strings, which the GC stops tracking, and are
rebuilt as messages when read. Messages with tool calls or content parts are stored as copies.
Reading always returns a fresh message, so a caller cannot change the record through what it got.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSequence
from typing import Any, overload

from gymhub.types import Action, Message

# An entry is (kind, role, content, tool_call_id, name) of plain strings, or a Message copy.
_MESSAGE, _ACTION = 0, 1
_KINDS: dict[type, int] = {Message: _MESSAGE, Action: _ACTION}


def _pack(message: Message) -> Any:
    if not isinstance(message, Message):
        raise TypeError(f"a conversation holds gymhub Messages, got {type(message).__name__}")
    if isinstance(message.content, str) and not message.tool_calls and type(message) in _KINDS:
        return (
            _KINDS[type(message)],
            message.role,
            message.content,
            message.tool_call_id,
            message.name,
        )
    return message.model_copy(deep=True)


def _unpack(entry: Any) -> Message:
    if type(entry) is not tuple:
        return entry.model_copy(deep=True)
    kind, role, content, tool_call_id, name = entry
    fields: dict[str, Any] = {"role": role, "content": content}
    if tool_call_id is not None:
        fields["tool_call_id"] = tool_call_id
    if name is not None:
        fields["name"] = name
    # The fields were validated when the message was first built: no need to validate again.
    return (Action if kind == _ACTION else Message).model_construct(**fields)


class Conversation(MutableSequence[Message]):
    """A mutable sequence of messages (list-like: index, slice, append, extend, clear, ==)."""

    __slots__ = ("_entries",)

    def __init__(self, messages: Iterable[Message] = ()) -> None:
        self._entries: list[Any] = [_pack(m) for m in messages]

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Message: ...

    @overload
    def __getitem__(self, index: slice) -> list[Message]: ...

    def __getitem__(self, index: int | slice) -> Message | list[Message]:
        if isinstance(index, slice):
            return [_unpack(e) for e in self._entries[index]]
        return _unpack(self._entries[index])

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            self._entries[index] = [_pack(m) for m in value]
        else:
            self._entries[index] = _pack(value)

    def __delitem__(self, index: int | slice) -> None:
        del self._entries[index]

    def insert(self, index: int, value: Message) -> None:
        self._entries.insert(index, _pack(value))

    def append(self, value: Message) -> None:
        self._entries.append(_pack(value))

    def extend(self, values: Iterable[Message]) -> None:
        self._entries.extend(_pack(m) for m in values)

    def clear(self) -> None:
        self._entries.clear()

    def __iter__(self) -> Iterator[Message]:
        return map(_unpack, self._entries)

    def copy(self) -> Conversation:
        return self.__copy__()

    def __add__(self, other: Iterable[Message]) -> list[Message]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Message]) -> list[Message]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Conversation):
            return self._entries == other._entries
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like list

    def __repr__(self) -> str:
        return f"Conversation({list(self)!r})"

    def __copy__(self) -> Conversation:
        copy = Conversation()
        copy._entries = list(self._entries)
        return copy

    def __deepcopy__(self, memo: dict[int, Any]) -> Conversation:
        return self.__copy__()  # entries are immutable tuples or private copies

    def __reduce__(self) -> tuple[Any, ...]:
        return (Conversation, (list(self),))
