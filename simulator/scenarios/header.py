"""The `X-Usersim-Fault` request header: a one-off fault for that request alone.

Forms: `status=503`, `status=429,retry_after=30`, `status=500,code=UNKNOWN_ERROR,message=...`,
`latency_ms=250`, `drop`, or the name of a scenario preset (its first rule's action).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.scenarios.decision import Decision
from simulator.scenarios.rules import ScenarioError, parse_rule

if TYPE_CHECKING:
    from simulator.scenarios.presets import Preset

HEADER = "x-usersim-fault"
# What a preset's rule says about which requests it matches: a header applies to its own
# request, whatever it is.
_MATCHERS = ("face", "operation", "account")


def parse_fault_header(value: str, presets: Mapping[str, Preset]) -> Decision:
    value = value.strip()
    preset = presets.get(value)
    if preset is not None and preset.rules:
        action = {k: v for k, v in preset.rules[0].items() if k not in _MATCHERS}
        rule = parse_rule(action, "header", faces=())
        return Decision(f"header:{value}", rule.latency_ms, rule.error, rule.drop)
    if value == "drop":
        return Decision("header:drop", drop=True)
    fields: dict[str, str] = {}
    for part in value.split(","):
        name, sep, text = part.partition("=")
        if not sep:
            raise ScenarioError([f"cannot read X-Usersim-Fault part {part!r}; use name=value"])
        fields[name.strip()] = text.strip()
    data: dict[str, object] = {}
    error: dict[str, object] = {}
    for name, text in fields.items():
        if name == "status":
            error["status"] = _int(name, text)
        elif name == "retry_after":
            error["retry_after"] = _int(name, text)
        elif name in ("code", "message"):
            error[name] = text
        elif name == "latency_ms":
            data["latency_ms"] = _int(name, text)
        else:
            raise ScenarioError([f"unknown X-Usersim-Fault field {name!r}"])
    if error:
        data["error"] = error
    rule = parse_rule(data, "header", faces=())
    return Decision(f"header:{value}", rule.latency_ms, rule.error, rule.drop)


def _int(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ScenarioError([f"X-Usersim-Fault {name} must be an integer"]) from None
