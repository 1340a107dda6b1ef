"""Reward-model scoring throughput: RewardModelVerifier.verify_batch vs a naive loop over
transformers' `text-classification` pipeline, and the reward server with dynamic batching vs one
request at a time. Same model and inputs in one run; the server runs as `gymhub rm serve` in its
own process, as users run it.

    python benchmarks/reward_models.py [--n 256] [--clients 64] [--threads N] [--rounds 3]
    python benchmarks/reward_models.py --tokenizer char   # character-level tokens
    python benchmarks/reward_models.py --gpu     # a 0.5B-shaped random-init model, bf16 on CUDA

The CPU model is the tiny Qwen2-shaped classifier (random init: throughput does not depend on
the weights). By default it gets a subword tokenizer (BPE merges learned locally from the
benchmark's words): prompts of 3-15 words and answers of 2-40 words come to 17-66 tokens with the
chat template, as with a real tokenizer. `--tokenizer char` keeps the embedded character-level
one (45-307 tokens: every forward is compute-bound, the worst case for batching). Conversations
are rendered with the tokenizer's chat template for both sides, and the pipeline's scores are
checked against the verifier's. Each path runs `--rounds` times, the paths interleaved, and its
best pass is kept (on a shared machine the best pass is the one least disturbed by other work).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import tempfile
import time


def conversations(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    words = "the a reward model scores each answer by how helpful and correct it is".split()
    prompts = [" ".join(rng.choices(words, k=rng.randint(3, 15))) + "?" for _ in range(n)]
    responses = [" ".join(rng.choices(words, k=rng.randint(2, 40))) + "." for _ in range(n)]
    return prompts, responses


def subword_tokenizer(texts: list[str], vocab_size: int = 1024):
    """The tiny tokenizer with BPE merges learned from `texts` (same pre-tokenizer, special
    tokens and chat template): words cost one or two tokens, as with any real tokenizer, where
    the character-level one spends a token per character (about 4x the tokens)."""
    from gymhub.trainers.tiny import build_tiny_tokenizer

    base = build_tiny_tokenizer()
    tokenizer = base.train_new_from_iterator(texts, vocab_size=vocab_size)
    tokenizer.chat_template = base.chat_template
    tokenizer.padding_side = base.padding_side
    return tokenizer


def build(path: str, gpu: bool, subword: bool = False) -> None:
    from gymhub.trainers.rm_train import build_tiny_reward_model
    from gymhub.trainers.tiny import QWEN25_05B_SHAPE, build_tiny_tokenizer

    if subword:
        prompts, responses = conversations(2_000, seed=1)
        tokenizer = subword_tokenizer(prompts + responses + ["user", "assistant", "system"])
    else:
        tokenizer = build_tiny_tokenizer()
    overrides = {**QWEN25_05B_SHAPE, "vocab_size": 151936} if gpu else {}
    build_tiny_reward_model(tokenizer, seed=0, **overrides).save_pretrained(path)
    tokenizer.save_pretrained(path)


def best_of(rounds: int, *passes):
    """Run each pass once per round, interleaved (so a burst of load from elsewhere hits all of
    them alike); the best rate of each, and each pass's last result."""
    best = [0.0] * len(passes)
    results = [None] * len(passes)
    for _ in range(rounds):
        for i, run in enumerate(passes):
            start = time.perf_counter()
            count, results[i] = run()
            best[i] = max(best[i], count / (time.perf_counter() - start))
    return best, results


def pipeline_pass(path: str, texts: list[str], device: int):
    from transformers import pipeline

    clf = pipeline("text-classification", model=path, tokenizer=path, device=device)
    clf(texts[0], function_to_apply="none")  # warm-up
    return lambda: (len(texts), [clf(t, function_to_apply="none")[0]["score"] for t in texts])


def verifier_pass(rm, prompts, responses):
    rm.verify_batch(responses[:8], prompts=prompts[:8])  # warm-up

    def run():
        verdicts = rm.verify_batch(responses, prompts=prompts)
        return len(verdicts), [v.components["rm_score"] for v in verdicts]

    return run


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def rm_server(path: str, max_batch: int, threads):
    """`gymhub rm serve` in its own process, as users run it; yields its URL."""
    import subprocess
    import sys

    import httpx

    port = free_port()
    command = [sys.executable, "-m", "gymhub", "rm", "serve", path, "--port", str(port)]
    command += ["--batch-size", str(max_batch)]
    if threads:
        command += ["--threads", str(threads)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise RuntimeError(f"the reward server exited with {server.returncode}")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def server_pass(url: str, prompts, responses, clients: int):
    """`clients` concurrent HTTP clients, each sending one conversation per request. They share
    one httpx2 pool (httpx's AsyncClient spends more CPU per request as concurrency grows, and
    on two cores that CPU comes out of the server's)."""
    import httpx2

    async def drive(items) -> None:
        queue = list(items)
        limits = httpx2.Limits(max_connections=clients)
        async with httpx2.AsyncClient(base_url=url, timeout=600, limits=limits) as http:

            async def worker() -> None:
                while queue:
                    p, r = queue.pop()
                    reply = await http.post(
                        "/verify", json={"items": [{"prompt": p, "response": r}]}
                    )
                    reply.raise_for_status()

            await asyncio.gather(*(worker() for _ in range(clients)))

    asyncio.run(drive(list(zip(prompts, responses))[:clients]))  # warm-up, connections opened

    def run():
        asyncio.run(drive(zip(prompts, responses)))
        return len(prompts), None

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=256, help="conversations to score")
    parser.add_argument("--clients", type=int, default=64, help="concurrent server clients")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--gpu", action="store_true", help="0.5B-shaped model on CUDA (bf16)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved passes; best kept")
    parser.add_argument(
        "--tokenizer",
        choices=("subword", "char"),
        default="subword",
        help="subword (default): the tiny tokenizer with BPE merges learned from the benchmark's "
        "words, one or two tokens a word as with any real tokenizer; char: the embedded "
        "character-level one (about 4x the tokens: the compute-bound worst case for batching)",
    )
    args = parser.parse_args()
    subword = args.tokenizer == "subword"

    import torch

    from gymhub.verifiers.reward_model import RewardModelVerifier, render_conversation

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.gpu and not torch.cuda.is_available():
        raise SystemExit("--gpu needs a CUDA device")
    prompts, responses = conversations(args.n)
    with tempfile.TemporaryDirectory() as path:
        build(path, args.gpu, subword)
        dtype = torch.bfloat16 if args.gpu else torch.float32
        rm = RewardModelVerifier(path, batch_size=args.batch_size, dtype=dtype)
        texts = [render_conversation(rm.tokenizer, p, r)[0] for p, r in zip(prompts, responses)]
        device = 0 if args.gpu else -1
        lengths = [len(rm.tokenizer(t)["input_ids"]) for t in texts]
        print(
            f"model: {'0.5B-shaped' if args.gpu else 'tiny'} on {rm.device}, {args.n} convs, "
            f"{min(lengths)}-{max(lengths)} tokens ({'subword' if subword else 'character'}"
            " tokenizer)"
        )
        (naive_rate, ours_rate), (naive_scores, ours_scores) = best_of(
            args.rounds,
            pipeline_pass(path, texts, device),
            verifier_pass(rm, prompts, responses),
        )
        worst = max(abs(a - b) for a, b in zip(naive_scores, ours_scores))
        tolerance = 0.1 if args.gpu else 1e-3
        assert worst < tolerance, f"pipeline and verifier disagree by {worst}"
        print(f"  pipeline loop (text-classification)  {naive_rate:9.1f} responses/s")
        print(f"  RewardModelVerifier.verify_batch     {ours_rate:9.1f} responses/s")
        print(f"  speed-up                             {ours_rate / naive_rate:9.2f}x")
        print(f"  max |score difference|               {worst:9.2e}")
        with (
            rm_server(path, 1, args.threads) as one_url,
            rm_server(path, args.batch_size, args.threads) as batched_url,
        ):
            (one, batched), _ = best_of(
                args.rounds,
                server_pass(one_url, prompts, responses, args.clients),
                server_pass(batched_url, prompts, responses, args.clients),
            )
        print(f"server, {args.clients} concurrent clients, one item per request:")
        print(f"  one request at a time (max_batch=1)  {one:9.1f} responses/s")
        print(f"  dynamic batching (max_batch={args.batch_size:<3})    {batched:9.1f} responses/s")
        print(f"  speed-up                             {batched / one:9.2f}x")


if __name__ == "__main__":
    main()
