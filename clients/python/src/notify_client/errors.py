"""What went wrong with a publish, in the API's own terms: status, error code and every field problem."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class PublishError(Exception):
    """Raised when a publish call ends without the event being accepted.

    status: HTTP status of the last answer, None when no answer came (network failure, timeout).
    code: the API's error code (invalid_event, unauthorized, idempotency_key_reused, ...) or the
      client's own (timeout, network, http_<status>).
    fields: every field problem the API listed.
    attempts: requests made for this call, retries included.
    idempotency_key: the key the call used; call again with it (and the same event) to retry safely.
    """

    def __init__(self, status: Optional[int], code: str, message: str, fields: Optional[List[FieldProblem]] = None,
                 attempts: int = 0, idempotency_key: Optional[str] = None):
        self.status = status
        self.code = code
        self.api_message = message
        self.fields = list(fields or [])
        self.attempts = attempts
        self.idempotency_key = idempotency_key
        listed = "; ".join(f"{f.field} {f.message}" for f in self.fields)
        prefix = "" if status is None else f"{status} "
        super().__init__(f"{prefix}{code}: {message}" + (f": {listed}" if listed else ""))
