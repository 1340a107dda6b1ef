"""Plain math-verify, called as its README shows, as the baseline MathVerifier is measured
against (the differential test and `benchmarks/math_verifier.py`). Never used for scoring."""

from __future__ import annotations


def math_verify_reward(gold: str, response: str, timeout: int = 5) -> float:
    """1.0 when plain math-verify accepts `response` for `gold`, else 0.0. A gold already in
    math delimiters or boxed is parsed as written; a bare gold is wrapped in `$...$`."""
    from math_verify import parse, verify

    written = any(mark in gold for mark in ("$", "\\(", "\\[", "\\boxed"))
    try:
        g = parse(gold if written else f"${gold}$", parsing_timeout=timeout)
        p = parse(response, parsing_timeout=timeout)
        return 1.0 if verify(g, p, timeout_seconds=timeout) else 0.0
    except Exception:
        return 0.0


def clear_math_verify_caches() -> None:
    """Forget math-verify's parse caches (first-sight timing)."""
    from math_verify import parser

    for name in ("parse_latex_cached", "parse_expr_cached"):
        cached = getattr(parser, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
