"""Multi-turn logic envs: interactive games played against the env, and rule-feedback retries.

- `LogicGameEnv` plays one `Game` (Mastermind, Wordle, Nim, tic-tac-toe, ...): each step reads
  one move from the `<answer>` tag, the game answers (pegs, colored letters, the opponent's
  move), and the episode ends with reward 1 for a win and 0 for a loss; a move that cannot be
  read or breaks the game's rules is answered with what was wrong and uses up a turn. The turn
  budget of every game is bounded, so every episode ends.
- `LogicRetryEnv` gives a single-turn family's puzzle several attempts: a wrong answer is
  answered with the rule it breaks (the family verifier's detail), scored by the same rules.

Games are seeded like families (`generate_task`), so the same `(env id, seed)` replays the same
episodes; the reference action is the game's own solver, which always wins.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from gymhub.env import Env, StepResult
from gymhub.envs.logic.base import (
    MAX_ANSWER_CHARS,
    MAX_NUMBER_DIGITS,
    LogicFamily,
    has_huge_number,
    plain_text,
    unwrap_markup,
)
from gymhub.envs.logic.env import DEFAULT_DIFFICULTY, FamilySource, LogicEnv, get_family
from gymhub.errors import InvalidOptionsError
from gymhub.registry import register
from gymhub.task_env import MAX_ACTION_CHARS
from gymhub.types import Action, Message, Observation, Task, Verdict
from gymhub.verifiers.extract import extract_tagged


class Move:
    """What a game makes of one policy message."""

    def __init__(self, reply: str, verdict: Verdict, done: bool = False, reward: float = 0.0):
        self.reply, self.verdict, self.done, self.reward = reply, verdict, done, reward


class Game:
    """One interactive game over a family's tasks. Subclasses implement the hooks; `state` is a
    JSON-able dict the game owns for the episode."""

    name: ClassVar[str]  # the family whose tasks the game plays
    title: ClassVar[str]  # env id gymhub/Logic-<Title>Game-v0
    description: ClassVar[str]

    @property
    def family(self) -> LogicFamily:
        return get_family(self.name)

    def max_turns(self, task: Task) -> int:
        raise NotImplementedError

    def start(self, task: Task) -> dict[str, Any]:
        raise NotImplementedError

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        raise NotImplementedError

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        """Apply the move text (the inside of the one `<answer>` tag). Never raises."""
        raise NotImplementedError

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        """A winning move for the current state (the text inside `<answer>`)."""
        raise NotImplementedError

    def secrets(self, task: Task) -> list[str]:
        """Text no observation may show unless the policy found it (the hidden code or word)."""
        return []


GAMES: dict[str, Game] = {}


def one_answer(text: str) -> str | Verdict:
    """The inside of the one `<answer>` tag of a message, or the verdict saying why not."""
    found = extract_tagged(text[-MAX_ACTION_CHARS:]).candidates
    if not found:
        return Verdict.unparseable("no <answer>...</answer> found")
    if len(found) > 1:
        return Verdict.unparseable(f"{len(found)} different <answer> tags: give one move")
    if len(found[0]) > MAX_ANSWER_CHARS:
        return Verdict.unparseable("answer too long")
    return found[0]


class LogicGameEnv(Env):
    """A game as a multi-turn episode (see the module docstring)."""

    allowed_options: ClassVar[frozenset[str]] = frozenset({"task", "difficulty"})

    def __init__(self, game: str, difficulty: int = DEFAULT_DIFFICULTY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if game not in GAMES:
            raise ValueError(f"unknown logic game {game!r}; known: {sorted(GAMES)}")
        self.game = GAMES[game]
        self.source = FamilySource(self.game.family, difficulty)
        self.difficulty = self.source.default_difficulty
        self.state: dict[str, Any] = {}

    def _reset(self, options: dict[str, Any]) -> Observation:
        if "task" in options:
            self.task = options["task"]
        else:
            try:
                self.task = self.source.get(
                    self.episode_seed or 0,
                    self.episode_index,
                    options.get("difficulty", self.difficulty),
                )
            except ValueError as exc:
                raise InvalidOptionsError(str(exc)) from exc
        assert self.task is not None
        self.max_turns = self.game.max_turns(self.task)
        self.state = self.game.start(self.task)
        text = self.game.intro(self.task, self.state)
        return Observation(messages=[Message(role="user", content=text)])

    def _step(self, action: Action) -> StepResult:
        assert self.task is not None
        answer = one_answer(action.text)
        if isinstance(answer, Verdict):
            move = Move(f"{answer.detail}. Reply with one move inside <answer></answer>.", answer)
        else:
            try:
                move = self.play(answer)
            except Exception as exc:  # a game bug is the hub's failure, never the policy's
                return StepResult(
                    Observation(),
                    0.0,
                    True,
                    Verdict(reward=0.0, status="infra_error", detail=f"game failed: {exc!r}"),
                )
        left = (self.max_turns or 0) - self.turn
        reply = move.reply
        if not move.done and left > 0:
            reply += f" ({left} turn{'s' if left != 1 else ''} left)"
        obs = Observation(messages=[Message(role="user", content=reply)])
        info = {"logic_family": self.game.name, "difficulty": self.task.metadata.get("difficulty")}
        return StepResult(obs, move.reward, move.done, move.verdict, info)

    def play(self, answer: str) -> Move:
        """The game's move for the answer text, read as written first, then (when the game
        cannot read it) without the markup around a whole answer (`**e4**`, `` `e4` ``, a
        final period, a code fence: `unwrap_markup`, as single-turn answers are read). Each
        reading plays on a copy of the state, and only the move that is read keeps its state."""
        assert self.task is not None
        text = plain_text(answer)
        if has_huge_number(text):
            return Move(
                f"That move has a number of more than {MAX_NUMBER_DIGITS} digits.",
                Verdict.unparseable("a huge number"),
            )
        state = copy.deepcopy(self.state)
        move = self.game.play(self.task, state, text)
        for plain in unwrap_markup(text) if move.verdict.status == "unparseable" else ():
            retry_state = copy.deepcopy(self.state)
            retry = self.game.play(self.task, retry_state, plain)
            if retry.verdict.status != "unparseable":
                move, state = retry, retry_state
                break
        self.state = state
        return move

    def reference_action(self) -> Action | None:
        if self.done or self.task is None:
            return None
        return Action(content=f"<answer>{self.game.reference(self.task, self.state)}</answer>")

    def secret_strings(self) -> list[str]:
        return [] if self.task is None else self.game.secrets(self.task)


def register_game(game: Game) -> Game:
    """Make the game known and register its env `gymhub/Logic-<Title>Game-v0`."""
    GAMES[game.name] = game
    register(
        f"gymhub/Logic-{game.title}Game-v0",
        "gymhub.envs.logic.families._games:LogicGameEnv",
        kwargs={"game": game.name},
        family="logic",
        description=game.description,
        multi_turn=True,
        verifier=f"logic:{game.name}",
        difficulty_range=(1, 10),
        task_source=f"generator:logic/{game.name}",
        tags=("logic", "game", "multi-turn", game.name),
        override=True,
    )
    return game


class LogicRetryEnv(LogicEnv):
    """A family's puzzle with `max_attempts` tries: a wrong answer gets the broken rule back.
    A correct answer at attempt k scores `attempt_discount ** (k - 1)`."""

    def __init__(
        self,
        family: str,
        difficulty: int = DEFAULT_DIFFICULTY,
        max_attempts: int = 3,
        attempt_discount: float = 0.7,
        **kwargs: Any,
    ) -> None:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise ValueError(f"max_attempts must be a positive integer, got {max_attempts!r}")
        if not 0.0 <= attempt_discount <= 1.0:
            raise ValueError(f"attempt_discount must be in [0, 1], got {attempt_discount!r}")
        super().__init__(family, difficulty=difficulty, max_turns=max_attempts, **kwargs)
        self.max_attempts = max_attempts
        self.attempt_discount = attempt_discount

    def _step(self, action: Action) -> StepResult:
        assert self.task is not None
        verdict = self.score(action.text)
        info = {
            "logic_family": self.current.name,
            "difficulty": self.task.metadata.get("difficulty"),
        }
        reward = verdict.reward * self.attempt_discount ** (self.turn - 1)
        if verdict.status in ("correct", "infra_error") or self.turn >= self.max_attempts:
            return StepResult(Observation(), reward, True, verdict, info)
        left = self.max_attempts - self.turn
        text = (
            f"That is not a valid solution: {verdict.detail or verdict.status}. Fix it and "
            f"answer again in the same format inside <answer></answer> ({left} attempt"
            f"{'s' if left != 1 else ''} left)."
        )
        return StepResult(
            Observation(messages=[Message(role="user", content=text)]), 0.0, False, verdict, info
        )


#: families whose verifiers name the broken rule (name -> title); each gets
#: gymhub/Logic-<Title>Retry-v0. Titles are spelled out so registering needs no family import.
RETRY_FAMILIES = {
    "sudoku": "Sudoku",
    "futoshiki": "Futoshiki",
    "magic_square": "MagicSquare",
    "hitori": "Hitori",
    "light_up": "LightUp",
    "sum_skyscrapers": "SumSkyscrapers",
    "slant": "Slant",
    "star_battle": "StarBattle",
    "kakuro": "Kakuro",
    "killer_sudoku": "KillerSudoku",
    "battleship": "Battleship",
    "binario": "Binario",
    "skyscrapers": "Skyscrapers",
    "kakurasu": "Kakurasu",
    "nonogram": "Nonogram",
    "calcudoku": "Calcudoku",
    "norinori": "Norinori",
    "campsite": "Campsite",
}


def register_retry_envs() -> None:
    for name, title in RETRY_FAMILIES.items():
        register(
            f"gymhub/Logic-{title}Retry-v0",
            "gymhub.envs.logic.families._games:LogicRetryEnv",
            kwargs={"family": name},
            family="logic",
            description=f"The {name} puzzle with up to 3 attempts: a wrong answer gets the "
            "broken rule back, a later success scores 0.7 per extra attempt.",
            multi_turn=True,
            verifier=f"logic:{name}",
            difficulty_range=(1, 10),
            task_source=f"generator:logic/{name}",
            tags=("logic", "retry", "multi-turn", name),
            override=True,
        )


register_retry_envs()


class MinesweeperGame(Game):
    """Minesweeper with reveals, over the `minesweeper` family's boards (whose mines the shown
    numbers already pin down): each turn reveals one or more cells, in order; revealing a mine
    loses (reward 0), revealing every safe cell wins (reward 1). Revealed cells show their
    numbers, so careful play can also learn as it goes."""

    name = "minesweeper"
    title = "Minesweeper"
    description = "Play Minesweeper: reveal every safe cell without touching a mine."

    def max_turns(self, task: Task) -> int:
        return sum(v < 0 for row in task.metadata["grid"] for v in row) - task.metadata["mines"] + 2

    def start(self, task: Task) -> dict[str, Any]:
        return {"grid": [list(row) for row in task.metadata["grid"]]}

    def _mines(self, task: Task) -> set[tuple[int, int]]:
        return {(r - 1, c - 1) for r, c in task.answer}

    def _picture(self, grid: list[list[int]]) -> str:
        return "\n".join(" ".join("?" if v < 0 else str(v) for v in row) for row in grid)

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        n = task.metadata["n"]
        return (
            f"Let's play Minesweeper on a {n}x{n} board with exactly {task.metadata['mines']} "
            "mines. A number is a revealed safe cell and counts the mines among its (up to 8) "
            "neighbours, diagonals included; '?' is hidden.\n\n"
            f"{self._picture(state['grid'])}\n\n"
            "Each turn, reveal one or more hidden cells as (row,column) pairs counted from 1, "
            "inside <answer></answer>, for example <answer>(1,2), (3,4)</answer>. Cells are "
            "revealed in order and I show their numbers; revealing a mine loses at once. Reveal "
            f"every safe cell to win, within {self.max_turns(task)} turns."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        from gymhub.envs.logic.families.minesweeper import neighbours
        from gymhub.envs.logic.grids import read_pairs

        n, grid = task.metadata["n"], state["grid"]
        cells = read_pairs(move, limit=n * n)
        if not cells:
            return Move(
                "Give the cells to reveal as (row,column) pairs.", Verdict.unparseable("no cells")
            )
        mines = self._mines(task)
        for r, c in cells:
            if not (1 <= r <= n and 1 <= c <= n):
                return Move(f"({r},{c}) is not on the board.", Verdict.incorrect("off the board"))
            cell = (r - 1, c - 1)
            if cell in mines:
                return Move(
                    f"({r},{c}) was a mine. You lose.", Verdict.incorrect("revealed a mine"), True
                )
            grid[cell[0]][cell[1]] = sum(x in mines for x in neighbours(n, *cell))
        hidden = sum(v < 0 for row in grid for v in row)
        if hidden == len(mines):
            return Move("Every safe cell is revealed: you win!", Verdict.correct(), True, 1.0)
        return Move(f"Board:\n{self._picture(grid)}", Verdict.incorrect("game on"))

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        mines = self._mines(task)
        grid = state["grid"]
        safe = [
            f"({r + 1},{c + 1})"
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if v < 0 and (r, c) not in mines
        ]
        if not safe:  # nothing hidden but mines: any revealed cell finishes the game
            r, c = next((r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v >= 0)
            safe = [f"({r + 1},{c + 1})"]
        return ", ".join(safe[:3])

    def secrets(self, task: Task) -> list[str]:
        return [", ".join(f"({r},{c})" for r, c in task.answer)] if len(task.answer) > 1 else []


register_game(MinesweeperGame())
