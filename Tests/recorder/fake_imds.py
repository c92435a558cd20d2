#!/usr/bin/env python3
"""A fake IMDS token endpoint (on 127.0.0.1 unless --host says otherwise) for the recorder's tests and benchmark (fake IDs, unsigned tokens).

It answers as IMDS documents it (seeds/managed-identities-for-azure-resources.md, "Error handling" and
"HTTP response reference"), by what the request asks:

- no `Metadata: true` header: 400 invalid_request "Required metadata header not specified" (bad_request_102);
- client_id / object_id / mi_res_id naming an identity it does not know: 400 "Identity not found";
- client_id THROTTLED_CLIENT: 429 "Temporarily throttled, too many requests" for its first --throttle requests,
  then tokens;
- client_id SILENT_CLIENT: no answer at all (the connection stays open until the client gives up, 60 s at most);
- anything else: 200 with a fake unsigned JWT for the resource (a new token, and so a new fingerprint, each time);
- query echo=true: 200 with what it received (method, target, headers, body), for transparency tests;
- any other path: 404.

Prints `listening PORT` on its first line, then serves until killed.
"""
import argparse
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TENANT = "00000000-0000-0000-0000-0000000000f0"
SUBSCRIPTION = "00000000-0000-0000-0000-0000000000e1"
IDENTITIES = {  # client ID -> (principal ID, name)
    "00000000-0000-0000-0000-0000000000c1": ("00000000-0000-0000-0000-0000000000b1", "uami-recorder"),
    "00000000-0000-0000-0000-0000000000c4": ("00000000-0000-0000-0000-0000000000b4", "uami-throttled"),
}
THROTTLED_CLIENT = "00000000-0000-0000-0000-0000000000c4"
SILENT_CLIENT = "00000000-0000-0000-0000-0000000000c5"
SYSTEM_ASSIGNED = "00000000-0000-0000-0000-0000000000c1"


def resource_id(name):
    return f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg-recorder/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


class State:
    lock = threading.Lock()
    issued = 0
    throttled = {}


def fake_token(client_id, resource):
    principal, name = IDENTITIES[client_id]
    now = int(time.time())
    with State.lock:
        State.issued += 1
        serial = State.issued
    claims = {"aud": resource, "iss": f"https://sts.windows.net/{TENANT}/", "iat": now, "nbf": now, "exp": now + 86400,
              "appid": client_id, "oid": principal, "tid": TENANT, "xms_mirid": resource_id(name),
              "uti": f"fake-uti-{serial:06d}"}
    return b64({"typ": "JWT", "alg": "none"}) + "." + b64(claims) + ".ZmFrZS1zaWduYXR1cmU", now


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "IMDS/150.870.65.1253"
    sys_version = ""
    throttle_first = 1

    def log_message(self, *args):
        pass

    def version_string(self):
        return self.server_version

    def answer(self, status, body, headers=()):
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-00000000fa0" + str(status % 10))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def handle_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        target = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(target.query).items()}
        if query.get("echo") == "true":
            self.answer(200, {"method": self.command, "target": self.path, "headers": [[k, v] for k, v in self.headers.items()],
                              "body": body.decode("utf-8", "replace")}, headers=[("X-Echo", "one"), ("X-Echo", "two")])
            return
        if not target.path.rstrip("/").endswith("/metadata/identity/oauth2/token"):
            self.answer(404, {"error": "not_found", "error_description": "no such endpoint"})
            return
        if self.headers.get("Metadata") != "true":
            self.answer(400, {"error": "invalid_request", "error_description": "Required metadata header not specified"})
            return
        resource = query.get("resource", "")
        client_id = query.get("client_id")
        if client_id == SILENT_CLIENT:
            self.close_connection = True
            time.sleep(60)
            return
        if client_id is None and not (query.get("object_id") or query.get("mi_res_id") or query.get("msi_res_id")):
            client_id = SYSTEM_ASSIGNED
        if client_id not in IDENTITIES:
            self.answer(400, {"error": "invalid_request", "error_description": "Identity not found"})
            return
        if client_id == THROTTLED_CLIENT:
            with State.lock:
                count = State.throttled.get(resource, 0)
                State.throttled[resource] = count + 1
            if count < Handler.throttle_first:
                self.answer(429, {"error": "invalid_request", "error_description": "Temporarily throttled, too many requests"})
                return
        token, now = fake_token(client_id, resource)
        self.answer(200, {"access_token": token, "client_id": client_id, "expires_in": "86400", "expires_on": str(now + 86400),
                          "ext_expires_in": "86399", "not_before": str(now), "refresh_token": "", "resource": resource,
                          "token_type": "Bearer"})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (169.254.169.254 inside a test namespace)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--throttle", type=int, default=1, help="429s the throttled identity gets per resource before a token")
    args = parser.parse_args()
    Handler.throttle_first = args.throttle
    # Many clients connect at once: a listen backlog of 5 (the default) drops their SYNs, which come back a second later.
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
