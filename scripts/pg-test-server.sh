#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (Debian's `postgresql` package, installed by setup.sh).
#
#   scripts/pg-test-server.sh start DIR [--watch PID]   initdb into DIR, start on 127.0.0.1 on a free port;
#                                                        prints the URL (no password) on stdout, and writes
#                                                        DIR/url and DIR/password (a random password of the
#                                                        superuser "crosswalk", scram-sha-256 over TCP)
#   scripts/pg-test-server.sh stop DIR                   stops the server and removes DIR
#
# PostgreSQL refuses to run as root, so as root the server runs as the unprivileged user `crosswalk-pg`
# (created when missing). With --watch PID a background watcher stops the server and removes DIR once
# process PID has ended (the Swift test kit starts its own server this way when
# CROSSWALK_TEST_POSTGRES_URL is not set). The server is for tests only: fsync is off, unless
# CROSSWALK_PG_DURABLE=1 (benchmarks: commits on disk, as SQLite's synchronous=FULL).
set -euo pipefail

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "error: PostgreSQL's initdb was not found; install Debian's postgresql package (scripts/setup.sh does)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u crosswalk-pg -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop() {
  local dir=$1 bin
  bin=$(bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}

start() {
  local dir=$1 watch=${2:-} bin port password fd
  # Close every inherited descriptor past stderr: the server and the watcher outlive this script, and
  # a caller that waits for an inherited descriptor to close (Foundation's Process does) would wait forever.
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
  done
  bin=$(bindir)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id crosswalk-pg >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin crosswalk-pg
    chown crosswalk-pg "$dir"
  fi
  chmod 700 "$dir"
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$password" > "$dir/password"
  [ "$(id -u)" -eq 0 ] && chown crosswalk-pg "$dir/password"
  as_owner "$bin/initdb" -D "$dir/data" -U crosswalk --pwfile="$dir/password" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${CROSSWALK_PG_DURABLE:-0}" = "1" ] && durability=""
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $durability -c max_connections=400 -c shared_buffers=64MB" \
        start >/dev/null 2>&1; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { echo "error: the test PostgreSQL server did not start; its log:" >&2; cat "$dir/server.log" >&2; exit 1; }
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chmod 644 "$dir/password"
  echo "postgres://crosswalk@127.0.0.1:$port/postgres" > "$dir/url"
  if [ -n "$watch" ]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; "$2" stop "$3"' _ "$watch" "$0" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  cat "$dir/url"
}

case "${1:-}" in
  start) [ $# -ge 2 ] || { echo "usage: $0 start DIR [--watch PID]" >&2; exit 64; }
         if [ "${3:-}" = "--watch" ]; then start "$2" "${4:?--watch needs a PID}"; else start "$2"; fi ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 64; }; stop "$2" ;;
  *) echo "usage: $0 start DIR [--watch PID] | stop DIR" >&2; exit 64 ;;
esac
