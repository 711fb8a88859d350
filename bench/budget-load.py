"""Open-loop portal load for bench/budget.sh: POST /api/subscriptions/portal at a fixed total rate, however long the
answers take, round-robin over the API processes given, each request with the next token of TOKENS.

Why not hey: its -q paces each worker, all workers tick together, and a worker waits for its answer before its next
request. Beyond the budget most answers are instant 503s, but an admitted call waits up to MaxWaitMilliseconds for
its turn, so hey's demand would sag and come in bursts; here it stays at RATE whatever the answers do. Also, every
answer's Retry-After is recorded, which hey's CSV cannot show.

Writes one CSV line per request to OUT:
  offset_s,target,status,latency_ms,retry_after,busy,late_ms
offset_s is when the request was due (from the start), status 0 a socket error, busy 1 if the body says "Billing is
busy", late_ms how long after its due time the request went out. Prints "START_EPOCH SENT P99_LATE_MS MAX_LATE_MS
ERRORS".

Usage: python3 bench/budget-load.py RATE SECONDS TOKENS OUT URL...
Python 3 standard library only.
"""
import concurrent.futures
import http.client
import sys
import threading
import time
import urllib.parse

rate, seconds, tokens_path, out_path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
targets = [urllib.parse.urlsplit(url) for url in sys.argv[5:]]
with open(tokens_path, encoding="ascii") as lines:
    tokens = [line.strip() for line in lines if line.strip()]

local = threading.local()


def connection(index, fresh=False):
    connections = getattr(local, "connections", None)
    if connections is None:
        connections = local.connections = {}
    if fresh or index not in connections:
        if index in connections:
            connections[index].close()
        target = targets[index]
        connections[index] = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    return connections[index]


def one(number, due, start):
    index = number % len(targets)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + tokens[number % len(tokens)]}
    sent = time.perf_counter()
    status, retry_after, busy = 0, "", 0
    for attempt in range(2):  # a kept-alive connection the server closed is retried once on a fresh one
        try:
            conn = connection(index, fresh=attempt > 0)
            conn.request("POST", "/api/subscriptions/portal", body=b"{}", headers=headers)
            response = conn.getresponse()
            body = response.read()
            status, retry_after = response.status, response.getheader("Retry-After") or ""
            busy = int(b"Billing is busy" in body)
            break
        except (OSError, http.client.HTTPException):
            status = 0
    ended = time.perf_counter()
    return f"{due - start:.4f},{index},{status},{(ended - sent) * 1000:.2f},{retry_after},{busy},{(sent - due) * 1000:.2f}"


def main():
    total = int(rate * seconds)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=512) as pool:
        start_epoch = time.time()
        start = time.perf_counter()
        for number in range(total):
            due = start + number / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            results.append(pool.submit(one, number, due, start))
        lines = [future.result() for future in results]
    with open(out_path, "w", encoding="ascii") as out:
        out.write("offset_s,target,status,latency_ms,retry_after,busy,late_ms\n")
        out.write("\n".join(lines) + "\n")
    late = sorted(float(line.rsplit(",", 1)[1]) for line in lines)
    errors = sum(1 for line in lines if line.split(",")[2] == "0")
    print(f"{start_epoch:.6f} {total} {late[int(len(late) * 0.99)]:.1f} {late[-1]:.1f} {errors}")


main()
