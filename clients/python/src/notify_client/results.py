"""What a successful publish answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List

from .errors import FieldProblem


@dataclass(frozen=True)
class PublishResult:
    event_id: str


@dataclass(frozen=True)
class Rejected:
    index: int
    """Position of the event in the request."""
    fields: List[FieldProblem]


@dataclass(frozen=True)
class BatchResult:
    accepted: List[str]
    """Ids of the accepted events, in request order."""
    rejected: List[Rejected] = field(default_factory=list)


def publish_result(body: Any, sent_event_id: str) -> PublishResult:
    event_id = body.get("event_id") if isinstance(body, dict) else None
    return PublishResult(event_id if isinstance(event_id, str) else sent_event_id)


def batch_result(body: Any) -> BatchResult:
    body = body if isinstance(body, dict) else {}
    rejected = [Rejected(int(r.get("index", -1)), [FieldProblem(str(f.get("field")), str(f.get("message"))) for f in r.get("fields") or []])
                for r in body.get("rejected") or []]
    return BatchResult([str(a) for a in body.get("accepted") or []], rejected)
