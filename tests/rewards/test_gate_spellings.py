"""Master keys the rule gate let through to the judge: openers spelled apart (`S o l u t i o n`,
`Sol-ution`), with digits for letters (`S0lution`), stretched (`Hmmmm`), in a markdown quote
(`> Thought process:`), in small capitals or Cherokee look-alikes, as section labels
(`Analysis:`), and in languages the list did not hold. Each reached the judge as an answer."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers.judge_gate import gate_reason

KEYS = [
    # spelled apart, run together, stretched
    "S o l u t i o n",
    "S-o-l-u-t-i-o-n",
    "S.o.l.u.t.i.o.n",
    "Sol-ution",
    "S\nolution",
    "So lution",
    "Thought_process:",
    "SolutionAnswer",
    "Solution Solution Solution Solution",
    "Hmmmm...",
    "Okaaay.",
    # digits for letters
    "S0lution",
    "5olution",
    "Solut1on",
    "Th0ught pr0cess:",
    # markdown quote
    "> Thought process:",
    "> > Solution",
    # markdown list markers before openers
    "1. Solution\n2. Answer\n3. Reasoning",
    "- Thought process:\n- Solution:",
    "(a) Solution",
    "* Step 1:\n* Step 2:",
    # look-alike letters NFKC leaves alone
    "\ua731\u1d0f\u029f\u1d1c\u1d1b\u026a\u1d0f\u0274",  # small capitals
    "\u13daolution",  # Cherokee DU
    "\u054folution",  # Armenian capital TIWN
    # section labels and more English openers
    "Analysis:",
    "Approach:",
    "Steps:",
    "Reasoning process:",
    "My answer is:",
    "The correct answer is:",
    "Let's solve the problem step by step.",
    "Let's approach this step by step.",
    "Here is the step-by-step solution:",
    "To solve this, let's think step by step.",
    "Great question!",
    "Alright, let's",
    # giving up: no answer, though the layout around it may be right
    "I don't know",
    "I don\u2019t know.",
    "Answer: I do not know",
    "idk",
    "No idea!",
    "Not sure.",
    "<answer>I don't know</answer>",
    # lead-ins in other languages
    "答案是：",
    "解答如下：",
    "答えは：",
    "정답은:",
    "La respuesta es:",
    "Vamos a resolver este problema paso a paso.",
    "La réponse est :",
    "Réfléchissons étape par étape.",
    "Die Antwort ist:",
    "Lass uns Schritt für Schritt denken.",
    "Давайте подумаем шаг за шагом.",
    "A resposta é:",
    "Risolviamo passo dopo passo.",
    "Begründung:",
    # other languages
    "答え",
    "解き方",
    "思路",
    "الحل",
    "उत्तर",
    "Lời giải",
    "Çözüm",
    "Oplossing",
    "Rozwiązanie",
    "Jawaban:",
    "Řešení",
    "Відповідь:",
    "Λύση",
    "פתרון",
    "Svar:",
    "Ratkaisu",
]

HONEST = [
    "42",
    "0",
    "1",
    "5",
    "l",
    "A",
    "I",
    "IV",
    ">",
    "> 5",
    "Analysis",  # "which branch of mathematics studies limits?"
    "Approach",
    "Steps",
    "Answer: 0",
    "Answer: 1",
    "Answer: 5",
    "Solution 1",
    "Solution: x = 3",
    "Jawaban: 4",
    "Svar 4",
    "Sol",
    "Soul",
    "Solo",
    "Sole",
    "Lotion",
    "Ohm",
    "Sum",
    "Hmong",
    "Okapi",
    "Let's use 42.",
    "Step 2",
    "First",
    "1.",
    "1)",
    "-5",
    "- 5",
    "1. 5",
    "A. Paris",
    "1.5",
    "Na",
    "No",
    "Not",
    "I know",
    "I don't know, but 42",
    "La respuesta es 42.",
    "Die Antwort ist 42.",
    "答案是42",
]


@pytest.mark.parametrize("key", KEYS)
def test_master_keys_in_more_spellings_are_gated(key):
    assert gate_reason(key) is not None, ascii(key)


@pytest.mark.parametrize("answer", HONEST)
def test_short_honest_answers_still_reach_the_judge(answer):
    assert gate_reason(answer) is None, answer


def test_the_spelled_apart_check_is_linear():
    pieces = [
        "s o l ",
        "hm",
        "1",
        "0",
        ">",
        "> ",
        "\n>",
        "analysis :",
        "step 1:",
        "解",
        "l",
        "ab. ",
        "\n- ",
        "1. ",
        "\n1.",
        "(a) ",
        "a. ",
        "solution ",
        "- ",
    ]
    for piece in pieces:
        for size in (2_000, 100_000):
            text = piece * (size // len(piece))
            start = time.monotonic()
            gate_reason(text)
            gate_reason("x" + text)
            assert time.monotonic() - start < 1.0, piece


def test_a_format_reward_pays_no_layout_around_giving_up():
    from gymhub.verifiers.format_reward import FormatReward

    fmt = FormatReward()
    for reply in ("I don't know", "idk", "No idea."):
        verdict = fmt.verify(f"<think>I tried 2 + 2.</think><answer>{reply}</answer>")
        assert (verdict.status, verdict.reward) == ("incorrect", 0.0), reply
    assert fmt.verify("<think>I tried 2 + 2.</think><answer>4</answer>").status == "correct"


def test_openers_repeated_past_two_thousand_letters_are_gated():
    """Only answers of at most 2,000 letters were read for openers, so a master key repeated
    past that (`Solution ` 300 times) reached the judge as a long answer."""
    for key in (
        "Solution " * 300,
        "Let's solve this problem step by step. " * 100,
        "Hmmmm " * 600,
        "Thought process:\n" * 200 + "Solution " * 100,
        "**Solution:**\n" * 300,
        "Step 1:\nStep 2:\n" * 300,
    ):
        assert gate_reason(key) is not None, key[:40]
    for answer in ("The answer is 42. " * 300, "Solution " * 300 + "42", "x" * 5_000):
        assert gate_reason(answer) is None, answer[:40]
