"""TRL side of `benchmarks/trainer.py`, run inside the benchmark's own venv (TRL installed there).

Builds the same tiny model and tokenizer from `trainers/tiny.py` (loaded by file path, so gymhub
need not be installed in that venv), runs TRL's GRPOTrainer for a few steps with the same batch
and fixed completion length, and prints one JSON line with generation/update tokens per second.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    args = json.loads(sys.argv[1])
    import torch

    torch.set_num_threads(args["threads"])
    path = Path(__file__).resolve().parents[1] / "trainers" / "tiny.py"
    spec = importlib.util.spec_from_file_location("gymhub_tiny", path)
    tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny)  # type: ignore[union-attr]
    tokenizer = tiny.build_tiny_tokenizer()
    model = tiny.build_tiny_model(tokenizer, seed=0)

    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    prompts, groups, length = args["prompts"], args["group_size"], args["new_tokens"]
    steps, warmup = args["steps"], args["warmup"]
    rows = [
        {"prompt": [{"role": "user", "content": f"Which digit repeats? {str(i % 10) * 10}"}]}
        for i in range(prompts * (steps + warmup) * 2)
    ]
    timings = {"gen": 0.0, "gen_tokens": 0, "steps": []}
    original = model.generate

    def timed_generate(*a, **kw):
        t0 = time.perf_counter()
        out = original(*a, **kw)
        timings["gen"] += time.perf_counter() - t0
        seq = out.sequences if hasattr(out, "sequences") else out
        timings["gen_tokens"] += int(seq.shape[0]) * length
        return out

    model.generate = timed_generate

    class StepTimer(TrainerCallback):
        def on_step_begin(self, *a, **kw):
            self.t0 = time.perf_counter()
            self.g0 = timings["gen"]
            self.n0 = timings["gen_tokens"]

        def on_step_end(self, *a, **kw):
            timings["steps"].append(
                (
                    time.perf_counter() - self.t0,
                    timings["gen"] - self.g0,
                    timings["gen_tokens"] - self.n0,
                )
            )

    def reward(completions, **kw):
        return [float(i % 2) for i in range(len(completions))]

    with tempfile.TemporaryDirectory() as out:
        config = GRPOConfig(
            output_dir=out,
            per_device_train_batch_size=prompts * groups,
            num_generations=groups,
            max_completion_length=length,
            generation_kwargs={"min_new_tokens": length},
            max_steps=steps + warmup,
            learning_rate=1e-3,
            temperature=1.0,
            beta=0.0,
            logging_steps=1,
            report_to="none",
            save_strategy="no",
            use_cpu=True,
            bf16=False,
            dataloader_num_workers=0,
            disable_tqdm=True,
        )
        trainer = GRPOTrainer(
            model=model,
            reward_funcs=[reward],
            args=config,
            train_dataset=Dataset.from_list(rows),
            processing_class=tokenizer,
            callbacks=[StepTimer()],
        )
        trainer.train()
    measured = timings["steps"][warmup:]
    step_s = sum(s for s, _, _ in measured)
    gen_s = sum(g for _, g, _ in measured)
    gen_tokens = sum(n for _, _, n in measured)
    print(
        json.dumps(
            {
                "steps": len(measured),
                "step_s": step_s / len(measured),
                "gen_tokens_per_s": gen_tokens / max(gen_s, 1e-9),
                "update_tokens_per_s": gen_tokens / max(step_s - gen_s, 1e-9),
                "tokens_per_s": gen_tokens / max(step_s, 1e-9),
            }
        )
    )


if __name__ == "__main__":
    main()
