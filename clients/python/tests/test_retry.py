import unittest
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

from notify_client.retry import RetryPolicy, backoff_delay, is_retryable_status, parse_retry_after, retry_delay

POLICY = RetryPolicy(retries=4, base_delay=0.1, max_delay=1.0, max_retry_after=10.0)


class RetryableStatusTest(unittest.TestCase):
    def test_retries_timeouts_rate_limits_and_server_errors(self):
        for status in (408, 429, 500, 502, 503, 504):
            self.assertTrue(is_retryable_status(status, None), status)

    def test_no_other_client_error(self):
        for status in (400, 401, 403, 404, 409, 413, 422):
            self.assertFalse(is_retryable_status(status, "x"), status)

    def test_a_409_only_while_the_same_key_is_in_flight(self):
        self.assertTrue(is_retryable_status(409, "idempotency_key_in_flight"))
        self.assertFalse(is_retryable_status(409, "idempotency_key_reused"))


class RetryAfterTest(unittest.TestCase):
    def test_delay_seconds(self):
        self.assertEqual(parse_retry_after(" 3 ", 0), 3.0)

    def test_http_date(self):
        now = datetime(2025, 1, 1, tzinfo=timezone.utc)
        later = format_datetime(now + timedelta(seconds=7), usegmt=True)
        self.assertAlmostEqual(parse_retry_after(later, now.timestamp()), 7.0)
        earlier = format_datetime(now - timedelta(seconds=60), usegmt=True)
        self.assertEqual(parse_retry_after(earlier, now.timestamp()), 0.0)

    def test_absent_or_unreadable(self):
        for value in (None, "soon", "-1", ""):
            self.assertIsNone(parse_retry_after(value, 0), value)


class BackoffTest(unittest.TestCase):
    def test_ceiling_doubles_up_to_the_maximum(self):
        delays = [backoff_delay(retry, POLICY, lambda: 1.0) for retry in (0, 1, 2, 3, 4, 10)]
        self.assertEqual([round(d, 3) for d in delays], [0.1, 0.2, 0.4, 0.8, 1.0, 1.0])

    def test_full_jitter_starts_at_zero(self):
        self.assertEqual(backoff_delay(3, POLICY, lambda: 0.0), 0.0)
        self.assertAlmostEqual(backoff_delay(3, POLICY, lambda: 0.5), 0.4)

    def test_retry_after_wins_and_is_capped(self):
        self.assertEqual(retry_delay(0, 2.5, POLICY, lambda: 0.0), 2.5)
        self.assertIsNone(retry_delay(0, 10.5, POLICY))

    def test_ends_when_retries_are_used_up(self):
        self.assertIsNotNone(retry_delay(3, None, POLICY))
        self.assertIsNone(retry_delay(4, None, POLICY))


if __name__ == "__main__":
    unittest.main()
