#!/usr/bin/env bash
# Starts a three-node Apache Kafka KRaft cluster on this machine (start.sh runs it when
# KAFKA_NODES=3): three processes, each controller and broker, with bounded heaps; topics
# replicated 3 times with min.insync.replicas=2, so that one node may die without losing an
# acknowledged write (producers use acks=all and idempotence: libs/messaging). Idempotent per
# node: a node whose PID is alive is left alone, a dead one is started again (the fault suite
# restarts a killed node this way).
#
#   KAFKA_PORT             client port of node 1 (default 9092); node n listens on KAFKA_PORT+2(n-1)
#                          and its controller on the port after it (9092/9093, 9094/9095, 9096/9097)
#   KAFKA_DATA_DIR         cluster folder, one node-<n> folder inside (default .data/kafka-cluster-<port>)
#   KAFKA_HEAP             JVM heap per node (default 384m)
#   KAFKA_READY_TIMEOUT_S  how long to wait for the three brokers (default 180)
#   KAFKA_START_NODES      which nodes to start (default "1 2 3"), e.g. "2" to restart node 2 only
# The cluster is PLAINTEXT (KAFKA_AUTH=scram is for the single node).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ "${KAFKA_AUTH:-none}" != none ]; then
  echo "KAFKA_NODES=3 runs a PLAINTEXT cluster; KAFKA_AUTH=${KAFKA_AUTH} is for the single node." >&2
  exit 1
fi
base_port="${KAFKA_PORT:-9092}"
data_dir="${KAFKA_DATA_DIR:-$root/.data/kafka-cluster-$base_port}"
heap="${KAFKA_HEAP:-384m}"
lib_dir="${KAFKA_LIB_DIR:-$root/.cache/kafka/lib}"
timeout_s="${KAFKA_READY_TIMEOUT_S:-180}"
nodes="${KAFKA_START_NODES:-1 2 3}"

client_port() { echo $((base_port + 2 * ($1 - 1))); }
controller_port() { echo $((base_port + 2 * ($1 - 1) + 1)); }
voters="1@127.0.0.1:$(controller_port 1),2@127.0.0.1:$(controller_port 2),3@127.0.0.1:$(controller_port 3)"
brokers="127.0.0.1:$(client_port 1),127.0.0.1:$(client_port 2),127.0.0.1:$(client_port 3)"

node_alive() {
  local pid_file="$data_dir/node-$1/broker.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka"
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

"$here/install.sh"
mkdir -p "$data_dir"
# One cluster id for the three nodes, chosen once.
if [ ! -f "$data_dir/cluster.id" ]; then
  java -cp "$lib_dir/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 > "$data_dir/cluster.id"
fi
cluster_id="$(cat "$data_dir/cluster.id")"

started=()
for n in $nodes; do
  node_dir="$data_dir/node-$n"
  if node_alive "$n"; then
    echo "Kafka node $n already running on 127.0.0.1:$(client_port "$n") (PID $(cat "$node_dir/broker.pid"))."
    continue
  fi
  for p in "$(client_port "$n")" "$(controller_port "$n")"; do
    if port_in_use "$p"; then
      echo "Port $p on 127.0.0.1 is taken by another process (not node $n of $data_dir)." >&2
      echo "Set KAFKA_PORT to a free range of six ports, or KAFKA_BROKERS to use running brokers." >&2
      exit 1
    fi
  done
  mkdir -p "$node_dir/logs"
  cat > "$node_dir/server.properties" <<PROPS
# Written by infra/kafka/start-cluster.sh: node $n of a three-node KRaft cluster (controller + broker).
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$(client_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(client_port "$n")
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$node_dir/logs
num.partitions=3
# Every topic on all three nodes; a write is acknowledged once two of them have it (acks=all).
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# A killed node's partitions move to the others quickly; the broker is fenced after this long.
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
log.retention.hours=168
log.segment.bytes=268435456
PROPS
  if [ ! -f "$node_dir/logs/meta.properties" ]; then
    java -cp "$lib_dir/*" -Dlog4j2.configurationFile="$here/log4j2.xml" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$node_dir/server.properties" --ignore-formatted \
      > "$node_dir/format.log" 2>&1 || { cat "$node_dir/format.log" >&2; exit 1; }
  fi
  setsid nohup java -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.xml" \
    -cp "$lib_dir/*" kafka.Kafka "$node_dir/server.properties" \
    >> "$node_dir/broker.log" 2>&1 < /dev/null &
  echo $! > "$node_dir/broker.pid"
  started+=("$n")
  echo "Kafka node $n starting on 127.0.0.1:$(client_port "$n") (PID $!, log $node_dir/broker.log) ..."
done

# Ready = the metadata lists all three brokers (a node started alone waits for the others' quorum).
if ! KAFKA_EXPECTED_BROKERS=3 node "$here/wait-ready.mjs" "$brokers" "$timeout_s"; then
  for n in "${started[@]}"; do
    echo "Last lines of node $n's log:" >&2
    tail -n 20 "$data_dir/node-$n/broker.log" >&2 || true
  done
  exit 1
fi
echo "Kafka cluster ready: $brokers"
