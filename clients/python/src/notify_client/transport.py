"""One HTTP request of a publish call: it yields the server's answer (any status) or says why none
came. Deciding what to do next is the caller's job (calls.py)."""
from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    retry_after: Optional[str]


@dataclass(frozen=True)
class NoAnswer:
    code: str
    """timeout or network"""
    error: BaseException


Outcome = Union[Answer, NoAnswer]


@dataclass(frozen=True)
class Request:
    url: str
    headers: Dict[str, str]
    body: bytes
    timeout: float


def _parse(raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _is_timeout(error: BaseException) -> bool:
    reason = getattr(error, "reason", error)
    return isinstance(reason, (socket.timeout, TimeoutError))


def send_once(opener: urllib.request.OpenerDirector, request: Request) -> Outcome:
    req = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
    try:
        with opener.open(req, timeout=request.timeout) as response:
            return Answer(response.status, _parse(response.read()), response.headers.get("Retry-After"))
    except urllib.error.HTTPError as error:
        # urllib raises for every status >= 400; for us that is an answer like any other.
        try:
            body = _parse(error.read())
        except (OSError, http.client.HTTPException) as cut:
            return NoAnswer("timeout" if _is_timeout(cut) else "network", cut)
        finally:
            error.close()
        return Answer(error.code, body, error.headers.get("Retry-After") if error.headers else None)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return NoAnswer("timeout" if _is_timeout(error) else "network", error)
