#!/usr/bin/env bash
# Entry point of the `kafka` service in docker-compose.yml (image apache/kafka:4.1): a single-node
# KRaft broker with SASL/SCRAM-SHA-512 and ACLs, the same set-up as `KAFKA_AUTH=scram
# infra/kafka/start.sh` (docs/adr/0010-kafka-authentication.md). The image's own launcher cannot
# add SCRAM users when it formats the storage, hence this script.
#
#   KAFKA_ADMIN_PASSWORD       super user `admin` (topics, ACLs, SCRAM users); required
#   KAFKA_CONTROLLER_PASSWORD  the controller listener's own user (PLAIN); required
#   KAFKA_<NAME>_PASSWORD      one per principal of principals.json (KAFKA_PARTY_FEE_PASSWORD for
#                              party-fee); a principal without one gets no SCRAM user (cannot log in)
#   KAFKA_PROCESS_ROLES        broker,controller
#   KAFKA_CLUSTER_SIZE         1 (default: one node) or 3: the compose profile `kafka-cluster`, nodes
#                              `kafka`, `kafka-2`, `kafka-3` (KAFKA_NODE_ID 1..3), each controller and
#                              broker, replication factor 3 and min ISR 2 (as infra/k8s in production)
#   KAFKA_NODE_ID              this node's id (default 1); KAFKA_CLUSTER_ID: the id every node formats
#                              with (required with KAFKA_CLUSTER_SIZE=3)
#
# Every start upserts the principals' SCRAM users (a rotated password takes effect on restart); the
# ACLs are applied by the compose `init` job (tools/stack/init.ts) from the same principals.json.
set -euo pipefail

kafka_home="${KAFKA_HOME:-/opt/kafka}"
data_dir="${KAFKA_DATA_DIR:-/var/lib/kafka/data}"
principals_file="${KAFKA_PRINCIPALS_FILE:-/etc/backbone/principals.json}"
advertised_host="${KAFKA_ADVERTISED_HOST:-kafka}"
bind_host="${KAFKA_BIND_HOST:-}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
config_dir="${KAFKA_CONFIG_DIR:-/tmp/kafka-config}"
cluster_size="${KAFKA_CLUSTER_SIZE:-1}"
node_id="${KAFKA_NODE_ID:-1}"
case "$cluster_size" in
  1)
    voters="1@localhost:$controller_port"
    controller_listener="CONTROLLER://localhost:$controller_port"
    replication=1
    min_isr=1
    ;;
  3)
    : "${KAFKA_CLUSTER_ID:?set KAFKA_CLUSTER_ID (the same on every node) with KAFKA_CLUSTER_SIZE=3}"
    voters="1@kafka:$controller_port,2@kafka-2:$controller_port,3@kafka-3:$controller_port"
    controller_listener="CONTROLLER://:$controller_port"
    replication=3
    min_isr=2
    ;;
  *)
    echo "broker.sh: KAFKA_CLUSTER_SIZE must be 1 or 3, not $cluster_size" >&2
    exit 2
    ;;
esac
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD (the Kafka super user)}"
: "${KAFKA_CONTROLLER_PASSWORD:?set KAFKA_CONTROLLER_PASSWORD (the controller listener user)}"

# Principal names from principals.json without a JSON tool (the image has none): its only "name" keys.
principals="$(grep -o '"name"[[:space:]]*:[[:space:]]*"[a-z0-9-]*"' "$principals_file" | sed 's/.*"\([a-z0-9-]*\)"$/\1/')"
password_of() {
  local variable="KAFKA_$(echo "$1" | tr 'a-z-' 'A-Z_')_PASSWORD"
  echo "${!variable:-}"
}

mkdir -p "$config_dir" "$data_dir"
chmod 700 "$config_dir"
rm -f "$config_dir/users-ready" # the health check waits for it: set again once the users are in place
cat > "$config_dir/server.properties" <<PROPS
process.roles=${KAFKA_PROCESS_ROLES:-broker,controller}
node.id=$node_id
controller.quorum.voters=$voters
listeners=SASL_PLAINTEXT://$bind_host:$port,$controller_listener
advertised.listeners=SASL_PLAINTEXT://$advertised_host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$KAFKA_CONTROLLER_PASSWORD" user_controller="$KAFKA_CONTROLLER_PASSWORD";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
log.dirs=$data_dir
num.partitions=3
default.replication.factor=$replication
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replication
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
PROPS
chmod 600 "$config_dir/server.properties"
cat > "$config_dir/admin-client.properties" <<CLIENT
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
CLIENT
chmod 600 "$config_dir/admin-client.properties"

if [ ! -f "$data_dir/meta.properties" ]; then
  scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]")
  for name in $principals; do
    password="$(password_of "$name")"
    [ -n "$password" ] && scram+=(--add-scram "SCRAM-SHA-512=[name=$name,password=$password]")
  done
  "$kafka_home/bin/kafka-storage.sh" format -t "${KAFKA_CLUSTER_ID:-$("$kafka_home/bin/kafka-storage.sh" random-uuid)}" \
    -c "$config_dir/server.properties" --ignore-formatted "${scram[@]}"
fi

"$kafka_home/bin/kafka-server-start.sh" "$config_dir/server.properties" &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT

# Upsert the SCRAM users once the broker answers (passwords set or rotated since the format).
for _ in $(seq 1 120); do
  "$kafka_home/bin/kafka-broker-api-versions.sh" --bootstrap-server "localhost:$port" \
    --command-config "$config_dir/admin-client.properties" > /dev/null 2>&1 && break
  kill -0 "$broker" 2>/dev/null || break
  sleep 1
done
for name in $principals; do
  password="$(password_of "$name")"
  if [ -z "$password" ]; then
    echo "broker.sh: no KAFKA_$(echo "$name" | tr 'a-z-' 'A-Z_')_PASSWORD: principal $name cannot log in." >&2
    continue
  fi
  "$kafka_home/bin/kafka-configs.sh" --bootstrap-server "localhost:$port" \
    --command-config "$config_dir/admin-client.properties" --alter --entity-type users \
    --entity-name "$name" --add-config "SCRAM-SHA-512=[password=$password]" > /dev/null
done
touch "$config_dir/users-ready"
wait "$broker"
