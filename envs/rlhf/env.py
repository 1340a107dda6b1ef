"""RLHF-style environments: open-ended prompts scored by learned rewards.

- `gymhub/Chat-v0`: a reward model scores the answer (`reward_model=` a checkpoint path, a
  `gymhub rm serve` URL or a verifier); optional RLMT-style think-then-answer format.
- `gymhub/Rubric-v0`: per-prompt rubrics graded by an LLM judge (`judge=`); optional rubric
  scaffolding in the prompt that decays with the training step (RuscaRL).
- `gymhub/Translate-v0`: MT-R1-Zero style: chrF or BLEU against the reference, optionally mixed
  with a learned metric, behind a format gate.
- `gymhub/PairwiseJudge-v0`: the policy is the judge: pick the better of two responses with a
  known preference (a generative reward model trained by RL).

Every learned score sits behind the rule gate of `gymhub.verifiers.judge_gate`: empty,
punctuation-only and opener-only answers get 0 without reaching a model.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import re
import threading
from pathlib import Path
from typing import Any, ClassVar

from gymhub.task_env import SingleTurnEnv
from gymhub.tasks import JsonlSource
from gymhub.types import Message, Observation, Task, Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.choice import MultipleChoice
from gymhub.verifiers.extract import strip_think
from gymhub.verifiers.judge import content_text
from gymhub.verifiers.judge_gate import gate_reason, repetition_reason, restates_question
from gymhub.verifiers.text_metrics import BLEU, ChrF

DATA = Path(__file__).parent / "data"
log = logging.getLogger("gymhub.envs.rlhf")

_THINK = re.compile(r"\s*<think>(.*?)</think>\s*(.*)", re.DOTALL)


def split_think(response: str) -> tuple[str, str] | None:
    """(thinking, answer) of a `<think>...</think>answer` response; None when malformed. A
    second `</think>` in the answer is malformed: a reasoning model's chat template drops
    everything before the last one, so the scorer would not see what the user reads."""
    match = _THINK.fullmatch(response)
    if match is None or not match.group(1).strip():
        return None
    if "<think>" in match.group(2) or "</think>" in match.group(2):
        return None
    return match.group(1), match.group(2)


def question_text(prompt: Any) -> str:
    """The question a prompt asks: a string prompt, or the text of the last user message of a
    message list (dicts or `Message`s, content a string or text parts); "" when there is none."""
    if isinstance(prompt, str):
        return prompt
    if not isinstance(prompt, (list, tuple)):
        return ""
    for message in reversed(prompt):
        if hasattr(message, "model_dump"):
            message = message.model_dump(exclude_none=True)
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        return content_text(message.get("content"))
    return ""


def _asked_texts(prompt: Any) -> list[str]:
    """What a prompt asks or instructs: the question (`question_text`), and for a message list
    every system and user message's text (a copy of the system prompt, or of an earlier
    question, is no answer either)."""
    texts = [question_text(prompt)]
    if isinstance(prompt, (list, tuple)):
        for message in prompt:
            if hasattr(message, "model_dump"):
                message = message.model_dump(exclude_none=True)
            if isinstance(message, dict) and message.get("role") in ("system", "user"):
                texts.append(question_text([{**message, "role": "user"}]))
    return list(dict.fromkeys(t for t in texts if t))


class GatedLearnedReward(Verifier):
    """The rule gate (and, with `think=True`, the think-then-answer format) in front of a
    learned scorer; the scorer sees only the answer part. Refused at the scorer's floor: what
    the gate refuses, padding (half the answer repeats its own sentences, `repetition_reason`)
    and a copy of the question (`restates_question`, when the context has `prompt`)."""

    name = "gated_learned_reward"

    def __init__(self, scorer: Verifier, *, think: bool = False) -> None:
        self.scorer = scorer
        self.think = think

    def verify(self, response: str, reference: Any = None, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        components: dict[str, float] = {}
        answer = response
        if self.think:
            parts = split_think(response)
            if parts is None:
                return Verdict.unparseable(
                    "expected <think>reasoning</think> followed by the answer",
                    reward=self.floor,
                    components={"format": 0.0},
                )
            answer = parts[1]
            components["format"] = 1.0
        reason = gate_reason(answer) or repetition_reason(answer)
        if reason is None:
            for asked in _asked_texts(context.get("prompt")):
                if restates_question(answer, asked):
                    reason = "the answer only restates the question (or the instructions)"
                    break
        if reason is not None:
            return Verdict.incorrect(
                f"gate: {reason}", reward=self.floor, components={**components, "gate": 0.0}
            )
        verdict = self.scorer.verify(answer, reference, **context)
        merged = {**components, "gate": 1.0, **verdict.components}
        return verdict.model_copy(update={"components": merged})

    @property
    def floor(self) -> float:
        """What a refused answer gets: the scorer's lowest reward, never more than an answer it
        scores (0 beat every answer of a reward model whose shaped scores go below 0)."""
        return float(getattr(self.scorer, "floor", 0.0))

    def reference_response(self, reference: Any) -> str | None:
        text = self.scorer.reference_response(reference)
        if text is None or not self.think:
            return text
        return f"<think>The reference answer covers the question.</think>{text}"


class PromptAwareEnv(SingleTurnEnv):
    """A single-turn env that passes the prompt to its verifier (`prompt=` in the context)."""

    def verifier_context(self, task: Task, messages: list[Message]) -> dict[str, Any]:
        return {"prompt": [m.model_dump(mode="json", exclude_none=True) for m in messages]}

    def _reset(self, options: dict[str, Any]) -> Observation:
        observation = super()._reset(options)
        assert self.task is not None
        context = dict(self.task.metadata.get("verifier_context") or {})
        context.update(self.verifier_context(self.task, observation.messages))
        self.task.metadata["verifier_context"] = context
        return observation


# --- Chat-v0 --------------------------------------------------------------------------------------
_STAND_IN: dict[str, Any] = {}
_STAND_IN_LOCK = threading.Lock()


def stand_in_reward_model(shaping: Any = None) -> Any:
    """An untrained tiny reward model (fixed seed) so Chat-v0 runs offline in tests and checks.
    Its scores mean nothing: pass `reward_model=` a trained checkpoint for real use."""
    from gymhub.trainers.rm_train import build_tiny_reward_model
    from gymhub.trainers.tiny import build_tiny_tokenizer
    from gymhub.verifiers.reward_model import RewardModelVerifier

    with _STAND_IN_LOCK:
        if "pair" not in _STAND_IN:
            tokenizer = build_tiny_tokenizer()
            _STAND_IN["pair"] = (build_tiny_reward_model(tokenizer, seed=0), tokenizer)
    model, tokenizer = _STAND_IN["pair"]
    return RewardModelVerifier(model, tokenizer=tokenizer, device="cpu", shaping=shaping)


def resolve_reward_model(reward_model: Any, shaping: Any = None, **options: Any) -> Verifier:
    """A verifier from `reward_model`: a Verifier, "tiny" (the stand-in), an http(s) URL of
    `gymhub rm serve`, or a checkpoint path / hub id."""
    if isinstance(reward_model, Verifier):
        return reward_model
    if not isinstance(reward_model, str) or not reward_model:
        raise ValueError(
            "reward_model must be a checkpoint path, a reward-server URL, 'tiny' or a verifier"
        )
    if reward_model == "tiny":
        log.warning(
            "using the untrained stand-in reward model; pass reward_model=PATH for real use"
        )
        return stand_in_reward_model(shaping)
    if reward_model.startswith(("http://", "https://")):
        from gymhub.verifiers.remote_reward import RemoteRewardVerifier

        return RemoteRewardVerifier(reward_model, token=options.get("token"))
    return _loaded_reward_model(reward_model, json.dumps(shaping, sort_keys=True), **options)


@functools.lru_cache(maxsize=8)
def _loaded_reward_model(path: str, shaping_json: str, **options: Any) -> Verifier:
    """One loaded copy per checkpoint and shaping in a process (a trainer makes many envs; the
    verifier serialises its forward passes, so sharing it is safe)."""
    from gymhub.verifiers.reward_model import RewardModelVerifier

    return RewardModelVerifier(path, shaping=json.loads(shaping_json), **options)


CHAT_SHAPING = {"center": "reference", "sigmoid": True}
THINK_SYSTEM = (
    "Think first inside <think>...</think>, then write your reply to the user after </think>."
)


def make_chat_env(
    reward_model: Any = "tiny",
    *,
    path: str | Path | None = None,
    think: bool = False,
    shaping: Any = CHAT_SHAPING,
    system_prompt: str | None = None,
    **kwargs: Any,
) -> SingleTurnEnv:
    """gymhub/Chat-v0. The default shaping is sigmoid(r(answer) - r(reference answer)): bounded,
    centred on the dataset's reference reply (records need `prompt` and `reference`)."""
    scorer = resolve_reward_model(reward_model, shaping)
    source = JsonlSource(
        path or DATA / "chat.jsonl", columns={"question": "prompt", "answer": "reference"}
    )
    if system_prompt is None and think:
        system_prompt = THINK_SYSTEM
    return PromptAwareEnv(
        source, GatedLearnedReward(scorer, think=think), system_prompt=system_prompt, **kwargs
    )


# --- Rubric-v0 ------------------------------------------------------------------------------------
def rubric_criteria(rubric: Any) -> list[str]:
    return [item["criterion"] if isinstance(item, dict) else str(item) for item in rubric or []]


# sentences, lines and bracketed asides (not commas: "the heart, mood and weight" is prose)
_CLAUSE_SPLIT = re.compile(r"(?:\.(?!\d)|[;!?\n()\[\]{}|*#>])+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")  # numbers are words: "5 minutes"
MAX_RUBRIC_RESPONSE_CHARS = 100_000


def _answering_clauses(text: str, keywords: list[str], criteria: list[str]) -> list[str]:
    """The clauses of `text` (casefolded) that read as prose: at least two words, at most half
    of them rubric keywords, and not a copy of a rubric criterion (the scaffold shows them)."""
    single = [k for k in keywords if " " not in k]
    phrases = [k for k in keywords if " " in k]  # "on time": each of its words is a keyword's
    keep = []
    for clause in _CLAUSE_SPLIT.split(text):
        words = _WORD.findall(clause)
        if len(words) < 2:
            continue
        plain = " ".join(words)
        keyed = sum(1 for w in words if any(k in w for k in single))
        keyed += sum(plain.count(k) * len(k.split()) for k in phrases)
        if 2 * keyed > len(words):
            continue  # "boil minute remove": a list of keywords, not an answer
        if any(c and c in plain for c in criteria):
            continue  # "mentions boiling water": the rubric copied, not followed
        keep.append(plain)
    return keep


class KeywordRubric(Verifier):
    """The offline stand-in for a judge: the share of rubric items whose keywords appear in the
    answer (AutoRule-style "fraction of rules satisfied"). A keyword counts only inside prose:
    a clause of two words or more, at most half of them keywords, that does not copy a rubric
    criterion; so a bare list of keywords or the rubric pasted back scores 0. Still only a
    stand-in (padding a keyword with filler words passes): pass `judge=` for a real grader."""

    name = "keyword_rubric"

    def verify(self, response: str, reference: Any = None, **context: Any) -> Verdict:
        rubric = context.get("rubric_items") or []
        if not rubric:
            raise ValueError("KeywordRubric needs rubric_items with keywords")
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        keywords = [
            str(k).casefold() for item in rubric for k in item.get("keywords", []) if str(k)
        ]
        criteria = [
            " ".join(_WORD.findall(str(item.get("criterion", "")).casefold())) for item in rubric
        ]
        clauses = _answering_clauses(
            response[:MAX_RUBRIC_RESPONSE_CHARS].casefold(), keywords, criteria
        )
        text = "\n".join(clauses)
        hits = [
            any(str(k).casefold() in text for k in item.get("keywords", []) if str(k))
            for item in rubric
        ]
        reward = sum(hits) / len(hits)
        components = {f"rubric/{i}": float(h) for i, h in enumerate(hits)}
        status = "correct" if reward >= 1.0 else ("partial" if reward > 0 else "incorrect")
        return Verdict(reward=reward, status=status, components=components)


class RubricEnv(PromptAwareEnv):
    """Prompts with rubrics; with `scaffold=True` the rubric is shown in the prompt and fades
    out linearly over `scaffold_decay_steps` training steps (set with the `train_step` reset
    option or `set_train_step`)."""

    allowed_options: ClassVar[frozenset[str]] = SingleTurnEnv.allowed_options | {"train_step"}

    def __init__(self, *args: Any, scaffold: bool, scaffold_decay_steps: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if scaffold_decay_steps < 1:
            raise ValueError("scaffold_decay_steps must be >= 1")
        self.scaffold = scaffold
        self.scaffold_decay_steps = scaffold_decay_steps
        self.train_step = 0

    def set_train_step(self, step: int) -> None:
        self.train_step = int(step)

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        options = super().validate_options(options)
        step = options.get("train_step")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
            from gymhub.errors import InvalidOptionsError

            raise InvalidOptionsError(f"train_step must be a non-negative integer, got {step!r}")
        return options

    def scaffold_share(self, step: int) -> float:
        return max(0.0, 1.0 - step / self.scaffold_decay_steps) if self.scaffold else 0.0

    def _reset(self, options: dict[str, Any]) -> Observation:
        self._step_for_prompt = options.get("train_step", self.train_step)
        return super()._reset(options)

    def prompt_messages(self, task: Task) -> list[Message]:
        messages = super().prompt_messages(task)
        criteria = rubric_criteria(task.metadata.get("rubric"))
        shown = math.ceil(self.scaffold_share(getattr(self, "_step_for_prompt", 0)) * len(criteria))
        if shown:
            hint = "\n".join(f"- {c}" for c in criteria[:shown])
            messages[-1] = Message(
                role="user", content=f"{task.question}\n\nA good answer covers:\n{hint}"
            )
        return messages

    def verifier_context(self, task: Task, messages: list[Message]) -> dict[str, Any]:
        # the judge grades the plain question against the rubric, not the scaffolded prompt
        return {
            "prompt": task.question,
            "rubric": rubric_criteria(task.metadata.get("rubric")),
            "rubric_items": task.metadata.get("rubric") or [],
        }


def make_rubric_env(
    judge: Any = None,
    *,
    path: str | Path | None = None,
    scaffold: bool = False,
    scaffold_decay_steps: int = 100,
    **kwargs: Any,
) -> RubricEnv:
    """gymhub/Rubric-v0. `judge`: a JudgeVerifier, or a dict of its arguments ({"model": ...,
    "base_url": ...}); None uses the offline keyword stand-in."""
    if judge is None:
        scorer: Verifier = KeywordRubric()
    elif isinstance(judge, Verifier):
        scorer = judge
    elif isinstance(judge, dict):
        from gymhub.verifiers.judge import JudgeVerifier

        scorer = JudgeVerifier(**judge)
    else:
        raise ValueError("judge must be a JudgeVerifier, a dict of its arguments, or None")
    source = JsonlSource(
        path or DATA / "rubric.jsonl", columns={"question": "prompt", "answer": "reference"}
    )
    return RubricEnv(
        source,
        GatedLearnedReward(scorer),
        scaffold=scaffold,
        scaffold_decay_steps=scaffold_decay_steps,
        **kwargs,
    )


# --- Translate-v0 ---------------------------------------------------------------------------------
_TRANSLATION = re.compile(r"<translation>(.*?)</translation>", re.DOTALL)
TRANSLATE_PROMPT = (
    "Translate the following English text into {language}. Think first if you like, then give "
    "only the translation inside <translation>...</translation>.\n\n{source}"
)


# chrF (0-100) of a translation against its own source at or above which it is a copy of the
# source (the bundled references reach 43 against theirs: names and numbers stay the same)
COPY_CHRF = 80.0


# variants side by side: `X / Y`, `X | Y`, `X (or Y)`, `X (alternatively: Y)`
_ALTERNATIVES = re.compile(
    r"\s[/|]\s|\((?:or|alternatively|also|alt\.?|variant|oder|ou|o)\b[\s:,]", re.IGNORECASE
)


class TranslationReward(Verifier):
    """Format gate (exactly one non-empty <translation> block), then chrF or BLEU against the
    reference, mixed with an optional learned metric scored on (source, translation). The
    source copied untranslated (`source=` in the context) is `incorrect`."""

    name = "translation"

    def __init__(
        self, metric: str = "chrf", learned: Verifier | None = None, learned_weight: float = 0.5
    ) -> None:
        if metric not in ("chrf", "bleu"):
            raise ValueError(f"metric must be 'chrf' or 'bleu', got {metric!r}")
        if not 0.0 <= learned_weight <= 1.0:
            raise ValueError("learned_weight must be in [0, 1]")
        self.metric = ChrF(extract=False) if metric == "chrf" else BLEU(extract=False)
        self.learned = learned
        self.learned_weight = learned_weight if learned is not None else 0.0
        self._chrf = ChrF(extract=False)  # the copy check: chrF against the source

    def verify(self, response: str, reference: Any = None, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        blocks = _TRANSLATION.findall(response)
        if len(blocks) != 1 or gate_reason(blocks[0]) is not None:
            return Verdict.unparseable(
                "expected exactly one non-empty <translation>...</translation>",
                components={"format": 0.0},
            )
        text = blocks[0].strip()
        if self._copies_source(text, context.get("source"), reference):
            return Verdict.incorrect(
                "the translation is the source text, copied",
                components={"format": 1.0, "copied_source": 1.0},
            )
        padded = self._padded(text, context.get("source"), reference)
        if padded is not None:
            return Verdict.incorrect(
                f"not one translation: {padded}", components={"format": 1.0, "padded": 1.0}
            )
        lexical = self.metric.verify(text, reference)
        components = {"format": 1.0, **lexical.components}
        reward = lexical.reward
        if self.learned is not None:
            learned = self.learned.verify(text, None, prompt=context.get("source", ""))
            if learned.status == "infra_error":
                return learned
            components["learned"] = learned.reward
            reward = (1 - self.learned_weight) * reward + self.learned_weight * learned.reward
        status = "correct" if reward >= 1.0 else ("partial" if reward > 0 else "incorrect")
        return Verdict(reward=reward, status=status, components=components)

    @staticmethod
    def _padded(text: str, source: Any, reference: Any) -> str | None:
        """Why `text` is several translations or padding rather than one translation, or None.
        chrF weighs recall twice as much as precision, so a list of variants (`X / Y`), more
        lines than the source has, its own sentences repeated, or a text more than twice as
        long as every reference earned more than the one best guess (half a translation and
        its variants: 0.7 against 0.45)."""
        if _ALTERNATIVES.search(text):
            return "alternatives offered side by side"
        lines = sum(1 for line in text.splitlines() if line.strip())
        if isinstance(source, str) and lines > max(
            1, sum(1 for x in source.splitlines() if x.strip())
        ):
            return f"{lines} lines for a source of fewer"
        why = repetition_reason(text)
        if why is not None:
            return why
        refs = [str(r) for r in (reference if isinstance(reference, list) else [reference])]
        longest = max((len(r) for r in refs), default=0)
        if longest and len(text) > 2 * longest + 20:
            return f"{len(text)} characters for a reference of {longest}"
        return None

    def _copies_source(self, text: str, source: Any, reference: Any) -> bool:
        """Whether `text` is (nearly) the untranslated source, where no reference is: copying
        the English earned chrF 0.1-0.4 on the bundled pairs for translating nothing."""
        if not isinstance(source, str) or not source.strip():
            return False
        refs = reference if isinstance(reference, list) else [reference]
        if self._chrf._score(text[:100_000], [source]) < COPY_CHRF:
            return False
        return all(self._chrf._score(str(r), [source]) < COPY_CHRF for r in refs)

    def reference_response(self, reference: Any) -> str | None:
        return None if reference is None else f"<translation>{reference}</translation>"


class TranslateEnv(PromptAwareEnv):
    def prompt_messages(self, task: Task) -> list[Message]:
        text = TRANSLATE_PROMPT.format(
            language=task.metadata.get("target_language", "the target language"),
            source=task.question,
        )
        return [Message(role="user", content=text)]

    def verifier_context(self, task: Task, messages: list[Message]) -> dict[str, Any]:
        return {"source": task.question}


def make_translate_env(
    *,
    path: str | Path | None = None,
    metric: str = "chrf",
    learned_metric: Any = None,
    learned_weight: float = 0.5,
    **kwargs: Any,
) -> TranslateEnv:
    """gymhub/Translate-v0. `learned_metric`: a reward-model path/URL/verifier scoring
    (source, translation), sigmoid-bounded, mixed in with `learned_weight`."""
    learned = None
    if learned_metric is not None:
        learned = resolve_reward_model(learned_metric, {"sigmoid": True})
    source = JsonlSource(
        path or DATA / "translate.jsonl", columns={"question": "source", "answer": "reference"}
    )
    return TranslateEnv(source, TranslationReward(metric, learned, learned_weight), **kwargs)


# --- PairwiseJudge-v0 -----------------------------------------------------------------------------
PAIRWISE_PROMPT = (
    "Which response answers the user's request better?\n\n[User request]\n{prompt}\n\n"
    "[Response A]\n{a}\n\n[Response B]\n{b}\n\n"
    "Compare them, then give the letter of the better response inside \\boxed{{}}."
)


class PairwiseSource(JsonlSource):
    """Preference records (`prompt`, `chosen` or `reference`, `rejected`) as A/B questions. The
    preferred response is first in exactly half the records (one more when their number is odd):
    records ranked by a hash of their id alternate sides. A side drawn per record by its hash
    alone is a coin flip per record: a small record set could put the preferred response first
    in most records, and a constant letter would be paid on most tasks."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, columns={"question": "prompt", "answer": "reference"})
        ranked = sorted(self.tasks, key=lambda t: hashlib.sha256(t.id.encode()).digest())
        firsts = {id(task): rank % 2 == 0 for rank, task in enumerate(ranked)}
        tasks = []
        for task in self.tasks:
            chosen = task.metadata.pop("chosen", None) or task.answer
            rejected = task.metadata.pop("rejected", None)
            if not isinstance(chosen, str) or not isinstance(rejected, str):
                raise ValueError(f"record {task.id} needs 'chosen' (or 'reference') and 'rejected'")
            first = firsts[id(task)]
            a, b = (chosen, rejected) if first else (rejected, chosen)
            tasks.append(
                Task(
                    id=task.id,
                    question=PAIRWISE_PROMPT.format(prompt=task.question, a=a, b=b),
                    answer="A" if first else "B",
                )
            )
        self.tasks = tasks


# a verdict of "no preference" beside the letter: `\\boxed{A} (tie)`, `Both are equally good`,
# MT-Bench's tie verdict `[[C]]`; "it is not a tie" is none
_TIE = re.compile(
    r"(?<!not a )(?<!no )(?<!not )\b(?:tie|tied|equally\s+(?:good|bad|strong|weak|helpful|valid"
    r"|correct|useful|matched)|neither\s+(?:one\s+)?is\s+better|no\s+(?:clear\s+)?(?:winner"
    r"|preference)|both\s+are\s+equally|(?:about|roughly)\s+the\s+same|toss[\s-]*up|coin[\s-]*flip"
    r"|(?:they|both|the\s+two)(?:\s+responses)?\s+are\s+(?:equal|equivalent|comparable|identical"
    r"|on\s+par|the\s+same|similar(?:\s+in\s+quality)?|indistinguishable)"
    r"|(?:same|equal|similar|comparable)\s+quality|(?:hard|difficult|impossible)\s+to\s+(?:say|tell"
    r"|choose|decide|pick)|(?:can't|cannot|can\s+not|couldn't)\s+(?:decide|choose|pick|tell))\b"
    r"|(?:^|[.!?]\s+)neither[.!]|\[\[\s*C\s*\]\]",
    re.IGNORECASE | re.MULTILINE,
)


class PairwisePick(MultipleChoice):
    """`MultipleChoice("AB")` that pays no pick given beside a tie: a judge that calls the two
    responses equal and names a letter anyway has given no preference (a letter with "(tie)"
    was paid whenever the letter happened to be right)."""

    name = "pairwise_pick"

    def __init__(self) -> None:
        super().__init__("AB")

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if isinstance(response, str):
            tie = _TIE.search(strip_think(response)[-20_000:])
            if tie:
                return Verdict.incorrect(f"a tie is no preference ({tie.group(0)!r})")
        return super().verify(response, reference, **context)


def make_pairwise_judge_env(*, path: str | Path | None = None, **kwargs: Any) -> SingleTurnEnv:
    """gymhub/PairwiseJudge-v0: reward 1 for naming the preferred response, 0 otherwise (naming
    both, or a tie beside a letter, is a hedge and scores 0)."""
    return SingleTurnEnv(PairwiseSource(path or DATA / "chat.jsonl"), PairwisePick(), **kwargs)
