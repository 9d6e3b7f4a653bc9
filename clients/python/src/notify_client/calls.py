"""The parts of a publish call that the sync and the asyncio client share: the request it sends
(one Idempotency-Key, fixed before the first attempt), what each outcome means, and the error."""
from __future__ import annotations

import json
import time
import uuid
from typing import Any, Optional

from .errors import FieldProblem, PublishError
from .retry import RetryPolicy, is_retryable_status, parse_retry_after, retry_delay
from .transport import Answer, NoAnswer, Outcome, Request


def make_request(base_url: str, path: str, api_key: str, body: Any, timeout: float,
                 idempotency_key: Optional[str]) -> Request:
    return Request(
        url=base_url.rstrip("/") + path,
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {api_key}", "Idempotency-Key": idempotency_key or str(uuid.uuid4())},
        body=json.dumps(body).encode("utf-8"),
        timeout=timeout,
    )


def _error_object(body: Any) -> dict:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def delay_after(outcome: Outcome, attempts: int, policy: RetryPolicy) -> Optional[float]:
    """Seconds to wait before the next request, or None when this outcome ends the call."""
    if isinstance(outcome, NoAnswer):
        return retry_delay(attempts - 1, None, policy)
    code = _error_object(outcome.body).get("code")
    if not is_retryable_status(outcome.status, code if isinstance(code, str) else None):
        return None
    return retry_delay(attempts - 1, parse_retry_after(outcome.retry_after, time.time()), policy)


def final_error(outcome: Outcome, attempts: int, request: Request) -> PublishError:
    key = request.headers["Idempotency-Key"]
    if isinstance(outcome, NoAnswer):
        message = f"no answer within {request.timeout} s" if outcome.code == "timeout" else f"the request failed: {outcome.error}"
        return PublishError(None, outcome.code, message, attempts=attempts, idempotency_key=key)
    error = _error_object(outcome.body)
    fields = [FieldProblem(str(f.get("field")), str(f.get("message"))) for f in error.get("fields") or [] if isinstance(f, dict)]
    fallback = outcome.body[:200] if isinstance(outcome.body, str) and outcome.body else f"the server answered {outcome.status}"
    code = error.get("code")
    message = error.get("message")
    return PublishError(outcome.status, code if isinstance(code, str) else f"http_{outcome.status}",
                        message if isinstance(message, str) else fallback, fields, attempts, key)


def succeeded(outcome: Outcome) -> bool:
    return isinstance(outcome, Answer) and 200 <= outcome.status < 300
