"""Writes N signed Stripe events, one per line as "<Stripe-Signature>\t<body>", for bench/webhooks.lua.

Each is a customer.subscription.updated for a customer no tenant has, so the API's worker marks it ignored without
asking Stripe: the row measures accepting events (verify, store, answer), not syncing them.
Usage: python3 bench/sign-events.py SECRET COUNT OUT
"""
import hashlib
import hmac
import json
import sys
import time
import uuid

secret, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
now = int(time.time())
with open(out, "w", encoding="utf-8") as lines:
    for _ in range(count):
        body = json.dumps({
            "id": f"evt_bench_{uuid.uuid4().hex}",
            "object": "event",
            "type": "customer.subscription.updated",
            "created": now,
            "api_version": "2026-10-28.clover",
            "data": {"object": {"id": "sub_bench", "object": "subscription", "customer": "cus_bench_no_tenant", "status": "active"}},
        }, separators=(",", ":"))
        signature = hmac.new(secret.encode(), f"{now}.{body}".encode(), hashlib.sha256).hexdigest()
        lines.write(f"t={now},v1={signature}\t{body}\n")
