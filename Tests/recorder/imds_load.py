#!/usr/bin/env python3
"""Many clients asking a token endpoint at once, as the task slots of a busy node do: N threads, each
sending M token requests one after the other on a new connection each (http.client), with Metadata: true.

Prints one JSON line per request: {"client", "request", "status", "ms" (wall time of the whole request),
"fingerprint" (the first 12 hex digits of the SHA-256 of the access_token received, as mitrail's redactor
writes it)}. With --interleave URL2, each request is sent to the first URL and then to URL2, in turns, so that
both are measured under the same load (the benchmark's direct / recorded pairs).
"""
import argparse
import hashlib
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def request(url, client, index):
    parts = urlsplit(url)
    target = parts.path + "?" + parts.query
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    try:
        connection.request("GET", target, headers={"Metadata": "true"})
        response = connection.getresponse()
        body = response.read()
        status = response.status
    except OSError as error:
        body, status = str(error).encode(), 0
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    fingerprint = None
    try:
        token = json.loads(body).get("access_token")
        if token:
            fingerprint = hashlib.sha256(token.encode()).hexdigest()[:12]
    except ValueError:
        pass
    return {"client": client, "request": index, "url": url, "status": status, "ms": round(elapsed, 4), "fingerprint": fingerprint}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--interleave", help="a second URL, asked in turns with the first")
    args = parser.parse_args()
    results, lock = [], threading.Lock()

    def run(client):
        for index in range(args.requests):
            # In turns: A then B, B then A, so that neither always goes first.
            urls = [args.url, args.interleave] if args.interleave else [args.url]
            for url in (urls if index % 2 == 0 else urls[::-1]):
                outcome = request(url, client, index)
                with lock:
                    results.append(outcome)

    threads = [threading.Thread(target=run, args=(client,)) for client in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in results:
        sys.stdout.write(json.dumps(outcome) + "\n")


if __name__ == "__main__":
    main()
