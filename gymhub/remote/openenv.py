"""`OpenEnvEnv`: a running OpenEnv server (https://github.com/meta-pytorch/OpenEnv) as a gymhub Env.

The reverse of `gymhub.trainers.integrations.openenv` (a gymhub env behind OpenEnv's
protocol): here an OpenEnv environment gets gymhub's checker, evaluation and trainers, through
`gymhub.make("openenv:<url>")`.
It speaks the protocol itself (one WebSocket `/ws` per env, `GET /schema` once), so it needs no
OpenEnv package. Checked against the source of openenv-core 0.3.0 (`http_server.py`,
`serialization.py`, `types.py`).

Who failed decides the outcome: an action the server refuses as invalid (`VALIDATION_ERROR`) is
the policy's failure (`unparseable`, reward 0, the episode goes on); an unreachable server or an
env that raised (`EXECUTION_ERROR`) raises `OpenEnvError`, which the episode loop records as
`infra_error`; a step answering `reward: null`, `done: true` and `observation.infra_error: true`
(how gymhub's own OpenEnv server reports a hub failure) is an `infra_error` verdict.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from gymhub.env import Env, StepResult
from gymhub.errors import GymhubError, InvalidOptionsError
from gymhub.remote.env import (
    DEADLINE_MARGIN_S,
    _keep_non_finite_arguments,
    reply_too_large_step,
    step_deadline,
)
from gymhub.types import Action, Message, Observation, Verdict

__all__ = ["OpenEnvEnv", "OpenEnvError", "OpenEnvUnreachableError", "PREFIX"]

#: the `gymhub.make` prefix of an OpenEnv server URL
PREFIX = "openenv:"
#: fields every OpenEnv observation has besides its own (openenv.core.env_server.types.Observation)
_OBS_BASE_FIELDS = frozenset({"reward", "done", "metadata"})
_MAX_MESSAGE = (
    64 * 1024 * 1024
)  # observations can be large (screens, files); websockets' 1 MiB is not
_VERDICTS = frozenset(
    {"correct", "incorrect", "partial", "unparseable", "timeout", "error", "infra_error"}
)


class OpenEnvError(GymhubError):
    """The OpenEnv server could not be used: it failed, not the policy (episodes end as
    `infra_error`)."""


class OpenEnvUnreachableError(OpenEnvError, ConnectionError):
    """The server did not accept the connection or did not answer within `timeout_s`."""


class OpenEnvMessageTooLarge(OpenEnvUnreachableError):
    """The server closed the socket because a message was longer than it takes (close code
    1009). On a step that is the policy's action: the step ends as the policy's failure."""


_MESSAGE_TOO_BIG = 1009  # the WebSocket close code for a message over the receiver's limit


def _json_object(raw: str | bytes, what: str) -> dict[str, Any]:
    """A server's answer as a JSON object, else OpenEnvError (the server failed, not the policy)."""
    try:
        answer = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise OpenEnvError(f"{what}: the answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise OpenEnvError(f"{what}: the answer {answer!r:.200} is not a JSON object")
    return answer


def _is_string(prop: Any) -> bool:
    """Whether a JSON-schema property takes a string (`str` or `str | None` in pydantic)."""
    if not isinstance(prop, dict):
        return False
    if prop.get("type") == "string":
        return True
    options = prop.get("anyOf") or []
    return any(isinstance(o, dict) and o.get("type") == "string" for o in options)


def _pick_action_field(schema: dict[str, Any]) -> str | None:
    """The action schema's only required string property, else its only string property."""
    props = schema.get("properties") or {}
    strings = [name for name, p in props.items() if _is_string(p)]
    required = [name for name in strings if name in (schema.get("required") or [])]
    if len(required) == 1:
        return required[0]
    if len(strings) == 1:
        return strings[0]
    return None


def _http_base(url: str) -> str:
    """`url` as http(s), without a trailing slash (ws/wss are accepted for convenience)."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://", "ws://", "wss://")):
        raise ValueError(
            f"an OpenEnv url must start with http://, https://, ws:// or wss://, got {url!r}"
        )
    url = url.rstrip("/")
    if url.startswith("ws"):
        url = "http" + url[2:]
    if not httpx.URL(url).host:
        raise ValueError(f"an OpenEnv url needs a host, got {url!r}")
    return url


class OpenEnvEnv(Env):
    """An environment of a running OpenEnv server, behind gymhub's Env contract.

    One instance holds one WebSocket (one env instance on the server), opened by the first reset
    and reused by later ones. Actions: when the server's action schema is gymhub's own (`role` and
    `content`, e.g. `gymhub serve --openenv`), the gymhub action is sent as JSON; otherwise its
    text goes into `action_field` (default: the schema's only required string property, else its
    only string property). Observations: gymhub `messages` when the server sends them, else the
    text of `observation_field` (default: the only string field), else the observation's JSON,
    as one user message. `reference_action()` is None (OpenEnv has no such call).
    """

    def __init__(
        self,
        url: str,
        *,
        action_field: str | None = None,
        observation_field: str | None = None,
        timeout_s: float = 120.0,
        token: str | None = None,
        max_turns: int | None = None,
    ) -> None:
        super().__init__(max_turns=max_turns)
        self.url = _http_base(url)
        if not isinstance(timeout_s, (int, float)) or isinstance(timeout_s, bool) or timeout_s <= 0:
            raise ValueError(f"timeout_s must be a positive number, got {timeout_s!r}")
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ValueError("token must be a non-empty string or None")
        self.timeout_s = float(timeout_s)
        self._headers = {"Authorization": f"Bearer {token.strip()}"} if token else {}
        self.env_id = PREFIX + self.url
        self._ws: Any = None
        self._seed_asked: int | None = None
        self._server_truncated = False
        #: the server's step deadline, when its reset answer gives one (gymhub's OpenEnv server)
        self._deadline_s: float | None = None

        schemas = self._get_schema()
        action_schema = schemas.get("action") if isinstance(schemas.get("action"), dict) else {}
        obs_schema = schemas.get("observation")
        obs_schema = obs_schema if isinstance(obs_schema, dict) else {}
        self.action_schema: dict[str, Any] = action_schema
        self.observation_schema: dict[str, Any] = obs_schema
        action_props = action_schema.get("properties") or {}
        #: True for a gymhub env behind OpenEnv: actions and observations are gymhub's own
        self.gymhub_native = {"role", "content"} <= set(action_props)
        self.action_field: str | None = None
        if not self.gymhub_native:
            chosen = action_field or _pick_action_field(action_schema)
            if chosen is None or chosen not in action_props:
                what = (
                    f"action_field={action_field!r} is not one of them"
                    if action_field
                    else "none is the one string field; pass action_field="
                )
                raise ValueError(
                    f"cannot map a text action onto {self.url}'s action schema "
                    f"(properties: {sorted(action_props)}): {what}"
                )
            self.action_field = chosen
        obs_strings = [
            name
            for name, p in (obs_schema.get("properties") or {}).items()
            if name not in _OBS_BASE_FIELDS and _is_string(p)
        ]
        if observation_field is not None and observation_field not in (
            obs_schema.get("properties") or {}
        ):
            raise ValueError(
                f"observation_field={observation_field!r} is not a field of {self.url}'s "
                f"observation (fields: {sorted(obs_schema.get('properties') or {})})"
            )
        self.observation_field: str | None = observation_field or (
            obs_strings[0] if len(obs_strings) == 1 else None
        )

    # ----- transport ------------------------------------------------------------------------------
    def _get_schema(self) -> dict[str, Any]:
        try:
            response = httpx.get(
                self.url + "/schema", headers=self._headers, timeout=self.timeout_s
            )
        except httpx.HTTPError as exc:
            raise OpenEnvUnreachableError(
                f"OpenEnv server at {self.url} is unreachable ({exc!r})"
            ) from exc
        if response.status_code != 200:
            raise OpenEnvError(
                f"GET {self.url}/schema answered HTTP {response.status_code}: {response.text[:300]}"
            )
        return _json_object(response.text, f"GET {self.url}/schema")

    def _connect(self) -> Any:
        if self._ws is None:
            from websockets.sync.client import connect

            ws_url = "ws" + self.url[4:] + "/ws"
            try:
                # entered by hand: the socket outlives this call (websockets 17 warns when a
                # connect() is used without entering it; older versions enter to themselves)
                self._ws = connect(
                    ws_url,
                    additional_headers=self._headers or None,
                    open_timeout=self.timeout_s,
                    max_size=_MAX_MESSAGE,
                ).__enter__()
            except Exception as exc:
                raise OpenEnvUnreachableError(
                    f"cannot open the OpenEnv WebSocket {ws_url} ({exc!r})"
                ) from exc
        return self._ws

    def wait_s(self) -> float:
        """How long a reset or step waits for its answer: `timeout_s`, or when the server said
        its step deadline (gymhub's OpenEnv server does, at reset) at least that deadline plus
        DEADLINE_MARGIN_S: the server answers a step past its deadline itself, and giving up
        sooner would report the policy's legitimate work as the hub's failure."""
        if self._deadline_s is None:
            return self.timeout_s
        return max(self.timeout_s, self._deadline_s + DEADLINE_MARGIN_S)

    def _call(self, message: dict[str, Any], during: str) -> dict[str, Any]:
        """Send one message, return the answer's JSON object (the socket is dropped on failure:
        the next reset opens a new one)."""
        ws = self._connect()
        wait = self.wait_s()
        try:
            ws.send(json.dumps(message, separators=(",", ":")))
            raw = ws.recv(timeout=wait)
        except TimeoutError as exc:
            self._drop()
            raise OpenEnvUnreachableError(
                f"{during} on {self.env_id}: no answer within {wait}s"
            ) from exc
        except Exception as exc:
            self._drop()
            error = OpenEnvUnreachableError
            if getattr(getattr(exc, "rcvd", None), "code", None) == _MESSAGE_TOO_BIG:
                error = OpenEnvMessageTooLarge
            raise error(f"{during} on {self.env_id}: the connection failed ({exc!r})") from exc
        return _json_object(raw, f"{during} on {self.env_id}")

    def _drop(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close()
            except Exception:
                pass

    @staticmethod
    def _error(answer: dict[str, Any]) -> tuple[str, str]:
        data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
        return str(data.get("code", "")), str(data.get("message", ""))

    def _result(self, answer: dict[str, Any], during: str) -> dict[str, Any]:
        if answer.get("type") != "observation" or not isinstance(answer.get("data"), dict):
            code, message = self._error(answer)
            raise OpenEnvError(
                f"{during} on {self.env_id} failed ({code or answer.get('type')}): {message}"
            )
        return answer["data"]

    # ----- mapping --------------------------------------------------------------------------------
    def _observation(self, obs: Any) -> Observation:
        """gymhub's observation of an OpenEnv observation (see the class docstring)."""
        if not isinstance(obs, dict):
            obs = {"value": obs}
        if isinstance(obs.get("messages"), list):
            return Observation.model_validate(
                {k: obs[k] for k in ("messages", "tools", "replace_context") if k in obs}
            )
        value = obs.get(self.observation_field) if self.observation_field else None
        if isinstance(value, str):
            text = value
        elif self.observation_field and value is not None:
            text = json.dumps(value, default=str)
        else:
            rest = {k: v for k, v in obs.items() if k not in _OBS_BASE_FIELDS}
            text = json.dumps(rest, default=str, ensure_ascii=False)
        return Observation(messages=[Message(role="user", content=text)])

    def _action_payload(self, action: Action) -> dict[str, Any]:
        if self.gymhub_native:
            dumped = action.model_dump(mode="json", exclude_none=True)
            if action.tool_calls:  # NaN arguments as text, as RemoteEnv sends them
                _keep_non_finite_arguments(action, dumped)
            return dumped
        assert self.action_field is not None
        return {self.action_field: action.text}

    # ----- Env ------------------------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        self._seed_asked = seed
        return super().reset(seed=seed, options=options)

    def step(
        self, action: Action | Message | str
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        self._server_truncated = False
        observation, reward, terminated, truncated, info = super().step(action)
        if self._server_truncated and not truncated:  # the server's own turn budget
            truncated, self._done = True, True
        return observation, reward, terminated, truncated, info

    def _reset(self, options: dict[str, Any]) -> Observation:
        data: dict[str, Any] = {}
        if self._seed_asked is not None:
            data["seed"] = self._seed_asked
        if options:
            if not self.gymhub_native:  # an OpenEnv server would drop them without a word
                raise InvalidOptionsError(
                    f"{self.env_id} is not a gymhub env: it takes no reset options"
                )
            data["options"] = {
                k: v.model_dump(mode="json") if hasattr(v, "model_dump") else v
                for k, v in options.items()
            }
        result = self._result(self._call({"type": "reset", "data": data}, "reset"), "reset")
        obs = result.get("observation")
        self._deadline_s = step_deadline(
            obs.get("step_deadline_s") if isinstance(obs, dict) else None
        )
        return self._observation(obs)

    def _step(self, action: Action) -> StepResult:
        try:
            answer = self._call({"type": "step", "data": self._action_payload(action)}, "step")
        except OpenEnvMessageTooLarge as exc:
            # the server dropped the socket (and the episode), so the episode ends here
            return reply_too_large_step(exc)
        if answer.get("type") == "error":
            code, message = self._error(answer)
            if code == "VALIDATION_ERROR":  # the policy's action did not fit the schema
                detail = f"the action did not fit the environment's action schema: {message}"
                observation = Observation(
                    messages=[Message(role="user", content=f"Invalid action: {detail}")]
                )
                verdict = Verdict.unparseable(detail)
                return StepResult(observation, 0.0, False, verdict, {"invalid_action": True})
        result = self._result(answer, "step")
        obs = result.get("observation")
        obs = obs if isinstance(obs, dict) else {"value": obs}
        done = bool(result.get("done"))
        reward = result.get("reward")
        observation = self._observation(obs)
        if reward is None and done and obs.get("infra_error") is True:
            info = obs.get("info") if isinstance(obs.get("info"), dict) else {}
            detail = str(info.get("error") or "the OpenEnv server reported an infra error")
            verdict = Verdict(reward=0.0, status="infra_error", detail=detail)
            return StepResult(observation, 0.0, True, verdict, {"openenv_error": detail})
        try:
            value = 0.0 if reward is None else float(reward)
        except (TypeError, ValueError) as exc:
            raise OpenEnvError(f"step on {self.env_id}: reward {reward!r} is not a number") from exc
        truncated = done and obs.get("truncated") is True and obs.get("terminated") is not True
        self._server_truncated = truncated
        verdict = None
        info: dict[str, Any] = {}
        server_info = obs.get("info")
        if isinstance(server_info, dict):  # a gymhub env behind OpenEnv: keep its verdict
            info = {k: v for k, v in server_info.items() if k not in ("turn", "task_id")}
            status = server_info.get("verdict")
            if status in _VERDICTS and status != "infra_error":
                components = server_info.get("reward_components")
                verdict = Verdict(
                    reward=value,
                    status=status,
                    components=components if isinstance(components, dict) else {},
                )
        return StepResult(observation, value, done and not truncated, verdict, info)

    def close(self) -> None:
        """Tell the server the episode is over and close the socket; never raises."""
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.send(json.dumps({"type": "close"}))
            except Exception:
                pass
            try:
                ws.close()
            except Exception:
                pass
        super().close()
