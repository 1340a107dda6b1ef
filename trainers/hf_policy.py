"""`HFPolicy`: a text-level `gymhub.Policy` over a local transformers model.

Concurrent `act` calls (one per live episode in `gymhub.rollout`) are gathered into one batched
`generate` call, run in a worker thread so the event loop keeps stepping environments.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from gymhub.policies import Policy
from gymhub.tools import parse_text_tool_calls
from gymhub.trainers.backends import HFBackend, SamplingParams
from gymhub.trainers.chat import ChatRenderer, message_dict
from gymhub.types import Action, Message, ToolSpec

if TYPE_CHECKING:
    from gymhub.env import Env


class HFPolicy(Policy):
    """Sample replies from a local HF causal LM: `HFPolicy("tiny")`, `HFPolicy("runs/demo/model")`
    or `HFPolicy(model=m, tokenizer=t)`. Tool calls written as `<tool_call>{json}</tool_call>` are
    returned as native `tool_calls` when the conversation offers tools."""

    name = "hf"

    def __init__(
        self,
        model_name_or_path: str | None = None,
        *,
        model: Any = None,
        tokenizer: Any = None,
        temperature: float = 0.0,
        max_new_tokens: int = 256,
        max_batch: int = 64,
        batch_wait_s: float = 0.005,
        device: str | None = None,
    ) -> None:
        if model is None or tokenizer is None:
            if model_name_or_path is None:
                raise ValueError("give a model name/path or both `model` and `tokenizer`")
            from gymhub.trainers.tiny import load_model_and_tokenizer

            model, tokenizer = load_model_and_tokenizer(model_name_or_path)
        if device is not None:
            model = model.to(device)
        self.model = model
        self.tokenizer = tokenizer
        self.renderer = ChatRenderer(tokenizer)
        self.backend = HFBackend(model, tokenizer, max_batch=max_batch)
        self.params = SamplingParams(max_new_tokens=max_new_tokens, temperature=temperature)
        self.batch_wait_s = batch_wait_s
        self.max_batch = max_batch
        self._queue: list[tuple[list[int], asyncio.Future[str]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def complete(
        self, conversations: list[list[Message]], tools: list[ToolSpec] | None = None
    ) -> list[str]:
        """Synchronous batched completion of several conversations (texts, special tokens removed)."""
        prompts = [self._encode(c, tools or []) for c in conversations]
        return [self.renderer.decode(g.ids) for g in self.backend.generate(prompts, self.params)]

    def _encode(self, conversation: list[Message], tools: list[ToolSpec]) -> list[int]:
        messages = [message_dict(m) for m in conversation]
        text = self.renderer.render(messages, tools, add_generation_prompt=True)
        return self.renderer.encode_messages(text, messages)

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        self._queue.append((self._encode(conversation, tools), future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        text = await future
        calls = parse_text_tool_calls(text) if tools else []
        return Action(content=text, tool_calls=calls or None)

    async def _flush(self) -> None:
        while self._queue:
            await asyncio.sleep(self.batch_wait_s)  # let concurrent episodes join the batch
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                gens = await asyncio.to_thread(
                    self.backend.generate, [p for p, _ in batch], self.params
                )
            except Exception as exc:
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), gen in zip(batch, gens):
                if not fut.done():
                    fut.set_result(self.renderer.decode(gen.ids))
