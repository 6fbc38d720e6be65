"""The control API's error shape: a message and one line per problem."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.http import JSONResponse


def problems(message: str, details: Sequence[str] = (), status: int = 400) -> JSONResponse:
    return JSONResponse({"message": message, "problems": list(details)}, status_code=status)
