"""Space reasoning (tree): containers inside containers, moved around; say what holds an object.

Objects sit inside one another, forming a tree. Moves carry a container with everything inside
it, or empty a container into another one. The verifier replays the stated placements and moves
itself and compares the chain of containers around the asked object (outermost first), so
nothing stored is trusted; the chain is unique.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.task_ordering import TOKEN
from gymhub.types import Task, Verdict

THINGS = [
    "box", "bag", "drawer", "chest", "jar", "tin", "crate", "basket", "case", "pouch", "trunk",
    "bucket", "envelope", "wallet", "locket", "vial",
]  # fmt: skip
_FILLER = {"the", "in", "inside", "within"}


def replay(parent: dict[str, str | None], moves: list[list[str]]) -> dict[str, str | None]:
    """Parents after the moves: ["move", x, y] puts x (with its contents) into y;
    ["empty", x, y] moves everything directly inside x into y."""
    where = dict(parent)
    for kind, x, y in moves:
        if kind == "move":
            where[x] = y
        else:
            for thing, holder in list(where.items()):
                if holder == x:
                    where[thing] = y
    return where


def chain(where: dict[str, str | None], thing: str) -> list[str]:
    """The containers around `thing`, outermost first."""
    out: list[str] = []
    holder = where[thing]
    while holder is not None and len(out) <= len(where):
        out.append(holder)
        holder = where[holder]
    return out[::-1]


def _would_cycle(where: dict[str, str | None], x: str, y: str) -> bool:
    """Whether putting x (or x's contents) into y would put something inside itself."""
    return y == x or x in chain(where, y)


@register_family
class SpaceReasoningTree(LogicFamily):
    """Name the containers around an object after nested placements and moves.

    Difficulty d sets the objects 3 + d (4..13) and the moves (d-1)//2 (0..4: carrying a
    container with its contents, from d7 also emptying one into another). size = objects +
    moves. Reward 1/0.
    """

    name = "space_reasoning_tree"
    title = "SpaceReasoningTree"
    description = "Track nested containers through moves; list what holds an object."
    difficulty_doc = (
        "objects 3+d (4..13), moves (d-1)//2 (0..4); emptying a container into another from d7"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + difficulty
        things = rng.sample(THINGS, count)
        parent: dict[str, str | None] = {things[0]: None}
        for i, thing in enumerate(things[1:], 1):
            parent[thing] = None if rng.random() < 0.15 else things[rng.randrange(i)]
        moves: list[list[str]] = []
        where = dict(parent)
        for _ in range((difficulty - 1) // 2):
            kind = "empty" if difficulty >= 7 and rng.random() < 0.4 else "move"
            for _ in range(50):
                x, y = rng.sample(things, 2)
                if _would_cycle(where, x, y):
                    continue
                if kind == "move" and where[x] != y:
                    break
                if kind == "empty" and any(h == x for h in where.values()):
                    break
            else:
                continue
            moves.append([kind, x, y])
            where = replay(where, [[kind, x, y]])
        deep = max(things, key=lambda t: (len(chain(where, t)), t))
        ask = deep if rng.random() < 0.7 else rng.choice(things)
        facts = [f"The {t} is inside the {p}." for t, p in parent.items() if p is not None]
        facts += [f"The {t} is not inside anything." for t, p in parent.items() if p is None]
        rng.shuffle(facts)
        steps = [
            f"{i}. The {x} is put into the {y}, with everything inside it."
            if kind == "move"
            else f"{i}. Everything directly inside the {x} is taken out and put into the {y}."
            for i, (kind, x, y) in enumerate(moves, 1)
        ]
        moved = ("\nThen, in order:\n" + "\n".join(steps)) if steps else ""
        question = (
            "Objects can sit inside one another; an object inside a container moves with it.\n"
            + "\n".join(facts)
            + moved
            + f"\n\nWhich containers is the {ask} inside now (directly or indirectly)? Answer with "
            "their names from the outermost to the innermost, separated by spaces, for example "
            "`sack pot`, or `none` if it is not inside anything.\n"
            "Put your final answer inside <answer></answer>."
        )
        truth = chain(where, ask)
        return make_task(question, truth, count + len(moves), parent=parent, moves=moves, ask=ask)

    def check(self, task: Task, answer: str) -> Verdict:
        words = [w.lower() for w in TOKEN.findall(answer[:2000])]
        words = [w for w in words if w not in _FILLER]
        known = set(task.metadata["parent"])
        if words == ["none"] or words == ["nothing"]:
            given: list[str] = []
        elif not words or any(w not in known for w in words):
            return Verdict.unparseable("expected container names, or `none`")
        else:
            given = words
        where = replay(task.metadata["parent"], task.metadata["moves"])
        if given != chain(where, str(task.metadata["ask"])):
            return Verdict.incorrect("not the containers around it, outermost first")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        where = replay(task.metadata["parent"], task.metadata["moves"])
        truth = chain(where, str(task.metadata["ask"]))
        if not truth:
            other = next(t for t in task.metadata["parent"] if t != task.metadata["ask"])
            return [other, f"{other} {other}", "none none"]
        out = [" ".join(truth[1:]) or "none", " ".join([*truth, task.metadata["ask"]])]
        out.append(" ".join(truth[::-1]) if len(truth) > 1 else " ".join([truth[0], truth[0]]))
        return out

    def secret_strings(self, task: Task) -> list[str]:
        return []  # container names occur in the question by design

    def format_answer(self, task: Task) -> str:
        where = replay(task.metadata["parent"], task.metadata["moves"])
        return " ".join(chain(where, str(task.metadata["ask"]))) or "none"
