"""The control operations, keyed by the contract's operationId.

The dashboard, the coverage report and the HAR export import their modules when they
are asked for: few runs ask, and every start would pay for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.responses import FileResponse, HTMLResponse, Response

from simulator.control.endpoint import ControlRequest, Handler
from simulator.control.responses import problems
from simulator.fixtures.loaded import FixtureError
from simulator.graphql import explorer
from simulator.http import JSONResponse
from simulator.resources import contracts_dir
from simulator.scenarios.rules import ScenarioError
from simulator.store.harness.models import Scope, User

HANDLERS: dict[str, Handler] = {}


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[operation_id] = handler
        return handler

    return register


@operation("dashboard")
async def dashboard(call: ControlRequest) -> Response:
    from simulator.control.dashboard import render as render_dashboard

    token = call.request.query_params.get("token")
    faces = call.request.app.state.faces
    page = render_dashboard(call.simulator, faces, call.query.get("q") or "", token)
    return HTMLResponse(page)


@operation("health")
async def health(call: ControlRequest) -> Any:
    return {"status": "ok"}


@operation("ready")
async def ready(call: ControlRequest) -> Any:
    simulator = call.simulator
    state = simulator.harness.state
    saver = call.request.app.state.state_file
    return {
        **({"stateFile": saver.report()} if saver is not None else {}),
        "status": "ready",
        "fixtures": simulator.fixtures.sources,
        "faces": {face.name: face.home for face in call.request.app.state.faces if face.journaled},
        "counts": {
            "harness.accounts": len(state.accounts),
            "harness.users": len(state.users),
            "harness.userGroups": len(state.groups),
        },
    }


@operation("reset")
async def reset(call: ControlRequest) -> Any:
    started = time.perf_counter()
    changed = call.simulator.reset()
    return {
        "reset": True,
        "changedRecords": changed,
        "durationMs": round((time.perf_counter() - started) * 1000, 3),
    }


@operation("exportState")
async def export_state(call: ControlRequest) -> Any:
    return call.simulator.export()


@operation("replaceState")
async def replace_state(call: ControlRequest) -> Any:
    try:
        call.simulator.replace_state(call.body)
    except FixtureError as exc:
        return problems("the state was refused; nothing changed", exc.problems)
    return {"replaced": True}


@operation("listFaults")
async def list_faults(call: ControlRequest) -> Any:
    return {"faults": [rule.to_json() for rule in call.simulator.scenarios.rules()]}


@operation("addFaults")
async def add_faults(call: ControlRequest) -> Any:
    body = call.body
    items = body["rules"] if isinstance(body, dict) and "rules" in body else [body]
    if not isinstance(items, list):
        return problems("the fault rules were refused", ["rules must be a list"])
    try:
        rules = call.simulator.scenarios.add_all(items)
    except ScenarioError as exc:
        return problems("the fault rules were refused; none was added", exc.problems)
    return JSONResponse({"faults": [rule.to_json() for rule in rules]}, status_code=201)


@operation("clearFaults")
async def clear_faults(call: ControlRequest) -> Any:
    scenarios = call.simulator.scenarios
    removed = len(scenarios.rules())
    scenarios.clear()
    return {"removed": removed}


@operation("deleteFault")
async def delete_fault(call: ControlRequest) -> Any:
    rule_id = call.path["ruleId"]
    if not call.simulator.scenarios.remove(rule_id):
        return problems(f"no fault rule {rule_id!r}", status=404)
    return {"removed": 1}


@operation("listScenarios")
async def list_scenarios(call: ControlRequest) -> Any:
    presets = call.simulator.scenarios.presets
    return {"scenarios": [presets[name].to_json() for name in sorted(presets)]}


@operation("applyScenario")
async def apply_scenario(call: ControlRequest) -> Any:
    try:
        rules = call.simulator.apply_scenario(call.path["name"])
    except ScenarioError as exc:
        return problems("unknown scenario", exc.problems, status=404)
    return {"faults": [rule.to_json() for rule in rules]}


@operation("getPolicies")
async def get_policies(call: ControlRequest) -> Any:
    return call.simulator.policies.to_json()


@operation("updatePolicies")
async def update_policies(call: ControlRequest) -> Any:
    try:
        call.simulator.policies.update(call.body)
    except ScenarioError as exc:
        return problems("the policies were refused; nothing changed", exc.problems)
    return call.simulator.policies.to_json()


@operation("readJournal")
async def read_journal(call: ControlRequest) -> Any:
    journal = call.simulator.journal
    entries = journal.entries(
        face=call.query.get("face"),
        operation=call.query.get("operation"),
        status=call.query.get("status"),
        since=call.query.get("since"),
    )
    if call.query.get("format") == "har":
        from simulator.har import har

        return har(entries)
    return {"capacity": journal.size, "entries": entries}


@operation("clearJournal")
async def clear_journal(call: ControlRequest) -> Any:
    journal = call.simulator.journal
    cleared = len(journal)
    journal.clear()
    return {"cleared": cleared}


@operation("getCoverage")
async def get_coverage(call: ControlRequest) -> Any:
    from simulator.coverage.report import coverage_report

    return coverage_report(call.simulator, call.request.app.state.faces)


@operation("resetCoverage")
async def reset_coverage(call: ControlRequest) -> Any:
    call.simulator.coverage.reset()
    return {"reset": True}


def _clock(call: ControlRequest) -> dict[str, Any]:
    clock = call.simulator.clock
    return {"now": clock.now_ms(), "offset_seconds": clock.offset}


@operation("getClock")
async def get_clock(call: ControlRequest) -> Any:
    return _clock(call)


@operation("advanceClock")
async def advance_clock(call: ControlRequest) -> Any:
    try:
        call.simulator.clock.advance(call.body["advance_seconds"])
    except ValueError as exc:
        return problems("the clock was not moved", [str(exc)])
    return _clock(call)


@operation("checkInvariants")
async def check_invariants(call: ControlRequest) -> Any:
    violations = call.simulator.invariants()
    return {"ok": not violations, "violations": violations}


def _harness_user(call: ControlRequest) -> User | None:
    return call.simulator.harness.state.users.get(call.path["userId"])


def _lockout_state(call: ControlRequest, user: User) -> dict[str, Any]:
    return {
        "userId": user.id,
        "locked": call.simulator.harness.signin.is_locked(user),
        "failedAttempts": user.failed_attempts,
        "lockedUntil": user.locked_until,
    }


@operation("recordFailedLogin")
async def record_failed_login(call: ControlRequest) -> Any:
    user = _harness_user(call)
    if user is None:
        return problems(f"no Harness user {call.path['userId']!r}", status=404)
    return _lockout_state(call, call.simulator.harness.signin.record_failed_attempt(user))


@operation("unlockHarnessUser")
async def unlock_harness_user(call: ControlRequest) -> Any:
    user = _harness_user(call)
    if user is None:
        return problems(f"no Harness user {call.path['userId']!r}", status=404)
    signin = call.simulator.harness.signin
    return _lockout_state(call, signin.unlock(Scope(user.account_id), user.id))


_ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".md": "text/markdown"}


@operation("getExplorerAsset")
async def get_explorer_asset(call: ControlRequest) -> Response:
    name = call.path["asset"]
    path = explorer.asset(name)
    if path is None:
        return problems(f"no explorer file named {name!r}", status=404)
    media = _ASSET_TYPES.get(path.suffix, "text/plain")
    # The files change only with usersim's version: browsers may keep them a day.
    return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=86400"})


@operation("acceptHarnessInvite")
async def accept_harness_invite(call: ControlRequest) -> Any:
    harness = call.simulator.harness
    with harness.lock:
        invite = harness.state.invites.get(call.path["inviteId"])
        if invite is None:
            return problems(f"no pending Harness invite {call.path['inviteId']!r}", status=404)
        outcome = harness.invites.accept(harness.invites.link_token(invite))
    if outcome.user is None:
        return problems(f"Harness invite {invite.id}: {outcome.response}", status=404)
    return {
        "response": outcome.response,
        "inviteId": invite.id,
        "email": invite.email,
        "userId": outcome.user.id,
    }


@operation("readRapidApiInvitations")
async def read_rapidapi_invitations(call: ControlRequest) -> Any:
    mails = call.simulator.rapidapi.invites.mails(
        call.query.get("organizationId"), call.query.get("email")
    )
    return {
        "invitations": [
            {
                "organizationId": mail.org_id,
                "teamUserId": mail.invite_id,
                "email": mail.email,
                "token": mail.token,
                "sentAt": mail.sent_at,
            }
            for mail in mails
        ]
    }


@operation("getContract")
async def get_contract(call: ControlRequest) -> Response:
    name = call.path["name"]
    published = {path.name: path for path in contracts_dir().iterdir() if path.is_file()}
    if name not in published:
        return problems(f"no contract named {name!r}", sorted(published), status=404)
    media = "application/yaml" if name.endswith((".yaml", ".yml")) else "text/plain"
    return FileResponse(published[name], media_type=media)
