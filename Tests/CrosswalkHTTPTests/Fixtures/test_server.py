#!/usr/bin/env python3
"""Loopback HTTP server for CrosswalkHTTPTests and transport-benchmark (Python standard library only).

Binds 127.0.0.1 on free ports and prints one line of JSON on stdout: {"http": PORT} plus
"https": PORT when --cert and --key are given. Exits when its standard input closes, so it never
outlives the test process. Every route that gets ?key=K counts the hit under K.

Routes (any method):
  /echo                      200, JSON {method, path, query, headers, body, peer_port}
  /status/N                  status N, empty body
  /flaky?fail=N&key=K        status (?status=, default 503) for the first N hits of K, then 200 "ok"
  /ratelimit429?retry_after=S&fail=N&key=K   429 with Retry-After: S for the first N hits (default 1), then 200
  /slow?ms=N                 waits N ms, then 200 "slow"
  /gzip                      a known text, gzip-encoded when the request accepts gzip
  /count?key=K               200, the number of hits K got (this call not counted)
  /concurrency?key=K&ms=N    holds the request N ms (default 50) while counting K's requests in flight
  /concurrency/max?key=K     200, the most requests of K that were ever in flight at once
"""
import argparse
import gzip
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

GZIP_TEXT = b"crosswalk gzip payload " * 64

lock = threading.Lock()
hits = {}
in_flight = {}
max_in_flight = {}


def count_hit(key):
    with lock:
        hits[key] = hits.get(key, 0) + 1
        return hits[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def reply(self, status, body=b"", headers=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = query.get("key")
        path = url.path
        if path == "/count":
            with lock:
                return self.reply(200, str(hits.get(key, 0)))
        if path == "/concurrency/max":
            with lock:
                return self.reply(200, str(max_in_flight.get(key, 0)))
        hit = count_hit(key) if key else 0
        if path == "/echo":
            echo = {
                "method": self.command,
                "path": url.path,
                "query": url.query,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
                "peer_port": self.client_address[1],
            }
            return self.reply(200, json.dumps(echo), {"Content-Type": "application/json"})
        if path.startswith("/status/"):
            return self.reply(int(path.rsplit("/", 1)[1]))
        if path == "/flaky":
            if hit <= int(query.get("fail", "0")):
                return self.reply(int(query.get("status", "503")), "failing on purpose")
            return self.reply(200, "ok")
        if path == "/ratelimit429":
            if hit <= int(query.get("fail", "1")):
                return self.reply(429, "slow down", {"Retry-After": query.get("retry_after", "1")})
            return self.reply(200, "ok")
        if path == "/slow":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            return self.reply(200, "slow")
        if path == "/gzip":
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                return self.reply(200, gzip.compress(GZIP_TEXT), {"Content-Encoding": "gzip"})
            return self.reply(200, GZIP_TEXT)
        if path == "/concurrency":
            with lock:
                in_flight[key] = in_flight.get(key, 0) + 1
                max_in_flight[key] = max(max_in_flight.get(key, 0), in_flight[key])
            try:
                time.sleep(int(query.get("ms", "50")) / 1000)
            finally:
                with lock:
                    in_flight[key] -= 1
            return self.reply(200, "ok")
        return self.reply(404, "no such route")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs when tests connect at once (a 1 s retransmit)

    def handle_error(self, request, client_address):
        pass  # clients that time out and hang up are expected here


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", help="PEM certificate for the https listener")
    parser.add_argument("--key", help="PEM private key for the https listener")
    args = parser.parse_args()
    ports = {"http": serve(QuietServer(("127.0.0.1", 0), Handler))}
    if args.cert and args.key:
        tls = QuietServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        tls.socket = context.wrap_socket(tls.socket, server_side=True)
        ports["https"] = serve(tls)
    print(json.dumps(ports), flush=True)
    sys.stdin.read()  # returns when the parent closes our stdin or exits
    os._exit(0)


if __name__ == "__main__":
    main()
