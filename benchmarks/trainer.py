"""Trainer throughput: generation and update tokens per second, gymhub vs TRL side by side.

CPU mode (default): the embedded tiny model, P prompts x G completions of fixed length L (EOS
ignored), measured for gymhub's HF backend and GRPO update, then for TRL's GRPOTrainer with the
same model, batch and lengths, run in the same invocation inside TRL's own venv:

    python -m venv .bench-venv-trainer
    .bench-venv-trainer/bin/pip install torch==2.13.0 trl transformers   # CPU torch only
    .venv/bin/python benchmarks/trainer.py                  # add --no-trl to skip TRL

GPU mode: a Qwen2.5-0.5B-shaped random-init model in bf16 (tokens/s, peak memory, MFU):

    python benchmarks/trainer.py --mode gpu [--peak-tflops 989]

Tokens are completion tokens in both columns (the update also reads the prompt tokens).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".bench-venv-trainer"


def _samples(prompts: list[list[int]], gens, seed: int = 0) -> list[dict]:
    gen = torch.Generator().manual_seed(seed)
    adv = torch.randn(len(prompts), generator=gen).tolist()
    return [
        {
            "ids": p + g.ids,
            "mask": [0] * len(p) + [1] * len(g.ids),
            "sampler_logp": [0.0] * len(p) + list(g.logprobs),
            "adv": a,
        }
        for p, g, a in zip(prompts, gens, adv)
    ]


def measure_gymhub(args: argparse.Namespace, model_name: str, device: str) -> dict:
    from gymhub.trainers import GRPOConfig, GRPOTrainer
    from gymhub.trainers.backends import SamplingParams

    cfg = GRPOConfig(
        model=model_name,
        envs=["gymhub/ToyArith-v0"],
        group_size=args.group_size,
        prompts_per_step=args.prompts,
        max_new_tokens=args.new_tokens,
        max_turns=1,
        max_tokens=4096,
        learning_rate=1e-4,
        device=device,
        output_dir=str(ROOT / "runs" / "bench-trainer"),
        overwrite=True,
        progress=False,
        torch_threads=args.threads if device == "cpu" else None,
        grad_accum=args.grad_accum,
    )
    trainer = GRPOTrainer(cfg)
    tok = trainer.tokenizer
    texts = [f"Which digit repeats? {str(i % 10) * 10}" for i in range(args.prompts)]
    prompts = []
    for text in texts:
        rendered = tok.apply_chat_template(
            [{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True
        )
        ids = tok(rendered, add_special_tokens=False)["input_ids"]
        prompts += [ids] * args.group_size
    params = SamplingParams(max_new_tokens=args.new_tokens, temperature=1.0, ignore_eos=True)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    gen_times, upd_times = [], []
    for rep in range(args.warmup + args.steps):
        torch.manual_seed(rep)
        t0 = time.perf_counter()
        gens = trainer.backend.generate(prompts, params)
        if device == "cuda":
            torch.cuda.synchronize()
        t1 = time.perf_counter()
        trainer.update(_samples(prompts, gens, rep))
        if device == "cuda":
            torch.cuda.synchronize()
        t2 = time.perf_counter()
        if rep >= args.warmup:
            gen_times.append(t1 - t0)
            upd_times.append(t2 - t1)
    tokens = len(prompts) * args.new_tokens
    gen_s, upd_s = statistics.median(gen_times), statistics.median(upd_times)
    n_params = sum(p.numel() for p in trainer.model.parameters())
    out = {
        "params": n_params,
        "completion_tokens_per_step": tokens,
        "prompt_tokens": len(prompts[0]),
        "gen_tokens_per_s": tokens / gen_s,
        "update_tokens_per_s": tokens / upd_s,
        "tokens_per_s": tokens / (gen_s + upd_s),
        "step_s": gen_s + upd_s,
    }
    if device == "cuda":
        total = tokens + len(prompts) * len(prompts[0])
        peak = args.peak_tflops * 1e12
        out["peak_memory_gib"] = torch.cuda.max_memory_allocated() / 2**30
        out["update_mfu"] = 6 * n_params * total / upd_s / peak
        out["gen_mfu"] = 2 * n_params * tokens / gen_s / peak
        out["gpu"] = torch.cuda.get_device_name()
    trainer.close()
    return out


def measure_trl(args: argparse.Namespace) -> dict | None:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        print(f"(TRL skipped: {BENCH_VENV.name} not found; see this script's docstring)")
        return None
    payload = {
        "prompts": args.prompts,
        "group_size": args.group_size,
        "new_tokens": args.new_tokens,
        "steps": args.steps,
        "warmup": args.warmup,
        "threads": args.threads,
    }
    worker = ROOT / "benchmarks" / "trainer_trl_worker.py"
    result = subprocess.run(
        [str(python), str(worker), json.dumps(payload)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        print("(TRL run failed)\n" + result.stderr[-3000:])
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["cpu", "gpu"], default="cpu")
    parser.add_argument("--prompts", type=int, default=None)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=None)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--grad-accum", type=int, default=1)
    parser.add_argument(
        "--peak-tflops", type=float, default=989.0, help="dense bf16 peak (H100/H200)"
    )
    parser.add_argument("--model", default=None, help="override the model (gpu mode)")
    parser.add_argument("--no-trl", action="store_true")
    args = parser.parse_args()
    if args.mode == "cpu":
        args.prompts = args.prompts or 8
        args.new_tokens = args.new_tokens or 32
        ours = measure_gymhub(args, "tiny", "cpu")
        theirs = None if args.no_trl else measure_trl(args)
        print(
            f"tiny model ({ours['params'] / 1e3:.0f}k params), CPU, {args.threads} thread(s), "
            f"{args.prompts}x{args.group_size} completions of {args.new_tokens} tokens, "
            f"prompt {ours['prompt_tokens']} tokens"
        )
        print(f"{'':24}{'gymhub':>12}{'TRL':>12}{'ratio':>9}")
        for key, label in [
            ("gen_tokens_per_s", "generation tok/s"),
            ("update_tokens_per_s", "update tok/s"),
            ("tokens_per_s", "step tok/s"),
            ("step_s", "step seconds"),
        ]:
            mine = ours[key]
            other = theirs.get(key) if theirs else None
            ratio = f"{mine / other:.2f}x" if other else "-"
            if key == "step_s" and other:
                ratio = f"{other / mine:.2f}x"
            other_s = f"{other:12.1f}" if other else f"{'-':>12}"
            print(f"{label:24}{mine:12.1f}{other_s}{ratio:>9}")
        print(json.dumps({"gymhub": ours, "trl": theirs}))
    else:
        if not torch.cuda.is_available():
            sys.exit("--mode gpu needs a CUDA GPU")
        args.prompts = args.prompts or 16
        args.new_tokens = args.new_tokens or 256
        ours = measure_gymhub(args, args.model or "qwen2.5-0.5b-shape", "cuda")
        print(json.dumps(ours, indent=2))


if __name__ == "__main__":
    main()
