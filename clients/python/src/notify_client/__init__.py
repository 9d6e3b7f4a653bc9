"""notify-client: publish events to the notify-platform over HTTP, with the standard library only.

NotificationClient blocks; AsyncNotificationClient is the same for asyncio. Both retry what may
succeed later (no answer, 408, 429, 5xx) with full-jitter backoff or the server's Retry-After, send
one Idempotency-Key per call so a retry is never a second event, and raise PublishError with the
API's status, code and field list.
"""
from .aio import AsyncNotificationClient
from .client import NotificationClient
from .errors import FieldProblem, PublishError
from .events import build_event
from .results import BatchResult, PublishResult, Rejected
from .retry import RetryPolicy

__all__ = ["AsyncNotificationClient", "BatchResult", "FieldProblem", "NotificationClient", "PublishError",
           "PublishResult", "Rejected", "RetryPolicy", "build_event"]
