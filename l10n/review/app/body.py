"""Reading a write's JSON body: its type, its size, and whether it parses."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

MAX_BODY = 256_000


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status)


async def read_json(request: Request, what: str) -> tuple[Any, JSONResponse | None]:
    """(the parsed body, None), or (None, the error response naming ``what`` was wrong)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return None, error(415, f"send the {what} as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return None, error(413, f"the {what} is too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None, error(413, f"the {what} is too large")
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, error(400, f"the {what} is not JSON")
    except RecursionError:
        return None, error(400, f"the {what} is nested too deeply — send one flat JSON object")
