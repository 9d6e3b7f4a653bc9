"""Publishes events to the ingest gateway over HTTP, blocking. Every call carries one Idempotency-Key
and every event one event_id, chosen before the first request and sent again unchanged on each
retry, so a retry after a lost answer gets the first answer back instead of making a second event."""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Iterable, List, Mapping, Optional, Union

from .base import ClientBase
from .calls import delay_after, final_error, succeeded
from .events import build_event
from .results import BatchResult, PublishResult, batch_result, publish_result
from .transport import Request, send_once


class NotificationClient(ClientBase):
    __doc__ = "NotificationClient(base_url, api_key).publish_event(event_type=..., producer=..., payload=...)\n\n" + (ClientBase.__doc__ or "")

    def publish_event(self, event_type: str, producer: str, payload: Optional[Mapping[str, Any]] = None, *,
                      severity: Optional[str] = None, dedupe_key: Optional[str] = None,
                      recipients: Optional[List[str]] = None, audience: Optional[str] = None,
                      labels: Optional[Mapping[str, str]] = None, event_id: Optional[str] = None,
                      occurred_at: Union[datetime, int, str, None] = None, tenant: Optional[str] = None,
                      idempotency_key: Optional[str] = None) -> PublishResult:
        """Publishes one event (seed 001's call) and returns once Kafka has it (202). occurred_at: a
        timezone-aware datetime, epoch milliseconds or ISO-8601 text (default now); tenant: must be
        the API key's if given."""
        event = build_event(event_type, producer, payload, severity=severity, dedupe_key=dedupe_key, recipients=recipients,
                            audience=audience, labels=labels, event_id=event_id, occurred_at=occurred_at, tenant=tenant)
        return self.publish(event, idempotency_key=idempotency_key)

    def publish(self, event: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> PublishResult:
        """Publishes one event given as the JSON object of POST /v1/events."""
        request, sent = self._event_request(event, idempotency_key)
        return publish_result(self._call(request), sent["event_id"])

    def publish_batch(self, events: Iterable[Mapping[str, Any]], *, idempotency_key: Optional[str] = None) -> BatchResult:
        """Publishes up to the gateway's batch limit; a 207 is answered, not raised: see BatchResult.rejected."""
        return batch_result(self._call(self._batch_request(events, idempotency_key)))

    def close(self) -> None:
        """Nothing is held between calls; here so the client can be used with `with`."""

    def __enter__(self) -> "NotificationClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, request: Request) -> Any:
        attempts = 0
        while True:
            attempts += 1
            outcome = send_once(self.opener, request)
            if succeeded(outcome):
                return outcome.body  # type: ignore[union-attr]
            delay = delay_after(outcome, attempts, self.policy)
            if delay is None:
                raise final_error(outcome, attempts, request)
            time.sleep(delay)
