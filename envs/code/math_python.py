"""gymhub/MathPython-v0: math problems with a `python` tool that runs in the sandbox.

The problems want computation (sums over primes, digit counts of big powers, combinatorics), the
tool's output comes back as `tool` messages, and the final answer is scored by MathVerifier.
When the sandbox itself fails (no backend, a backend's `infra_error`), the episode ends at once
as `infra_error`, which trainers mask: the policy was denied its tool, so whatever it would
answer next says nothing about it. A program's own failures stay tool output.
"""

from __future__ import annotations

import math
import random
from typing import Any

from gymhub.env import StepResult
from gymhub.sandboxes.factory import shared_sandbox
from gymhub.sandboxes.types import ExecRequest, Sandbox
from gymhub.task_env import MultiTurnEnv
from gymhub.tasks import GeneratorSource
from gymhub.tools import time_left
from gymhub.types import Action, Observation, Task, ToolCall, Verdict

MAX_TOOL_OUTPUT = 4000
#: a longer program is the policy's error, never sent (a remote sandbox refuses large bodies)
MAX_TOOL_CODE_BYTES = 1_000_000


def _primes_below(n: int) -> list[int]:
    sieve = bytearray([1]) * n
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(n**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(sieve[i * i :: i]))
    return [i for i in range(n) if sieve[i]]


def generate(rng: random.Random, difficulty: float) -> Task:
    """One problem: (question, python code that prints the answer, answer)."""
    kind = rng.randrange(6)
    if kind == 0:
        n = rng.randint(1000, 20000)
        q, code, a = (
            f"What is the sum of all primes below {n}?",
            f"n={n}\ns=[1]*n\ns[0]=s[1]=0\nfor i in range(2,int(n**0.5)+1):\n    if s[i]:\n        s[i*i::i]=[0]*len(s[i*i::i])\nprint(sum(i for i in range(n) if s[i]))",
            sum(_primes_below(n)),
        )
    elif kind == 1:
        b, e = rng.randint(2, 9), rng.randint(50, 400)
        q, code, a = (
            f"How many decimal digits does {b}^{e} have?",
            f"print(len(str({b}**{e})))",
            len(str(b**e)),
        )
    elif kind == 2:
        n, k = rng.randint(20, 60), rng.randint(3, 10)
        q, code, a = (
            f"How many ways are there to choose {k} items from {n} distinct items?",
            f"import math\nprint(math.comb({n},{k}))",
            math.comb(n, k),
        )
    elif kind == 3:
        n = rng.randint(50, 500)
        q, code, a = (
            f"What is the sum of the digits of {n}! (n factorial with n = {n})?",
            f"import math\nprint(sum(map(int,str(math.factorial({n})))))",
            sum(map(int, str(math.factorial(n)))),
        )
    elif kind == 4:
        n, m = rng.randint(100, 2000), rng.randint(1000, 10**6)
        fib = [0, 1]
        for _ in range(n):
            fib.append(fib[-1] + fib[-2])
        q, code, a = (
            f"What is the {n}-th Fibonacci number (F(0)=0, F(1)=1) modulo {m}?",
            f"a,b=0,1\nfor _ in range({n}):\n    a,b=b,a+b\nprint(a%{m})",
            fib[n] % m,
        )
    else:
        n = rng.randint(10**5, 10**7)
        count = sum(
            1
            for d in range(1, int(n**0.5) + 1)
            if n % d == 0
            for _ in ((d,) if d * d == n else (d, n // d))
        )
        q, code, a = (
            f"How many positive divisors does {n} have?",
            f"n={n}\nprint(sum(1 for d in range(1,n+1) if n%d==0))",
            count,
        )
    return Task(
        question=q
        + " You can run Python with the `python` tool (print what you need). Give the final "
        "answer as a number in \\boxed{}.",
        answer=str(a),
        metadata={"code": code, "kind": kind},
    )


class MathPythonEnv(MultiTurnEnv):
    """Tool calls run Python in the sandbox; any other message is the final answer."""

    def __init__(
        self,
        *args: Any,
        sandbox: Sandbox | None = None,
        backend: str = "auto",
        tool_timeout_s: float = 10.0,
        **kwargs: Any,
    ) -> None:
        self._sandbox = sandbox
        self.backend = backend
        self.tool_timeout_s = tool_timeout_s
        self._sandbox_failure: str | None = None
        super().__init__(*args, tools={"python": self.python}, **kwargs)

    def _reset(self, options: dict[str, Any]) -> Observation:
        self._sandbox_failure = None
        return super()._reset(options)

    def _step(self, action: Action) -> StepResult:
        result = super()._step(action)
        if self._sandbox_failure is not None:  # the hub failed this step: masked, not scored
            detail = f"the python tool's sandbox failed: {self._sandbox_failure}"
            return StepResult(
                Observation(), 0.0, True, Verdict(reward=0.0, status="infra_error", detail=detail)
            )
        return result

    def python(self, code: str) -> str:
        """Run a Python 3 program in an isolated sandbox and return what it printed.

        Args:
            code: the complete program; print the values you need
        """
        if not isinstance(code, str) or not code.strip():
            return "Error: `code` must be a non-empty string"
        size = len(code.encode("utf-8", "surrogatepass"))
        if size > MAX_TOOL_CODE_BYTES:
            return f"Error: the program is {size} bytes, over the limit of {MAX_TOOL_CODE_BYTES}"
        request = ExecRequest(
            command=["python3", "-I", "main.py"],
            files={"main.py": code},
            # never longer than what is left of this step's tool budget
            timeout_s=max(0.1, min(self.tool_timeout_s, time_left())),
            memory_mb=512,
            output_limit_bytes=MAX_TOOL_OUTPUT,
        )
        try:
            result = (self._sandbox or shared_sandbox(self.backend)).run(request)
        except Exception as exc:  # no backend, or one that cannot start: the hub's failure
            self._sandbox_failure = repr(exc)[:500]
            return "Error: the sandbox is unavailable right now"
        if result.status == "infra_error":
            self._sandbox_failure = str(result.detail)[:500]
            return "Error: the sandbox is unavailable right now"
        text = result.stdout[:MAX_TOOL_OUTPUT]
        if result.stderr:
            text += ("\n[stderr]\n" if text else "[stderr]\n") + result.stderr[-1500:]
        if result.status != "ok":
            text += f"\n[{result.status}, exit code {result.exit_code}]"
        return text or "(no output)"

    def reference_action(self) -> Action | None:
        if self.done or self.task is None:
            return None
        if not any(m.role == "tool" for m in self.conversation):
            call = ToolCall(
                id="call_0", name="python", arguments={"code": self.task.metadata["code"]}
            )
            return Action(content="", tool_calls=[call])
        return Action(content=self.reference_text() or "")


def _math_verifier() -> Any:
    """MathVerifier when available (it is being built alongside); NumericVerifier otherwise."""
    try:
        from gymhub.verifiers.math_verifier import MathVerifier

        return MathVerifier()
    except ImportError:
        from gymhub.verifiers.numeric import NumericVerifier

        return NumericVerifier()


def make_math_python_env(
    *, sandbox: Sandbox | None = None, backend: str = "auto", **kwargs: Any
) -> MathPythonEnv:
    kwargs.setdefault("max_turns", 6)
    kwargs.setdefault("max_attempts", 1)
    return MathPythonEnv(
        GeneratorSource(generate, "math_python"),
        _math_verifier(),
        sandbox=sandbox,
        backend=backend,
        **kwargs,
    )
