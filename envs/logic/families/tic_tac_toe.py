"""Tic-tac-toe (Enigmata's search task): name every best move of a position.

Positions are random legal, unfinished games: 3x3 with three in a row (d1-5), 4x4 with four in a
row (d6-10), with more empty cells as difficulty grows (never the 9 positions after one move on
3x3, where one answer, the centre, is right on most). A memoised minimax gives every legal
move its game value for the side to move (win, draw or loss with perfect play); the answer is
the set of moves with the best value. The verifier recomputes the values: the answer scores 1
when it lists exactly those moves. Positions where every move is equally good are skipped.
"""

from __future__ import annotations

import functools
import random
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._games import Game, Move, register_game
from gymhub.envs.logic.grids import format_coordinates, read_pairs
from gymhub.types import Task, Verdict


def _shape(difficulty: int) -> tuple[int, int]:
    """(side, empty cells): 3x3 with 3..7 empty, then 4x4 with 6, 7, 8, 8, 9 empty. Not 8 empty
    on 3x3: after X's first mark there are 9 positions, and `(2,2)` is the answer of most."""
    return (3, 2 + difficulty) if difficulty <= 5 else (4, (6, 7, 8, 8, 9)[difficulty - 6])


@functools.cache
def _lines(n: int) -> tuple[tuple[int, ...], ...]:
    rows = [tuple(r * n + c for c in range(n)) for r in range(n)]
    cols = [tuple(r * n + c for r in range(n)) for c in range(n)]
    diags = [tuple(i * n + i for i in range(n)), tuple(i * n + n - 1 - i for i in range(n))]
    return tuple(rows + cols + diags)


def winner(board: str, n: int) -> str | None:
    for line in _lines(n):
        first = board[line[0]]
        if first != "." and all(board[i] == first for i in line):
            return first
    return None


@functools.lru_cache(maxsize=200_000)
def value(board: str, n: int, player: str) -> int:
    """Game value for `player` to move: 1 win, 0 draw, -1 loss (perfect play)."""
    if winner(board, n):
        return -1  # the previous move won
    if "." not in board:
        return 0
    other = "O" if player == "X" else "X"
    best = -1
    for i, ch in enumerate(board):
        if ch == ".":
            v = -value(board[:i] + player + board[i + 1 :], n, other)
            if v > best:
                best = v
                if best == 1:
                    break
    return best


def move_values(board: str, n: int, player: str) -> dict[int, int]:
    other = "O" if player == "X" else "X"
    return {
        i: -value(board[:i] + player + board[i + 1 :], n, other)
        for i, ch in enumerate(board)
        if ch == "."
    }


def _random_position(rng: random.Random, n: int, empty: int) -> str:
    while True:
        board = ["."] * (n * n)
        cells = rng.sample(range(n * n), n * n - empty)
        ok = True
        for k, i in enumerate(cells):
            board[i] = "X" if k % 2 == 0 else "O"
            if winner("".join(board), n):
                ok = False
                break
        if ok:
            return "".join(board)


# (row, column) cells for the format example, the first two that are no best move
_EXAMPLE_CELLS = (
    (1, 3), (2, 2), (2, 1), (3, 3), (1, 1), (3, 2), (1, 2), (2, 3), (3, 1), (4, 4), (4, 1),
)  # fmt: skip


@register_family
class TicTacToe(LogicFamily):
    """List every best move (by perfect-play game value) of a tic-tac-toe position.

    Accepted: the moves as `(r,c)` pairs (1-based), any order, separated by commas, spaces or
    lines. Not accepted: a missing or extra move, a move listed twice, an occupied cell, any
    word.
    """

    name = "tic_tac_toe"
    title = "TicTacToe"
    description = "Name every optimal move of a tic-tac-toe position (3x3, then 4x4)."
    difficulty_doc = (
        "3x3 boards with 2+d empty cells (d1-5), then 4x4 boards (four in a row) with 6, 7, 8, "
        "8, 9 empty cells (d6-10); size = cells + empty cells"
    )
    equivalents = {"enigmata": "tic_tac_toe"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, empty = _shape(difficulty)
        while True:
            board = _random_position(rng, n, empty)
            player = "X" if board.count("X") == board.count("O") else "O"
            values = move_values(board, n, player)
            best = max(values.values())
            moves = sorted(i for i, v in values.items() if v == best)
            if len(moves) < len(values):
                break
        shown = "\n".join(" ".join(board[r * n : (r + 1) * n]) for r in range(n))
        # the format example is never the answer, nor any move of it: copying it (or half of
        # it: `(2,2)` alone was the answer on 8% of the tasks) must not pay
        spare = [cell for cell in _EXAMPLE_CELLS if (cell[0] - 1) * n + cell[1] - 1 not in moves]
        example = ", ".join(f"({r},{c})" for r, c in spare[:2])
        question = (
            f"Tic-tac-toe on a {n}x{n} board: a player wins by filling a whole row, column or "
            f"main diagonal ({n} in a row) with their mark. X moved first; it is {player}'s turn "
            f"(`.` is an empty cell):\n\n{shown}\n\n"
            f"Assuming both players play perfectly from here, which moves for {player} give the "
            "best possible result (a win if any move forces a win, else a draw if possible)? "
            "List every such move, no other, as (row,column) pairs counted from 1, for example "
            f"<answer>{example}</answer>. Put your answer inside <answer></answer>."
        )
        gold = [[i // n, i % n] for i in moves]
        return make_task(question, gold, n * n + empty, n=n, board=board, player=player)

    def check(self, task: Task, answer: str) -> Verdict:
        n, board, player = task.metadata["n"], task.metadata["board"], task.metadata["player"]
        pairs = read_pairs(answer, limit=n * n)
        if pairs is None:
            return Verdict.unparseable("expected (row,column) pairs")
        if len(set(pairs)) != len(pairs):
            return Verdict.incorrect("a move is listed twice")
        cells = []
        for r, c in pairs:
            if not (1 <= r <= n and 1 <= c <= n) or board[(r - 1) * n + c - 1] != ".":
                return Verdict.incorrect(f"({r},{c}) is not an empty cell")
            cells.append((r - 1) * n + c - 1)
        values = move_values(board, n, player)
        best = max(values.values())
        wanted = {i for i, v in values.items() if v == best}
        if set(cells) != wanted:
            return Verdict.incorrect("the listed moves are not exactly the best moves")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        n, board, player = task.metadata["n"], task.metadata["board"], task.metadata["player"]
        gold = [(r + 1, c + 1) for r, c in task.answer]
        values = move_values(board, n, player)
        best = max(values.values())
        worse = [(i // n + 1, i % n + 1) for i, v in sorted(values.items()) if v < best]
        out = [format_coordinates([*gold, worse[0]]), format_coordinates([worse[-1]])]
        if len(gold) > 1:
            out.append(format_coordinates(gold[1:]))
        else:
            occupied = next(i for i, ch in enumerate(board) if ch != ".")
            out.append(format_coordinates([(occupied // n + 1, occupied % n + 1)]))
        return out

    def format_answer(self, task: Task) -> str:
        return format_coordinates([(r + 1, c + 1) for r, c in task.answer])


def _result(board: str, n: int, player: str) -> int | None:
    """The finished game's result for `player` (1 win, 0 draw, -1 loss), None if not over."""
    won = winner(board, n)
    if won:
        return 1 if won == player else -1
    return 0 if "." not in board else None


class TicTacToeGame(Game):
    """Play a tic-tac-toe position (from the `tic_tac_toe` family) to the end against a
    perfect opponent. Reward 1 when the result is as good as the position allows (a win when a
    win can be forced, else a draw), 0 otherwise."""

    name = "tic_tac_toe"
    title = "TicTacToe"
    description = "Finish a tic-tac-toe position against a perfect opponent; reach its best result."

    def max_turns(self, task: Task) -> int:
        return task.metadata["board"].count(".") // 2 + 4

    def start(self, task: Task) -> dict[str, Any]:
        n, board, player = task.metadata["n"], task.metadata["board"], task.metadata["player"]
        return {"board": board, "target": value(board, n, player)}

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        n, player = task.metadata["n"], task.metadata["player"]
        board = state["board"]
        shown = "\n".join(" ".join(board[r * n : (r + 1) * n]) for r in range(n))
        return (
            f"Let's finish this tic-tac-toe game on a {n}x{n} board ({n} in a row, column or "
            f"main diagonal wins). You play {player} and it is your turn (`.` is empty):\n\n"
            f"{shown}\n\nI play the other side perfectly. Get the best result this position "
            "allows: win if a win can be forced, otherwise at least draw. Give each move as "
            "(row,column), counted from 1, inside <answer></answer>, for example "
            "<answer>(2,2)</answer>. A move on a taken or missing cell is refused and still "
            f"uses up one of your {self.max_turns(task)} turns."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        n, player = task.metadata["n"], task.metadata["player"]
        other = "O" if player == "X" else "X"
        board = state["board"]
        pairs = read_pairs(move, limit=2)
        if pairs is None or len(pairs) != 1:
            return Move("Give exactly one move as (row,column).", Verdict.unparseable("no move"))
        r, c = pairs[0]
        if not (1 <= r <= n and 1 <= c <= n) or board[(r - 1) * n + c - 1] != ".":
            return Move(f"({r},{c}) is not an empty cell.", Verdict.incorrect("illegal move"))
        i = (r - 1) * n + c - 1
        board = board[:i] + player + board[i + 1 :]
        done = _result(board, n, player)
        reply = ""
        if done is None:
            values = move_values(board, n, other)
            j = max(values, key=lambda k: (values[k], -k))
            board = board[:j] + other + board[j + 1 :]
            reply = f"I play ({j // n + 1},{j % n + 1}). "
            done = _result(board, n, player)
        state["board"] = board
        shown = "\n".join(" ".join(board[k * n : (k + 1) * n]) for k in range(n))
        if done is None:
            return Move(f"{reply}Board:\n{shown}", Verdict.incorrect("game on"))
        outcome = {1: "You win.", 0: "It is a draw.", -1: "I win."}[done]
        if done >= state["target"]:
            return Move(f"{reply}{outcome}\n{shown}", Verdict.correct(), True, 1.0)
        return Move(
            f"{reply}{outcome}\n{shown}",
            Verdict.incorrect("a better result was possible"),
            True,
            0.0,
        )

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        n, player = task.metadata["n"], task.metadata["player"]
        values = move_values(state["board"], n, player)
        i = max(values, key=lambda k: (values[k], -k))
        return f"({i // n + 1},{i % n + 1})"


register_game(TicTacToeGame())
