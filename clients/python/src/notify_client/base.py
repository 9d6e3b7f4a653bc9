"""Settings and request building shared by NotificationClient and AsyncNotificationClient; only how
they wait (blocking or asyncio) differs."""
from __future__ import annotations

import urllib.request
from typing import Any, Iterable, Mapping, Optional, Tuple

from .calls import make_request
from .events import Event, with_event_id
from .retry import RetryPolicy
from .transport import Request


class ClientBase:
    """base_url: the ingest gateway. api_key: sent as `Authorization: Bearer`; it decides the tenant.
    timeout: seconds each request may wait for the connection and for each read.
    retries, base_delay, max_delay, max_retry_after: see RetryPolicy.
    opener: a urllib opener (proxies, TLS context); default urllib.request.build_opener().
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0, retries: int = 3, base_delay: float = 0.2,
                 max_delay: float = 5.0, max_retry_after: float = 30.0,
                 opener: Optional[urllib.request.OpenerDirector] = None):
        if not base_url or not api_key:
            raise ValueError("base_url and api_key are required")
        self.base_url = base_url
        self.api_key = api_key
        self.timeout = timeout
        self.policy = RetryPolicy(retries, base_delay, max_delay, max_retry_after)
        self.opener = opener or urllib.request.build_opener()

    def _event_request(self, event: Mapping[str, Any], idempotency_key: Optional[str]) -> Tuple[Request, Event]:
        identified = with_event_id(event)
        return make_request(self.base_url, "/v1/events", self.api_key, identified, self.timeout, idempotency_key), identified

    def _batch_request(self, events: Iterable[Mapping[str, Any]], idempotency_key: Optional[str]) -> Request:
        body = {"events": [with_event_id(e) for e in events]}
        return make_request(self.base_url, "/v1/events/batch", self.api_key, body, self.timeout, idempotency_key)
