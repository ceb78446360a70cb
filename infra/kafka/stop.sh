#!/usr/bin/env bash
# Stops exactly the broker whose PID start.sh recorded (same KAFKA_PORT / KAFKA_DATA_DIR).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${KAFKA_PORT:-9092}"

# KAFKA_NODES=3: stop each node of the cluster that start-cluster.sh started (same folder).
if [ "${KAFKA_NODES:-1}" = 3 ]; then
  cluster_dir="${KAFKA_DATA_DIR:-$root/.data/kafka-cluster-$port}"
  for n in 1 2 3; do
    [ -d "$cluster_dir/node-$n" ] || continue
    KAFKA_NODES=1 KAFKA_DATA_DIR="$cluster_dir/node-$n" bash "$here/stop.sh" &
  done
  wait
  exit 0
fi

data_dir="${KAFKA_DATA_DIR:-$root/.data/kafka-$port}"
pid_file="$data_dir/broker.pid"

[ -f "$pid_file" ] || { echo "No Kafka PID file at $pid_file: nothing to stop."; exit 0; }
pid="$(cat "$pid_file")"
if ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka"; then
  echo "Kafka PID $pid is not running; removing the stale PID file."
  rm -f "$pid_file"; exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; echo "Kafka (PID $pid) stopped."; exit 0; }
  sleep 0.5
done
echo "Kafka (PID $pid) did not stop in 30 s; killing it."
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pid_file"
