"""The retry loop of both clients against a scripted local HTTP server."""
import asyncio
import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notify_client import AsyncNotificationClient, NotificationClient, PublishError, build_event

ACCEPT = ("accept", None)


class ScriptedServer:
    """Answers each request with the next scripted reply: (status, body, headers), "accept", "hang" or "drop"."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.seen = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
                reply = server.replies.pop(0) if server.replies else (500, {"error": {"code": "unscripted", "message": "x"}}, {})
                if reply == "drop":
                    self.connection.close()
                    return
                if reply == "hang":
                    time.sleep(0.5)
                    self.connection.close()
                    return
                if reply == "accept":
                    reply = (202, {"event_id": body.get("event_id"), "status": "accepted_for_processing"}, {})
                status, payload, headers = reply
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def error(status, code, headers=None, fields=None):
    body = {"error": {"code": code, "message": f"{code} happened", **({"fields": fields} if fields else {})}}
    return (status, body, headers or {})


class ClientTest(unittest.TestCase):
    def serve(self, replies):
        server = ScriptedServer(replies)
        self.addCleanup(server.close)
        return server

    def client(self, server, **options):
        return NotificationClient(server.url, "k1", **{"retries": 3, "base_delay": 0.001, "max_delay": 0.005, "timeout": 2.0, **options})

    def test_retries_with_one_key_and_one_event_id(self):
        server = self.serve([error(503, "unavailable"), "drop", "accept"])
        result = self.client(server).publish_event(event_type="ORDER_FILLED", producer="trading-system", payload={"user_id": "u1"})
        self.assertEqual(len(server.seen), 3)
        self.assertEqual(len({s["headers"]["Idempotency-Key"] for s in server.seen}), 1)
        self.assertEqual(len({json.dumps(s["body"], sort_keys=True) for s in server.seen}), 1)
        self.assertEqual(result.event_id, server.seen[0]["body"]["event_id"])
        self.assertEqual(server.seen[0]["headers"]["Authorization"], "Bearer k1")
        self.assertEqual(server.seen[0]["path"], "/v1/events")

    def test_a_new_key_per_call_or_the_callers(self):
        server = self.serve(["accept", "accept", "accept"])
        client = self.client(server)
        client.publish_event("T", "p")
        client.publish_event("T", "p")
        client.publish_event("T", "p", event_id="mine", idempotency_key="order-456")
        keys = [s["headers"]["Idempotency-Key"] for s in server.seen]
        self.assertNotEqual(keys[0], keys[1])
        self.assertEqual(keys[2], "order-456")
        self.assertEqual(server.seen[2]["body"]["event_id"], "mine")

    def test_waits_out_retry_after(self):
        server = self.serve([error(429, "rate_limited", {"Retry-After": "1"}), "accept"])
        started = time.monotonic()
        self.client(server).publish_event("T", "p")
        self.assertGreaterEqual(time.monotonic() - started, 0.95)
        self.assertEqual(len(server.seen), 2)

    def test_no_retry_of_other_client_errors(self):
        for status in (400, 401, 403, 404, 409):
            server = self.serve([error(status, f"code_{status}")])
            with self.assertRaises(PublishError) as raised:
                self.client(server).publish_event("T", "p")
            self.assertEqual((raised.exception.status, raised.exception.code, raised.exception.attempts), (status, f"code_{status}", 1))
            self.assertEqual(len(server.seen), 1)

    def test_retries_408_and_a_key_in_flight(self):
        server = self.serve([error(408, "timeout"), error(409, "idempotency_key_in_flight", {"Retry-After": "0"}), "accept"])
        self.client(server).publish_event("T", "p")
        self.assertEqual(len(server.seen), 3)

    def test_the_field_list_of_a_400(self):
        fields = [{"field": "producer", "message": "is required"}, {"field": "severity", "message": "unknown"}]
        server = self.serve([error(400, "invalid_event", fields=fields)])
        with self.assertRaises(PublishError) as raised:
            self.client(server).publish_event("T", "")
        self.assertEqual([(f.field, f.message) for f in raised.exception.fields], [("producer", "is required"), ("severity", "unknown")])
        self.assertIn("producer is required", str(raised.exception))

    def test_gives_up_with_the_last_answer_and_its_key(self):
        server = self.serve([error(503, "unavailable")] * 3)
        with self.assertRaises(PublishError) as raised:
            self.client(server, retries=2).publish_event("T", "p")
        self.assertEqual((raised.exception.status, raised.exception.attempts), (503, 3))
        self.assertEqual(raised.exception.idempotency_key, server.seen[0]["headers"]["Idempotency-Key"])

    def test_a_too_long_retry_after_ends_the_call(self):
        server = self.serve([error(503, "unavailable", {"Retry-After": "120"})])
        with self.assertRaises(PublishError):
            self.client(server).publish_event("T", "p")
        self.assertEqual(len(server.seen), 1)

    def test_timeout_is_retried_and_reported(self):
        server = self.serve(["hang", "accept"])
        self.client(server, timeout=0.2).publish_event("T", "p")
        self.assertEqual(len(server.seen), 2)
        server = self.serve(["hang", "hang"])
        with self.assertRaises(PublishError) as raised:
            self.client(server, timeout=0.2, retries=1).publish_event("T", "p")
        self.assertEqual((raised.exception.status, raised.exception.code, raised.exception.attempts), (None, "timeout", 2))

    def test_a_non_json_error_answer(self):
        server = self.serve([(502, "<h1>Bad gateway</h1>", {"Content-Type": "text/html"})] * 2)
        with self.assertRaises(PublishError) as raised:
            self.client(server, retries=1).publish_event("T", "p")
        self.assertEqual((raised.exception.status, raised.exception.code), (502, "http_502"))
        self.assertIn("Bad gateway", str(raised.exception))

    def test_batch(self):
        rejected = [{"index": 1, "fields": [{"field": "producer", "message": "is required"}]}]
        server = self.serve([(207, {"accepted": ["a"], "rejected": rejected}, {})])
        result = self.client(server).publish_batch([build_event("T", "p"), {"type": "T", "producer": ""}])
        sent = server.seen[0]["body"]["events"]
        self.assertEqual(server.seen[0]["path"], "/v1/events/batch")
        self.assertTrue(all(e["event_id"] for e in sent))
        self.assertEqual(result.accepted, ["a"])
        self.assertEqual([(r.index, r.fields[0].field) for r in result.rejected], [(1, "producer")])

    def test_async_client_follows_the_same_rules(self):
        server = self.serve([error(503, "unavailable", {"Retry-After": "0"}), "accept", error(401, "unauthorized")])

        async def run():
            async with AsyncNotificationClient(server.url, "k1", base_delay=0.001) as client:
                first = await client.publish_event(event_type="T", producer="p", severity="critical")
                with self.assertRaises(PublishError) as raised:
                    await client.publish_event(event_type="T", producer="p")
                return first, raised.exception

        first, refused = asyncio.run(run())
        self.assertEqual(first.event_id, server.seen[0]["body"]["event_id"])
        self.assertEqual(server.seen[0]["headers"]["Idempotency-Key"], server.seen[1]["headers"]["Idempotency-Key"])
        self.assertEqual((refused.status, refused.attempts), (401, 1))


class EventTest(unittest.TestCase):
    def test_build_event_leaves_out_what_the_gateway_defaults(self):
        from datetime import datetime, timezone
        event = build_event("ORDER_FILLED", "trading-system", {"user_id": "u1"}, severity="medium",
                            occurred_at=datetime(2024, 1, 15, 10, tzinfo=timezone.utc), labels={"a": "b"})
        self.assertEqual(set(event), {"event_id", "type", "producer", "payload", "severity", "occurred_at", "labels"})
        self.assertEqual(event["occurred_at"], 1705312800000)
        with self.assertRaises(ValueError):
            build_event("T", "p", occurred_at=datetime(2024, 1, 15))


if __name__ == "__main__":
    unittest.main()
