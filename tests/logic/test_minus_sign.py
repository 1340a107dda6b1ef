"""A Unicode minus sign (or dash) in a logic answer is a minus sign: never dropped (a wrong
answer paid) and never unread (a right answer scored 0)."""

from __future__ import annotations

from gymhub.envs.logic import discover_families
from gymhub.envs.logic.env import generate_task

NUMERIC = ("number_sequence", "arithmetic_chain", "decimal_arithmetic", "basic_arithmetic")


def test_unicode_minus_reads_as_a_sign():
    families = discover_families()
    negatives = positives = 0
    for name in NUMERIC:
        family = families[name]
        for seed in range(40):
            task = generate_task(family, 0, seed, 5)
            gold = family.format_answer(task)
            if gold.startswith("-") and "," not in gold:
                negatives += 1
                for dash in ("\u2212", "\u2013", "\uff0d"):
                    verdict = family.verify(f"<answer>{dash}{gold[1:]}</answer>", task)
                    assert verdict.status == "correct", (name, gold, dash, verdict)
            elif gold[:1].isdigit() and gold.strip("0.") != "":
                positives += 1
                verdict = family.verify(f"<answer>\u2212{gold}</answer>", task)
                assert verdict.status != "correct", (name, gold, verdict)
    assert negatives >= 5 and positives >= 5, (negatives, positives)
