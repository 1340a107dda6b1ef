"""What a long conversation record costs the cyclic garbage collector: one full collection with
N plain-text messages held in a `Conversation` against the same messages in a plain list of
pydantic `Message`s (the baseline), in the same process.

    .venv/bin/python benchmarks/conversation_gc.py [--messages 100000]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from gymhub.conversation import Conversation
from gymhub.types import Action, Message


def _full_collection_ms(holder: list[Message] | Conversation, messages: int) -> float:
    for i in range(messages // 2):
        holder.append(Message(role="user", content=f"observation {i}"))
        holder.append(Action(content=f"action {i}"))
    gc.collect()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        gc.collect()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    gc.collect()
    gc.freeze()  # as the server does after start-up: only what the record adds is measured
    base = _full_collection_ms([], args.messages)
    ours = _full_collection_ms(Conversation(), args.messages)
    print(f"full collection with {args.messages} messages held")
    print(f"  list of Message: {base:8.2f} ms")
    print(f"  Conversation:    {ours:8.2f} ms   ({base / max(ours, 1e-9):.0f}x less)")


if __name__ == "__main__":
    main()
