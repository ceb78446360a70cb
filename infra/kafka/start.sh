#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, broker+controller) from the jars that
# install.sh resolved with Maven, in the background, and waits until it answers metadata
# requests. Idempotent: when the broker recorded in the PID file is alive, nothing changes.
#
#   KAFKA_BROKERS          set: use those brokers, start nothing
#   KAFKA_PORT             client port on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  controller port on 127.0.0.1 (default KAFKA_PORT+1)
#   KAFKA_DATA_DIR         data, config, PID and log (default .data/kafka-<port>, git-ignored)
#   KAFKA_HEAP             JVM heap, at most 1g (default 512m)
#   KAFKA_READY_TIMEOUT_S  how long to wait for metadata answers (default 120)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ -n "${KAFKA_BROKERS:-}" ]; then
  echo "KAFKA_BROKERS=$KAFKA_BROKERS is set: using those brokers, starting none."
  exit 0
fi

port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
data_dir="${KAFKA_DATA_DIR:-$root/.data/kafka-$port}"
heap="${KAFKA_HEAP:-512m}"
lib_dir="${KAFKA_LIB_DIR:-$root/.cache/kafka/lib}"
pid_file="$data_dir/broker.pid"
log_file="$data_dir/broker.log"
timeout_s="${KAFKA_READY_TIMEOUT_S:-120}"

broker_alive() {
  [ -f "$pid_file" ] || return 1
  local pid; pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka"
}

wait_ready() {
  node "$here/wait-ready.mjs" "127.0.0.1:$port" "$timeout_s" "$pid_file"
}

if broker_alive; then
  echo "Kafka already running on 127.0.0.1:$port (PID $(cat "$pid_file")); nothing started."
  wait_ready
  exit 0
fi

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for p in "$port" "$controller_port"; do
  if port_in_use "$p"; then
    echo "Port $p on 127.0.0.1 is taken by another process (not the broker recorded in $pid_file)." >&2
    echo "Set KAFKA_PORT to a free port, or KAFKA_BROKERS to use a broker that is already running." >&2
    exit 1
  fi
done

"$here/install.sh"
mkdir -p "$data_dir/logs"

cat > "$data_dir/server.properties" <<PROPS
# Written by infra/kafka/start.sh: single-node KRaft broker for local runs, tests and CI.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data_dir/logs
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Topics are declared in infra/kafka/topics.json and created by the stack and test set-up.
auto.create.topics.enable=false
# One node: no reason to delay the first rebalance of a consumer group.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=268435456
PROPS

if [ ! -f "$data_dir/logs/meta.properties" ]; then
  cluster_id="$(java -cp "$lib_dir/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  java -cp "$lib_dir/*" -Dlog4j2.configurationFile="$here/log4j2.xml" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$data_dir/server.properties" --ignore-formatted > "$data_dir/format.log" 2>&1 \
    || { cat "$data_dir/format.log" >&2; exit 1; }
fi

# setsid: the broker gets its own session so that a Ctrl-C meant for `npm start` reaches
# it only through stop.sh, after the services have shut down.
setsid nohup java -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$here/log4j2.xml" \
  -cp "$lib_dir/*" kafka.Kafka "$data_dir/server.properties" \
  >> "$log_file" 2>&1 < /dev/null &
echo $! > "$pid_file"
echo "Kafka starting on 127.0.0.1:$port (PID $(cat "$pid_file"), log $log_file) ..."
if ! wait_ready; then
  echo "Kafka did not become ready; last lines of $log_file:" >&2
  tail -n 30 "$log_file" >&2 || true
  exit 1
fi
