"""A loopback Stripe that enforces a rate limit, for bench/budget.sh.

It answers POST /v1/billing_portal/sessions with a portal session (as bench/stripe-standin.conf does) and
GET /v1/subscriptions with an empty list, each with a Request-Id header. Across all paths together it admits at most
BUDGET requests in any one-second window (sliding: a request is refused when BUDGET requests were already admitted
in the second before it arrived) and answers the rest 429 rate_limit_error, as Stripe does beyond an account's limit.
Refused requests do not count against the window, so the 200s in any second never exceed BUDGET.

Every request to a Stripe path leaves one line in LOG: "<unix time> <path> <status> <admitted in the last second>".
GET /ready answers 200 and is not logged.

Usage: python3 bench/stripe-budget-fake.py PORT BUDGET LOG
Python 3 standard library only.
"""
import collections
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, budget, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

SESSION = (b'{"id":"bps_bench","object":"billing_portal.session","customer":"cus_bench","livemode":false,'
           b'"created":1700000000,"return_url":"https://app.example.com/settings/billing",'
           b'"url":"https://billing.stripe.com/p/session/test_bench"}')
EMPTY_LIST = b'{"object":"list","data":[],"has_more":false,"url":"/v1/subscriptions"}'
RATE_LIMITED = (b'{"error":{"type":"rate_limit_error","code":"rate_limit",'
                b'"message":"Too many requests hit the API too quickly. The bench fake allows ' + str(budget).encode() +
                b' requests per second."}}')
NOT_FOUND = b'{"error":{"type":"invalid_request_error","message":"Unrecognized request URL."}}'

lock = threading.Lock()
admitted = collections.deque()  # monotonic arrival times of the requests admitted in the last second
log = open(log_path, "a", buffering=1, encoding="ascii")
sequence = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Stripe.net's HttpClient expects
    # Headers and body go out in two writes: with Nagle's algorithm on, the body would wait for the client's delayed
    # ACK of the headers, 40 ms on every call.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def do_POST(self):
        self.handle_stripe("/v1/billing_portal/sessions", SESSION)

    def do_GET(self):
        if self.path == "/ready":
            self.answer(200, b"{}")
            return
        self.handle_stripe("/v1/subscriptions", EMPTY_LIST)

    def handle_stripe(self, expected_path, body):
        arrived = time.monotonic()
        wall = time.time()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        global sequence
        with lock:
            while admitted and admitted[0] <= arrived - 1.0:
                admitted.popleft()
            if path != expected_path:
                status, answer = 404, NOT_FOUND
            elif len(admitted) < budget:
                admitted.append(arrived)
                status, answer = 200, body
            else:
                status, answer = 429, RATE_LIMITED
            sequence += 1
            request_id = f"req_budget_{sequence}"
            log.write(f"{wall:.6f} {path} {status} {len(admitted)}\n")
        self.answer(status, answer, request_id)

    def answer(self, status, body, request_id=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if request_id:
            self.send_header("Request-Id", request_id)
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
Server(("127.0.0.1", port), Handler).serve_forever()
