"""The asyncio form of NotificationClient: the same calls as coroutines. Each request runs in a
worker thread (urllib blocks) and the waits between retries are asyncio sleeps, so the event loop
is never held up."""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Iterable, List, Mapping, Optional, Union

from .base import ClientBase
from .calls import delay_after, final_error, succeeded
from .events import build_event
from .results import BatchResult, PublishResult, batch_result, publish_result
from .transport import Request, send_once


class AsyncNotificationClient(ClientBase):
    __doc__ = "await AsyncNotificationClient(base_url, api_key).publish_event(event_type=..., producer=..., payload=...)\n\n" + (ClientBase.__doc__ or "")

    async def publish_event(self, event_type: str, producer: str, payload: Optional[Mapping[str, Any]] = None, *,
                            severity: Optional[str] = None, dedupe_key: Optional[str] = None,
                            recipients: Optional[List[str]] = None, audience: Optional[str] = None,
                            labels: Optional[Mapping[str, str]] = None, event_id: Optional[str] = None,
                            occurred_at: Union[datetime, int, str, None] = None, tenant: Optional[str] = None,
                            idempotency_key: Optional[str] = None) -> PublishResult:
        event = build_event(event_type, producer, payload, severity=severity, dedupe_key=dedupe_key, recipients=recipients,
                            audience=audience, labels=labels, event_id=event_id, occurred_at=occurred_at, tenant=tenant)
        return await self.publish(event, idempotency_key=idempotency_key)

    async def publish(self, event: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> PublishResult:
        request, sent = self._event_request(event, idempotency_key)
        return publish_result(await self._call(request), sent["event_id"])

    async def publish_batch(self, events: Iterable[Mapping[str, Any]], *, idempotency_key: Optional[str] = None) -> BatchResult:
        return batch_result(await self._call(self._batch_request(events, idempotency_key)))

    async def close(self) -> None:
        """Nothing is held between calls; here so the client can be used with `async with`."""

    async def __aenter__(self) -> "AsyncNotificationClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(self, request: Request) -> Any:
        attempts = 0
        while True:
            attempts += 1
            outcome = await asyncio.to_thread(send_once, self.opener, request)
            if succeeded(outcome):
                return outcome.body  # type: ignore[union-attr]
            delay = delay_after(outcome, attempts, self.policy)
            if delay is None:
                raise final_error(outcome, attempts, request)
            await asyncio.sleep(delay)
