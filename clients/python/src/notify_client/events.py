"""The JSON body of one event, as POST /v1/events takes it (the fields of schemas/avro/Event.avsc)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Union

Event = Dict[str, Any]


def build_event(event_type: str, producer: str, payload: Optional[Mapping[str, Any]] = None, *,
                severity: Optional[str] = None, dedupe_key: Optional[str] = None,
                recipients: Optional[List[str]] = None, audience: Optional[str] = None,
                labels: Optional[Mapping[str, str]] = None, event_id: Optional[str] = None,
                occurred_at: Union[datetime, int, str, None] = None, tenant: Optional[str] = None) -> Event:
    """An event with an event_id (a new UUID unless given), leaving out what the gateway defaults."""
    event: Event = {"event_id": event_id or str(uuid.uuid4()), "type": event_type, "producer": producer,
                    "payload": dict(payload or {})}
    optional = {"severity": severity, "dedupe_key": dedupe_key, "recipients": recipients, "audience": audience,
                "labels": dict(labels) if labels is not None else None, "tenant": tenant,
                "occurred_at": _epoch_ms(occurred_at) if isinstance(occurred_at, datetime) else occurred_at}
    event.update({k: v for k, v in optional.items() if v is not None})
    return event


def with_event_id(event: Mapping[str, Any]) -> Event:
    """The caller's event with an event_id it keeps for every retry: a new UUID when it has none."""
    return dict(event) if event.get("event_id") else {**event, "event_id": str(uuid.uuid4())}


def _epoch_ms(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("occurred_at must be a timezone-aware datetime (a naive one has no single instant)")
    return int(at.timestamp() * 1000)
