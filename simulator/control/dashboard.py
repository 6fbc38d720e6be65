"""The dashboard at GET /_usersim/: a server-rendered page for local development.

It shows what the simulator holds (accounts, users, groups, organizations, teams, with
counts and a search), the active fault rules with buttons for the presets, locked users
with an unlock button, the latest requests, and the contract coverage (the gaps first).
It refreshes itself every few seconds.
The buttons call the control API, so the page adds no behaviour of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import orjson

from simulator import __version__
from simulator.coverage.report import coverage_report, rows, short
from simulator.face import Faces
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

ROW_LIMIT = 50
JOURNAL_ROWS = 25


def _script_string(value: str | None) -> str:
    """A JavaScript literal for inside <script>: JSON, with `<` escaped so no value can
    close the element (HTML entities mean nothing there)."""
    return orjson.dumps(value).decode().replace("<", "\\u003c")


def render(simulator: Simulator, faces: Faces, search: str, token: str | None) -> str:
    term = search.strip().lower()
    sections = [
        _harness(simulator, term),
        _rapidapi(simulator, term),
        _faults(simulator),
        _journal(simulator),
        _coverage(coverage_report(simulator, faces)),
    ]
    return _PAGE.format(
        version=escape(__version__),
        search=escape(search, quote=True),
        token=_script_string(token),
        links=_links(faces),
        live="\n".join(sections),
    )


def _links(faces: Faces) -> str:
    """Every face's explorers, then every published contract: each opens what it names."""
    explorers = [
        f'<a href="{escape(path, quote=True)}">GraphiQL for {escape(face.title)}'
        + (f" ({escape(path)})" if len(face.explorers) > 1 else "")
        + "</a>"
        for face in faces
        for path in face.explorers
    ]
    contracts = " ".join(
        f'<a href="/_usersim/contracts/{escape(path.name)}">{escape(path.name)}</a>'
        for path in sorted(contracts_dir().iterdir())
        if path.is_file()
    )
    return " · ".join([*explorers, f"contracts: {contracts}"])


def _matches(term: str, *values: Any) -> bool:
    return not term or any(term in str(value).lower() for value in values if value is not None)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, empty: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    if not body:
        body = f'<tr><td colspan="{len(headers)}" class="empty">{escape(empty)}</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _harness(simulator: Simulator, term: str) -> str:
    store = simulator.harness
    state = store.state
    parts = ["<section id='harness'><h2>Harness</h2>"]
    with store.lock:
        for account in state.accounts.ordered("all", ""):
            users = state.users.ordered("name", account.id)
            groups = [g for g in state.groups.values() if g.account_id == account.id]
            shown = [u for u in users if _matches(term, u.name, u.email, u.id)][:ROW_LIMIT]
            user_rows = []
            for user in shown:
                locked = store.signin.is_locked(user)
                action = (
                    f'<button class="unlock" data-user="{escape(user.id, quote=True)}">Unlock</button>'
                    if locked
                    else ""
                )
                user_rows.append(
                    [
                        escape(user.name),
                        escape(user.email),
                        f"<code>{escape(user.id)}</code>",
                        "locked" if locked else "active",
                        action,
                    ]
                )
            group_rows = [
                [escape(g.name), f"<code>{escape(g.id)}</code>", str(len(g.member_ids))]
                for g in sorted(groups, key=lambda g: g.name.lower())
                if _matches(term, g.name, g.id)
            ][:ROW_LIMIT]
            parts.append(
                f"<h3>Account {escape(account.name)} <code>{escape(account.id)}</code></h3>"
                f"<p class='counts'>{len(users)} users · {len(groups)} user groups</p>"
                + _table(
                    ["Name", "Email", "Id", "Lockout", ""], user_rows, empty="no matching users"
                )
                + _table(["Group", "Id", "Members"], group_rows, empty="no matching groups")
            )
    parts.append("</section>")
    return "".join(parts)


def _rapidapi(simulator: Simulator, term: str) -> str:
    store = getattr(simulator, "rapidapi", None)
    if store is None:
        return ""
    state = store.state
    with store.lock:
        users = state.users.values()
        teams = state.teams.values()
        organizations = state.organizations.values()
        user_rows = [
            [
                escape(str(u.name)),
                escape(str(u.email)),
                f"<code>{u.id}</code>",
                escape(str(u.status)),
            ]
            for u in sorted(users, key=lambda u: u.id)
            if _matches(term, u.name, u.email, u.id, u.username)
        ][:ROW_LIMIT]
        team_rows = [
            [escape(str(t.name)), f"<code>{t.id}</code>", f"<code>{t.org_id}</code>"]
            for t in sorted(teams, key=lambda t: t.id)
            if _matches(term, t.name, t.id)
        ][:ROW_LIMIT]
    return (
        "<section id='rapidapi'><h2>RapidAPI</h2>"
        f"<p class='counts'>{len(organizations)} organizations · {len(teams)} teams · "
        f"{len(users)} users</p>"
        + _table(["Name", "Email", "Id", "Status"], user_rows, empty="no matching users")
        + _table(["Team", "Id", "Organization"], team_rows, empty="no matching teams")
        + "</section>"
    )


def _faults(simulator: Simulator) -> str:
    rows = []
    for rule in simulator.scenarios.rules():
        rows.append(
            [
                f"<code>{escape(rule.id)}</code>",
                escape(rule.face or "any"),
                escape(rule.operation or "any"),
                escape(rule.action),
                f"{rule.fired}" + (" (spent)" if rule.exhausted else ""),
            ]
        )
    presets = "".join(
        f'<button class="preset" data-preset="{escape(name, quote=True)}" '
        f'title="{escape(preset.description, quote=True)}">{escape(name)}</button>'
        for name, preset in sorted(simulator.scenarios.presets.items())
    )
    return (
        "<section id='faults'><h2>Fault rules</h2>"
        + _table(["Id", "Face", "Operation", "Action", "Fired"], rows, empty="no fault rules")
        + f"<p>Add a preset: {presets} <button id='clear-faults'>Clear rules</button></p></section>"
    )


def _journal(simulator: Simulator) -> str:
    entries = simulator.journal.entries()[-JOURNAL_ROWS:]
    rows = [
        [
            str(entry["id"]),
            escape(entry["face"] or "-"),
            escape(entry["operation"] or entry["path"]),
            str(entry["status"] or "dropped"),
            f"{entry['durationMs']:.1f} ms",
            escape(entry["fault"] or ""),
        ]
        for entry in reversed(entries)
    ]
    return (
        "<section id='journal'><h2>Latest requests</h2>"
        + _table(
            ["#", "Face", "Operation", "Status", "Time", "Fault"], rows, empty="no requests yet"
        )
        + "</section>"
    )


def _coverage(report: dict[str, Any]) -> str:
    totals = " · ".join(
        f"{escape(face)}: {short(entry['totals']['operations'])} operations, "
        f"{short(entry['totals']['answers'])} answers, {short(entry['totals']['codes'])} error codes"
        for face, entry in report["faces"].items()
    )
    table = _table(
        ["Face", "Operation", "Calls", "Answers given", "Documented, never given"],
        (
            [
                escape(row.face),
                f"<code>{escape(row.operation)}</code>",
                str(row.calls),
                escape(", ".join(row.given + [f"{s} (undocumented)" for s in row.undocumented])),
                escape(", ".join(row.missing)),
            ]
            for row in rows(report)
        ),
        empty="no operations",
    )
    return (
        "<section id='coverage'><h2>Coverage</h2>"
        f"<p class='counts'>{totals} (<a href='/_usersim/coverage'>JSON</a>)</p>"
        f"{table}</section>"
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>usersim</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; }}
td.empty {{ color: #888; }}
code {{ font-size: 0.85em; }}
.counts {{ color: #555; margin: 0; }}
button {{ margin: 0 0.2rem; }}
</style>
</head>
<body>
<h1>usersim <small>{version}</small></h1>
<p>{links}</p>
<form method="get" action="/_usersim/"><input id="search" name="q" value="{search}"
 placeholder="search users, groups, teams"> <button type="submit">Search</button></form>
<div id="live">
{live}
</div>
<script>
const token = {token};
const headers = {{"content-type": "application/json"}};
if (token) {{ headers["X-Usersim-Token"] = token; }}
async function control(method, path) {{
  await fetch(path, {{method, headers}});
  await refresh();
}}
async function refresh() {{
  const url = new URL(window.location.href);
  const response = await fetch(url, {{headers}});
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  document.getElementById("live").innerHTML = page.getElementById("live").innerHTML;
}}
document.addEventListener("click", (event) => {{
  const target = event.target;
  if (target.matches("button.preset")) {{
    control("POST", "/_usersim/scenarios/" + encodeURIComponent(target.dataset.preset));
  }} else if (target.matches("#clear-faults")) {{
    control("DELETE", "/_usersim/faults");
  }} else if (target.matches("button.unlock")) {{
    control("POST", "/_usersim/harness/users/" + encodeURIComponent(target.dataset.user) + "/unlock");
  }}
}});
setInterval(refresh, 3000);
</script>
</body>
</html>
"""
