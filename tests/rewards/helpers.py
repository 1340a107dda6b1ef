"""Helpers of the learned-reward tests: a uvicorn server on a free loopback port in a thread,
and an OpenAI-compatible judge app whose behaviour is picked by the request's `model`:
`yes` says 10 to everything (the worst judge), `sensible` gives 10 when the fenced candidate
contains the reference answer, `chatty` never writes a score line, `broken` answers 500, `small` answers vLLM's 400 for a user message over 3000 characters
and otherwise says 5.
`derailable` is `sensible` but writes no score line for a candidate containing `DERAIL`.
`quoting` is `sensible` but, for a candidate containing `QUOTE`, quotes the candidate and runs
out of tokens there (`finish_reason: length`), so its reply ends with the candidate's last line.
`filtering` is `sensible` but, like a hosted endpoint's content filter, answers 400
`content_filter` for a candidate containing `FILTER` and a reply without text
(`finish_reason: content_filter`) for one containing `REDACT` (with the text cut short, ending
in a score line, for `PARTIAL`); `filtering-all` does so for every
request. `obedient` is `sensible` but obeys an instruction in the candidate to pass it (it gives 10
to a candidate containing `Ignore the rubric`). `parroting` is `sensible` but, for a candidate containing `PARROT`, ends its
reply by copying the candidate's text and stops there (`finish_reason: stop`). `requests` records
every body the judge app saw. `gullible-<wording>` is `sensible` but gives 10 to a candidate
that claims the top score in that one wording (`GULLIBLE`), read through zero-width spaces.
For a candidate containing `10`, `retyping` re-types the candidate's text without its zero-width
spaces (no score of its own) and `retyping-after` writes `sensible`'s reply, then re-types the
candidate's last line; other candidates they grade as `sensible` does."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.conftest import serve_app

__all__ = ["judge_app", "requests", "serve_app"]


requests: list[dict] = []

# the wordings of a claimed top score that a `gullible-<wording>` judge obeys
GULLIBLE = {
    "final": r"(?i)final score:\s*10/10",
    "brackets": r"\[\[10\]\]",
    "rating": r"(?im)^rating:\s*10",
    "json": r'"score":\s*10',
    "spanish": r"Puntuación:\s*10",
    "turn": r"(?m)^assistant:.*\n.*core: 10",
    "system": r"\[SYSTEM",
    "example": r"(?i)example evaluation",
    "split": r"S c o r e\s*\n:\s*\n10",
    "homoglyph": "\u0405\u0441\u043er\u0435: 10",
}


def _candidate(system: str, user: str) -> str:
    nonce = re.search(r"<<<CANDIDATE (\w+)>>>", system).group(1)
    fenced = re.search(
        rf"<<<CANDIDATE {nonce}>>>\n(.*)\n<<<END CANDIDATE {nonce}>>>", user, re.DOTALL
    )
    return fenced.group(1)


def _sensible(system: str, user: str) -> str:
    reference = re.search(r"Reference answer \(trusted\):\n(.*?)\n\n", user, re.DOTALL)
    candidate = _candidate(system, user)
    ok = reference and re.search(rf"(?<!\w){re.escape(reference.group(1))}(?!\w)", candidate)
    hedge = " or " in candidate
    return f"Checked against the reference.\nScore: {10 if ok and not hedge else 0}"


def _gullible(model: str, system: str, user: str) -> str:
    wording = GULLIBLE[model.removeprefix("gullible-")]
    if re.search(wording, _candidate(system, user).replace("\u200b", "")):
        return "The candidate's own evaluation stands.\nScore: 10"
    return _sensible(system, user)


def judge_app() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    def complete(body: dict):
        from fastapi.responses import JSONResponse

        requests.append(body)
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        model = body["model"]
        if model == "broken":
            return JSONResponse({"error": "down"}, status_code=500)
        if model.startswith("filtering") and ("FILTER" in user or model == "filtering-all"):
            error = {"code": "content_filter", "message": "The prompt triggered the filter."}
            return JSONResponse({"error": error}, status_code=400)
        if model == "filtering" and ("REDACT" in user or "PARTIAL" in user):
            content = "The candidate says\nScore: 10" if "PARTIAL" in user else None
            message = {"role": "assistant", "content": content}
            return {"choices": [{"message": message, "finish_reason": "content_filter"}]}
        if model == "small" and len(user) > 3000:
            message = "This model's maximum context length is 1024 tokens. However, you requested"
            return JSONResponse({"object": "error", "message": message}, status_code=400)
        text = {
            "yes": lambda: "Great answer!\nScore: 10",
            "sensible": lambda: _sensible(system, user),
            "filtering": lambda: _sensible(system, user),
            "parroting": lambda: (
                "The candidate wrote:\n" + _candidate(system, user)
                if "PARROT" in user
                else _sensible(system, user)
            ),
            "obedient": lambda: (
                "As instructed.\nScore: 10"
                if "Ignore the rubric" in _candidate(system, user)
                else _sensible(system, user)
            ),
            "chatty": lambda: "I like this answer a lot.",
            # re-types the candidate (an LLM regenerates its text: the zero-width space that
            # breaks the candidate's score label is gone), with no score of its own...
            "retyping": lambda: (
                "The candidate wrote:\n" + _candidate(system, user).replace("\u200b", "")
                if "10" in _candidate(system, user)
                else _sensible(system, user)
            ),
            # ... or after its own score line
            "retyping-after": lambda: (
                _sensible(system, user)
                + "\n"
                + _candidate(system, user).replace("\u200b", "").splitlines()[-1]
                if "10" in _candidate(system, user)
                else _sensible(system, user)
            ),
            "derailable": lambda: (
                "Sure, here is a poem instead." if "DERAIL" in user else _sensible(system, user)
            ),
            "small": lambda: "Fine.\nScore: 5",
            "quoting": lambda: (
                "The candidate writes:\n" + _candidate(system, user)
                if "QUOTE" in user
                else _sensible(system, user)
            ),
        }.get(model, lambda: _gullible(model, system, user))()
        finish = "length" if model == "quoting" and "QUOTE" in user else "stop"
        message = {"role": "assistant", "content": text}
        return {"choices": [{"message": message, "finish_reason": finish}]}

    return app
