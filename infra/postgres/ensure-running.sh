#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster when it does not answer on 127.0.0.1:5432.
# Not used when DATABASE_URL is set (an external server) or under testcontainers.
set -euo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  exit 0
fi
command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL is not running and pg_ctlcluster is not installed; set DATABASE_URL" >&2; exit 1; }
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
echo "Starting PostgreSQL $version (cluster main) ..."
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 60); do
  pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
  sleep 0.5
done
echo "PostgreSQL did not answer on 127.0.0.1:5432 within 30 s" >&2
exit 1
