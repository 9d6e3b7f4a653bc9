"""When a failed request is tried again and how long to wait first: full-jitter exponential backoff,
or exactly what the server asked for in Retry-After. Pure, so the rules are tested alone."""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    """Retries after the first request (0: never retry)."""
    base_delay: float = 0.2
    """First backoff ceiling in seconds; it doubles each retry up to max_delay."""
    max_delay: float = 5.0
    max_retry_after: float = 30.0
    """A Retry-After longer than this ends the call with the error instead of sleeping that long."""


def is_retryable_status(status: int, code: Optional[str]) -> bool:
    """A client error is final, except a timeout (408), rate limiting (429), and a 409 saying this
    very Idempotency-Key is still being answered: that is our own earlier attempt, and giving up would
    leave the caller unsure whether the event was taken."""
    if status >= 500 or status in (408, 429):
        return True
    return status == 409 and code == "idempotency_key_in_flight"


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After value (delay-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d+", text):
        return float(text)
    try:
        at = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None or at.tzinfo is None:
        return None
    return max(0.0, at.timestamp() - (time.time() if now is None else now))


def backoff_delay(retry: int, policy: RetryPolicy, rand: Callable[[], float] = random.random) -> float:
    """Full jitter: uniformly between 0 and the attempt's ceiling, so many clients retrying do not arrive together."""
    return rand() * min(policy.max_delay, policy.base_delay * 2 ** retry)


def retry_delay(retry: int, retry_after: Optional[float], policy: RetryPolicy,
                rand: Callable[[], float] = random.random) -> Optional[float]:
    """The wait before retry number `retry` (0-based), or None when the call must end now."""
    if retry >= policy.retries:
        return None
    if retry_after is not None:
        return retry_after if retry_after <= policy.max_retry_after else None
    return backoff_delay(retry, policy, rand)
