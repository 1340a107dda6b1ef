"""Sets written as conditions that hold together (`x > 0 \\text{ and } x \\le 1`) or as a set
minus points (`\\mathbb{R} \\setminus \\{0\\}`) are the sets they describe. Both scored 0: the
conditions were read as a list of two answers, the set difference was never evaluated."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # conditions on one variable joined by "and", \land, \wedge or a comma: an intersection
        (r"x > 0 \text{ and } x \le 1", "(0,1]", "correct"),
        (r"x > 0 \land x \le 1", "(0,1]", "correct"),
        (r"x > 0 \wedge x \leq 1", r"0 < x \le 1", "correct"),
        (r"x > 0, x \le 1", "(0,1]", "correct"),
        (r"x \ge -1 \text{ and } x \ne 2", r"[-1,2)\cup(2,\infty)", "correct"),
        (r"x \ge -1, x \neq 2", r"[-1,2)\cup(2,\infty)", "correct"),
        (r"x > 0 \text{ and } x \le 1", r"x>0, x\le 1", "correct"),
        # ... and the wrong sets stay wrong
        (r"x > 0 \text{ and } x \le 2", "(0,1]", "incorrect"),
        (r"x \ge 0 \text{ and } x \le 1", "(0,1]", "incorrect"),
        (r"x > 0 \text{ or } x \le 1", "(0,1]", "incorrect"),
        (r"x > 0 \text{ and } y \le 1", "(0,1]", "incorrect"),
        ("0 \\text{ and } 1", "(0,1]", "incorrect"),
        (r"x > 0 \text{ and } x \le 1", "0, 1", "incorrect"),
        # the reals (or an interval) minus points
        (r"\mathbb{R}\setminus\{0\}", r"(-\infty,0)\cup(0,\infty)", "correct"),
        (r"\mathbb{R} \setminus \{1, 2\}", r"(-\infty,1)\cup(1,2)\cup(2,\infty)", "correct"),
        (r"\mathbb{R} - \{0\}", r"(-\infty,0)\cup(0,\infty)", "correct"),
        (r"\mathbb{R}\backslash\{0\}", r"(-\infty,0)\cup(0,\infty)", "correct"),
        (r"(-\infty,0)\cup(0,\infty)", r"\mathbb{R}\setminus\{0\}", "correct"),
        (r"x \neq 0", r"\mathbb{R}\setminus\{0\}", "correct"),
        (r"[0,5]\setminus\{2\}", r"[0,2)\cup(2,5]", "correct"),
        (r"\mathbb{R}\setminus\{1\}", r"(-\infty,0)\cup(0,\infty)", "incorrect"),
        (r"\mathbb{R}\setminus\{0, 1\}", r"(-\infty,0)\cup(0,\infty)", "incorrect"),
        (r"\mathbb{R}", r"\mathbb{R}\setminus\{0\}", "incorrect"),
        # a union of three written nested or flat, in any order
        (r"(2,\infty)\cup(-\infty,1)\cup(1,2)", r"(-\infty,1)\cup(1,2)\cup(2,\infty)", "correct"),
        (r"(2,\infty)\cup(-\infty,1)\cup[1,2)", r"(-\infty,1)\cup(1,2)\cup(2,\infty)", "incorrect"),
    ],
)
def test_sets_by_conditions_and_set_differences(verifier, answer, gold, status):
    verdict = verifier.verify(box(answer), gold)
    assert verdict.status == status, verdict


@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # a set builder naming the reals beside its condition (it was read as a list: scored 0)
        (r"\{x: x \in \mathbb{R}, x > 2\}", r"(2, \infty)", "correct"),
        (r"\{x \mid x \in \mathbb{R}, x \geq 2\}", r"[2, \infty)", "correct"),
        (r"\{x \mid x > 2, x \in \mathbb{R}\}", r"(2, \infty)", "correct"),
        (r"\{x: x \in \mathbb{R}, x > 3\}", r"(2, \infty)", "incorrect"),
        (r"\{x: x \in \mathbb{R}, x > 2\}", r"[2, \infty)", "incorrect"),
    ],
)
def test_a_set_builder_with_its_domain(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status


@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # intervals as French and other schools write them (unparseable: scored 0)
        ("]0,1]", "(0,1]", "correct"),
        ("[0, 1[", "[0,1)", "correct"),
        ("]0, 1[", "(0,1)", "correct"),
        ("]-\\infty, 2]", "(-\\infty, 2]", "correct"),
        ("(0;1]", "(0,1]", "correct"),
        ("]0, 1]", "0 < x \\le 1", "correct"),
        ("]0,1]", "[0,1]", "incorrect"),
        ("[0,1[", "[0,1]", "incorrect"),
        ("(0;-2;0)", "(0,-2,0)", "correct"),
    ],
)
def test_intervals_with_reversed_brackets(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status
