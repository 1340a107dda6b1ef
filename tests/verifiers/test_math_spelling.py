"""Answer spellings the parser does not read (Unicode math, Markdown emphasis, style macros,
repeating decimals, the empty set in words) score as what they spell, and never more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer
from gymhub.verifiers.math_spelling import respell


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


@pytest.mark.parametrize(
    ("written", "latex"),
    [
        ("−5", "-5"),
        ("½", "\\frac{1}{2}"),
        ("3¾", "3\\frac{3}{4}"),
        ("2√3", "2\\sqrt{3}"),
        ("√(x+1)", "\\sqrt{(x+1)}"),
        ("∛8", "\\sqrt[3]{8}"),
        ("x²+y¹⁰", "x^{2}+y^{10}"),
        ("a₁", "a_{1}"),
        ("**73**", "73"),
        ("__**73**__", "73"),
        ("\\mathbf{\\bm{7}}", "7"),
        ("\\sqrt(2)", "\\sqrt{2}"),
        ("0.\\overline{3}", "\\frac{1}{3}"),
        ("1.2\\overline{34}", "\\frac{611}{495}"),
        ("0.(142857)", "\\frac{1}{7}"),
        ("0.\\dot{1}4285\\dot{7}", "\\frac{1}{7}"),
        ("\\varnothing", "\\emptyset"),
        ("\\{\\}", "\\emptyset"),
        ("\\text{There are no real solutions.}", "\\emptyset"),
        ("None", "\\emptyset"),
    ],
)
def test_spellings_become_latex(written, latex):
    assert respell(written) == latex


@given(st.text(alphabet=st.sampled_from("0123456789+-/=()[],^{} xyab"), max_size=40))
def test_plain_ascii_answers_are_left_alone(text):
    assert respell(text) == text.strip()


def test_a_unicode_minus_is_never_dropped(verifier):
    assert extract_final_answer("Answer: −5").candidates == ["-5"]
    for response in ("Answer: −5", "\\boxed{−5}", "The answer is ‒5", "Answer: －5"):
        assert verifier.verify(response, "5").status == "incorrect", response
        assert verifier.verify(response, "-5").status == "correct", response


@pytest.mark.parametrize(
    ("response", "right", "wrong"),
    [
        ("**73**", "73", "72"),
        ("\\boxed{\\mathbf{73}}", "73", "7"),
        ("\\boxed{2½}", "\\frac52", "2"),
        ("\\boxed{π/2}", "\\frac{\\pi}{2}", "\\pi"),
        ("\\boxed{0.\\overline{3}}", "\\frac13", "0.333"),
        ("\\boxed{0.(6)}", "\\frac23", "0.6"),
        ("\\boxed{\\text{no solution}}", "\\emptyset", "0"),
        ("\\boxed{∅}", "\\varnothing", "\\{0\\}"),
        ("\\boxed{x ≥ 3}", "[3, \\infty)", "(3, \\infty)"),
    ],
)
def test_spelled_answers_score_as_what_they_spell(verifier, response, right, wrong):
    assert verifier.verify(response, right).status == "correct"
    assert verifier.verify(response, wrong).status == "incorrect"


def test_numeric_answers_and_guesses_keep_a_unicode_minus():
    """The same sign rule in the other number readers: NumericVerifier and GuessNumber."""
    import gymhub
    from gymhub.verifiers.numeric import NumericVerifier

    numeric = NumericVerifier()
    assert numeric.verify("Answer: −5", "5").status == "incorrect"
    assert numeric.verify("<answer>−5</answer>", "-5").status == "correct"
    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0)
    secret = int(env.task.answer)
    _, reward, terminated, _, info = env.step(f"−{secret}")
    assert reward == 0.0 and not terminated, info


@pytest.mark.parametrize("response", ["**B**", "Answer: **B**", "Option B", "__B__"])
def test_option_letters_in_markdown_or_named_as_options(response):
    from gymhub.verifiers.choice import MultipleChoice

    choices = {"A": "12", "B": "15", "C": "18"}
    verifier = MultipleChoice()
    assert verifier.verify(response, "B", choices=choices).status == "correct"
    assert verifier.verify(response, "C", choices=choices).status == "incorrect"
    assert verifier.verify(response.replace("B", "A or B"), "B").status == "incorrect"


@pytest.mark.parametrize(
    ("response", "right", "wrong"),
    [
        ("\\boxed{\\text{infinity}}", "\\infty", "-\\infty"),
        ("The answer is infinity.", "\\infty", "\\text{DNE}"),
        ("\\boxed{\\text{minus infinity}}", "-\\infty", "\\infty"),
        ("\\boxed{\\text{one half}}", "\\frac{1}{2}", "2"),
        ("\\boxed{\\text{a third}}", "\\frac{1}{3}", "3"),
        ("\\boxed{\\text{three quarters}}", "0.75", "\\frac{3}{5}"),
        ("\\boxed{\\text{five eighths}}", "\\frac{5}{8}", "5"),
        ("The answer is minus one fourth.", "-\\frac{1}{4}", "\\frac{1}{4}"),
        ("\\boxed{\\text{two and a half}}", "\\frac{5}{2}", "2"),
        ("\\boxed{\\text{does not exist}}", "\\text{DNE}", "0"),
    ],
)
def test_infinity_fractions_and_dne_in_words(verifier, response, right, wrong):
    """A right answer in words scored 0 (`\\text{infinity}` for `\\infty`, `one half`,
    `does not exist` for DNE); read as the whole answer only, never more than it says."""
    assert verifier.verify(response, right).status == "correct", (response, right)
    assert verifier.verify(response, wrong).status != "correct", (response, wrong)


@pytest.mark.parametrize(
    "response",
    [
        "\\boxed{\\text{one second}}",  # a unit of time, not 1/2
        "\\boxed{\\text{one thirds}}",  # not the usual grammar
        "\\boxed{\\text{third}}",  # an ordinal, not a fraction
        "\\boxed{\\text{one half or one third}}",  # a hedge
        "\\boxed{\\text{infinitely many}}",
    ],
)
def test_words_that_are_not_one_fraction_stay_words(verifier, response):
    for gold in ("\\frac{1}{2}", "\\frac{1}{3}", "1", "\\infty"):
        assert verifier.verify(response, gold).status != "correct", (response, gold)
