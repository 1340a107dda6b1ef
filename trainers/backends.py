"""Generation backends: token ids in, sampled token ids and their log-probabilities out.

`HFBackend` (default, CPU and GPU) samples with transformers' `generate` and its KV cache, in one
left-padded batch across every live episode. `VLLMBackend` is used when vLLM is installed; its
weights are synced in place from the trained model after every optimizer step.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any, Literal, Protocol

FinishReason = Literal["stop", "length"]


@dataclass(frozen=True)
class SamplingParams:
    """How to sample. `temperature=0` is greedy. Reported log-probs are those of the tempered
    full distribution (top_k/top_p are not applied to them)."""

    max_new_tokens: int = 64
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    #: always generate max_new_tokens (fixed-length sampling, for benchmarks)
    ignore_eos: bool = False

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")


@dataclass
class Generation:
    """One sampled continuation: the ids exactly as sampled (EOS included when the model stopped)
    and the sampler's log-prob of each."""

    ids: list[int]
    logprobs: list[float]
    finish: FinishReason


class GenerationBackend(Protocol):
    def generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]: ...

    def sync_weights(self, model: Any) -> None: ...


class HFBackend:
    """Batched sampling with `model.generate` (KV cache), left padding, log-probs from the raw
    logits of the same forward passes."""

    def __init__(self, model: Any, tokenizer: Any, max_batch: int = 256) -> None:
        if tokenizer.pad_token_id is None:
            raise ValueError("the tokenizer needs a pad token for batched generation")
        self.model = model
        self.tokenizer = tokenizer
        self.max_batch = max_batch
        eos = tokenizer.eos_token_id
        self.eos_ids = {eos} if isinstance(eos, int) else set(eos or [])
        extra = getattr(model.generation_config, "eos_token_id", None)
        if isinstance(extra, int):
            self.eos_ids.add(extra)
        elif extra:
            self.eos_ids.update(extra)
        self.pad_id = tokenizer.pad_token_id

    def sync_weights(self, model: Any) -> None:
        """The sampler is the trained model itself: nothing to copy."""
        self.model = model

    def generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        out: list[Generation] = []
        # similar lengths together: less padding
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        results: dict[int, Generation] = {}
        for start in range(0, len(order), self.max_batch):
            chunk = order[start : start + self.max_batch]
            for i, gen in zip(chunk, self._generate([prompts[i] for i in chunk], params)):
                results[i] = gen
        out = [results[i] for i in range(len(prompts))]
        return out

    def _generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        import torch

        if not prompts:
            return []
        if any(not p for p in prompts):
            raise ValueError("every prompt needs at least one token")
        device = next(self.model.parameters()).device
        width = max(len(p) for p in prompts)
        input_ids = torch.full((len(prompts), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(prompts), width), dtype=torch.long)
        for row, p in enumerate(prompts):
            input_ids[row, width - len(p) :] = torch.tensor(p, dtype=torch.long)
            attention[row, width - len(p) :] = 1
        greedy = params.temperature == 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": params.max_new_tokens,
            "do_sample": not greedy,
            "pad_token_id": self.pad_id,
            "eos_token_id": sorted(self.eos_ids),
            "output_logits": True,
            "return_dict_in_generate": True,
            "use_cache": True,
        }
        if not greedy:
            kwargs.update(temperature=params.temperature, top_k=params.top_k, top_p=params.top_p)
        if params.ignore_eos:
            kwargs["min_new_tokens"] = params.max_new_tokens
        was_training = self.model.training
        self.model.eval()
        # A checkpoint's generation_config.json may carry logits processors (Qwen2.5-Instruct's
        # repetition_penalty 1.05, suppress_tokens, no_repeat_ngram_size, ...) that `generate`
        # applies to every unset option: the ids would then be drawn from a distribution that
        # neither the reported log-probs nor the trainer's loss describe. Generation runs against
        # a neutral config; only what is passed here applies.
        from transformers import GenerationConfig

        owner = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        own_config = owner.generation_config
        owner.generation_config = GenerationConfig()
        try:
            with torch.no_grad():
                result = self.model.generate(
                    input_ids=input_ids.to(device), attention_mask=attention.to(device), **kwargs
                )
        finally:
            owner.generation_config = own_config
            if was_training:
                self.model.train()
        new = result.sequences[:, width:].cpu()
        logits = torch.stack(result.logits, dim=1).float()  # [B, steps, V]
        scale = 1.0 if greedy else params.temperature
        logp = torch.log_softmax(logits / scale, dim=-1)
        logp = logp.gather(-1, new.to(logp.device).unsqueeze(-1)).squeeze(-1).cpu()
        gens = []
        for row in range(len(prompts)):
            ids = new[row].tolist()
            cut, finish = len(ids), "length"
            for j, tok in enumerate([] if params.ignore_eos else ids):
                if tok in self.eos_ids:
                    cut, finish = j + 1, "stop"
                    break
            gens.append(Generation(ids[:cut], logp[row, :cut].tolist(), finish))  # type: ignore[arg-type]
        return gens


def vllm_available() -> bool:
    return importlib.util.find_spec("vllm") is not None


def _engine_takes(name: str) -> bool:
    """Whether the installed vLLM's engine takes the argument `name` (new ones come by version)."""
    import dataclasses

    from vllm.engine.arg_utils import EngineArgs

    return name in {f.name for f in dataclasses.fields(EngineArgs)}


class VLLMBackend:
    """A colocated vLLM engine (`vllm.LLM`), token ids in and out; after each optimizer step the
    trained weights are loaded into it in place (`load_weights`), so no checkpoint is written."""

    def __init__(self, model_path: str, gpu_memory_utilization: float = 0.3, **llm_kwargs: Any):
        if not vllm_available():
            raise RuntimeError("VLLMBackend needs vLLM: pip install vllm (GPU machines only)")
        from vllm import LLM

        if _engine_takes("logprobs_mode"):
            # vLLM's default reports log-probs of the raw logits, before temperature: the loss
            # and the importance weights compare them with log-probs of logits / temperature
            llm_kwargs.setdefault("logprobs_mode", "processed_logprobs")
        self.llm = LLM(
            model=model_path,
            gpu_memory_utilization=gpu_memory_utilization,
            enable_prefix_caching=True,
            **llm_kwargs,
        )

    def generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        from vllm import SamplingParams as VSamplingParams
        from vllm.inputs import TokensPrompt

        sp = VSamplingParams(
            max_tokens=params.max_new_tokens,
            temperature=params.temperature,
            top_p=params.top_p,
            top_k=params.top_k if params.top_k > 0 else -1,
            logprobs=0,
            ignore_eos=params.ignore_eos,
        )
        outputs = self.llm.generate([TokensPrompt(prompt_token_ids=p) for p in prompts], sp)
        gens = []
        for out in outputs:
            comp = out.outputs[0]
            ids = list(comp.token_ids)
            lps = [float(d[t].logprob) for d, t in zip(comp.logprobs or [], ids)]
            finish: FinishReason = "stop" if comp.finish_reason == "stop" else "length"
            gens.append(Generation(ids, lps or [0.0] * len(ids), finish))
        return gens

    def sync_weights(self, model: Any) -> None:
        state = model.state_dict()
        weights = [(name, tensor) for name, tensor in state.items()]

        def load(vmodel: Any) -> None:
            vmodel.load_weights(weights=weights)

        self.llm.apply_model(load)
        self.llm.reset_prefix_cache()
