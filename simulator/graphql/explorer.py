"""The GraphiQL page a GraphQL face's GET serves, with every asset from usersim itself.

The page loads GraphiQL and React from `/_usersim/explorer/` (the files in `assets/`,
shipped in the package with their licences; `scripts/vendor-graphiql.sh` refreshes them),
never from a CDN, so an explorer works where there is no internet. It posts to the URL
it was opened at (so CurrentGen's `?accountId=` comes along) and starts with the face's
default headers filled in, the default fixture's key, so a query runs at once.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_PREFIX = "/_usersim/explorer/"
# What the explorer page loads, in order (the licences and README are served too).
STYLESHEET = "graphiql.min.css"
SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js")


def asset(name: str) -> Path | None:
    """A shipped asset by file name (nothing outside the directory), or None."""
    path = ASSETS / name
    return path if "/" not in name and path.is_file() else None


def explorer_page(title: str, default_query: str, default_headers: dict[str, str]) -> str:
    """The HTML of an explorer for the endpoint the page is served from."""
    scripts = "\n".join(f'<script src="{ASSET_PREFIX}{name}"></script>' for name in SCRIPTS)
    options = {
        "defaultQuery": default_query,
        "defaultHeaders": json.dumps(default_headers, indent=2),
        "defaultEditorToolsVisibility": "headers",
        "shouldPersistHeaders": True,
    }
    # Inside <script>, "</" would end the element: JSON allows writing it as "<\/".
    props = json.dumps(options).replace("</", "<\\/")
    return _PAGE.format(
        title=escape(title),
        stylesheet=f"{ASSET_PREFIX}{STYLESHEET}",
        scripts=scripts,
        props=props,
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
html, body {{ height: 100%; margin: 0; }}
#graphiql {{ height: 100vh; }}
</style>
<link rel="stylesheet" href="{stylesheet}">
{scripts}
</head>
<body>
<div id="graphiql">Loading...</div>
<script>
const props = {props};
props.fetcher = GraphiQL.createFetcher({{ url: window.location.href }});
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, props)
);
</script>
</body>
</html>
"""
