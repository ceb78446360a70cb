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
#   KAFKA_NODES            1 (default) or 3: a three-node KRaft cluster (start-cluster.sh: RF 3,
#                          min.insync.replicas=2, node n on KAFKA_PORT+2(n-1))
#   KAFKA_ADVERTISED_PORT  the port clients are told to connect to (default KAFKA_PORT): a TCP proxy
#                          in front of the broker (the fault suite's) gets every connection
#   KAFKA_AUTH             `none` (default: PLAINTEXT, anyone may do anything) or `scram`: clients
#                          authenticate with SASL/SCRAM-SHA-512 and may do only what their ACLs
#                          allow (StandardAuthorizer, no ACL = no access). One SCRAM user per
#                          principal of principals.json plus the super user `admin`; passwords are
#                          generated once per data dir into <data dir>/credentials.env (mode 600,
#                          never committed) unless KAFKA_ADMIN_PASSWORD / KAFKA_<NAME>_PASSWORD
#                          give them. The ACLs themselves are applied by tools/infra/kafka-acls.ts
#                          (startLocalKafka, `npm start`, the test set-up, the compose init job).
#   KAFKA_SSL              `true` (with KAFKA_AUTH=scram): TLS on the client listeners (docs/adr/0014).
#                          A development CA (<data dir>/tls/ca.pem, subject "two-tier-backbone
#                          development Kafka CA", refused by production) signs the broker's
#                          certificate (127.0.0.1, localhost) and one client certificate per principal
#                          and admin (<data dir>/tls/<name>.pem + .key, CN=<name>). The client port is
#                          SASL_SSL (SCRAM over TLS); KAFKA_SSL_CLIENT_AUTH_PORT (default KAFKA_PORT+2)
#                          is SSL with a client certificate required, its CN being the principal.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ -n "${KAFKA_BROKERS:-}" ]; then
  echo "KAFKA_BROKERS=$KAFKA_BROKERS is set: using those brokers, starting none."
  exit 0
fi

case "${KAFKA_NODES:-1}" in
  1) ;;
  3) exec "$here/start-cluster.sh" ;;
  *) echo "KAFKA_NODES must be 1 or 3 (got '${KAFKA_NODES}')." >&2; exit 1 ;;
esac

port="${KAFKA_PORT:-9092}"
advertised_port="${KAFKA_ADVERTISED_PORT:-$port}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
data_dir="${KAFKA_DATA_DIR:-$root/.data/kafka-$port}"
heap="${KAFKA_HEAP:-512m}"
lib_dir="${KAFKA_LIB_DIR:-$root/.cache/kafka/lib}"
pid_file="$data_dir/broker.pid"
log_file="$data_dir/broker.log"
timeout_s="${KAFKA_READY_TIMEOUT_S:-120}"
auth="${KAFKA_AUTH:-none}"
credentials_file="$data_dir/credentials.env"
ssl="${KAFKA_SSL:-false}"
tls_dir="$data_dir/tls"
client_auth_port="${KAFKA_SSL_CLIENT_AUTH_PORT:-$((port + 2))}"
case "$ssl" in
  true) [ "$auth" = scram ] || { echo "KAFKA_SSL=true needs KAFKA_AUTH=scram (TLS carries the SCRAM exchange)." >&2; exit 1; } ;;
  false) ;;
  *) echo "KAFKA_SSL must be true or false (got '$ssl')." >&2; exit 1 ;;
esac
case "$auth" in
  none | scram) ;;
  *) echo "KAFKA_AUTH must be none or scram (got '$auth')." >&2; exit 1 ;;
esac

# A data dir keeps the mode it was formatted with: a PLAINTEXT cluster has no SCRAM users, and a
# SCRAM cluster's ACLs would lock out unauthenticated clients.
if [ -f "$data_dir/logs/meta.properties" ]; then
  formatted_auth="$(cat "$data_dir/auth-mode" 2>/dev/null || echo none)"
  if [ "$formatted_auth" != "$auth" ]; then
    echo "$data_dir was formatted with KAFKA_AUTH=$formatted_auth, not $auth." >&2
    echo "Use another KAFKA_PORT / KAFKA_DATA_DIR, or delete that folder to start afresh." >&2
    exit 1
  fi
fi

# name=password lines for admin, the controller and every principal of principals.json; new names
# get a generated password (or KAFKA_<NAME>_PASSWORD), existing ones keep theirs.
new_users=()
ensure_credentials() {
  mkdir -p "$data_dir"
  touch "$credentials_file" && chmod 600 "$credentials_file"
  local names
  names="admin controller $(node -e 'for (const p of require(process.argv[1]).principals) console.log(p.name)' "$here/principals.json")"
  for name in $names; do
    grep -q "^$name=" "$credentials_file" && continue
    local variable="KAFKA_$(echo "$name" | tr 'a-z-' 'A-Z_')_PASSWORD"
    local password="${!variable:-$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("base64url"))')}"
    echo "$name=$password" >> "$credentials_file"
    [ "$name" = controller ] || new_users+=("$name")
  done
}
credential() { sed -n "s/^$1=//p" "$credentials_file"; }

broker_alive() {
  [ -f "$pid_file" ] || return 1
  local pid; pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka"
}

wait_ready() {
  if [ "$ssl" = true ]; then
    KAFKA_SASL_USERNAME=admin KAFKA_SASL_PASSWORD="$(credential admin)" KAFKA_SSL_CA_FILE="$tls_dir/ca.pem" \
      node "$here/wait-ready.mjs" "127.0.0.1:$port" "$timeout_s" "$pid_file"
  elif [ "$auth" = scram ]; then
    KAFKA_SASL_USERNAME=admin KAFKA_SASL_PASSWORD="$(credential admin)" \
      node "$here/wait-ready.mjs" "127.0.0.1:$port" "$timeout_s" "$pid_file"
  else
    node "$here/wait-ready.mjs" "127.0.0.1:$port" "$timeout_s" "$pid_file"
  fi
}

[ "$auth" = scram ] && ensure_credentials

# KAFKA_SSL=true: a development CA, the broker's certificate and a client certificate per user, made
# once per data dir with openssl (EC P-256: quick to make, quick to handshake). The CA's key stays in
# the data dir (mode 700): anyone holding it could mint a principal, which is why production refuses
# this CA by its subject.
client_certificate() {
  local name="$1"
  [ -f "$tls_dir/$name.pem" ] && return 0
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls_dir/$name.key" \
    -subj "/CN=$name" -out "$tls_dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$tls_dir/$name.csr" -CA "$tls_dir/ca.pem" -CAkey "$tls_dir/ca.key" -CAcreateserial \
    -days 825 -extfile <(printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature') \
    -out "$tls_dir/$name.pem" 2>/dev/null
  rm -f "$tls_dir/$name.csr"
}
ensure_tls() {
  [ "$ssl" = true ] || return 0
  ( umask 077; mkdir -p "$tls_dir" )
  if [ ! -f "$tls_dir/ca.pem" ]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls_dir/ca.key" \
      -subj "/CN=two-tier-backbone development Kafka CA" -days 3650 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$tls_dir/ca.pem" 2>/dev/null
  fi
  if [ ! -f "$tls_dir/broker.p12" ]; then
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls_dir/broker.key" \
      -subj "/CN=kafka-broker" -out "$tls_dir/broker.csr" 2>/dev/null
    openssl x509 -req -in "$tls_dir/broker.csr" -CA "$tls_dir/ca.pem" -CAkey "$tls_dir/ca.key" -CAcreateserial \
      -days 825 -out "$tls_dir/broker.pem" \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature') \
      2>/dev/null
    node -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))' > "$tls_dir/keystore-password"
    openssl pkcs12 -export -in "$tls_dir/broker.pem" -inkey "$tls_dir/broker.key" -certfile "$tls_dir/ca.pem" \
      -name broker -passout "file:$tls_dir/keystore-password" -out "$tls_dir/broker.p12"
    rm -f "$tls_dir/broker.csr"
  fi
  local name
  while IFS='=' read -r name _; do
    [ "$name" = controller ] || client_certificate "$name"
  done < "$credentials_file"
}
ensure_tls

# Principals declared after the data dir was formatted: their SCRAM users are added through the
# admin API (ConfigCommand as the super user).
add_new_scram_users() {
  [ "$auth" = scram ] && [ "${#new_users[@]}" -gt 0 ] || return 0
  admin_config="$data_dir/admin-client.properties"
  ( umask 077; cat > "$admin_config" <<CLIENT
security.protocol=$([ "$ssl" = true ] && echo SASL_SSL || echo SASL_PLAINTEXT)
ssl.truststore.type=PEM
ssl.truststore.location=$tls_dir/ca.pem
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(credential admin)";
CLIENT
  )
  for name in "${new_users[@]}"; do
    java -cp "$lib_dir/*" -Dlog4j2.configurationFile="$here/log4j2.xml" kafka.admin.ConfigCommand \
      --bootstrap-server "127.0.0.1:$port" --command-config "$admin_config" --alter \
      --entity-type users --entity-name "$name" --add-config "SCRAM-SHA-512=[password=$(credential "$name")]" \
      >> "$data_dir/format.log" 2>&1 || { echo "Could not add the SCRAM user $name; see $data_dir/format.log" >&2; exit 1; }
  done
  echo "SCRAM users added: ${new_users[*]}"
}

if broker_alive; then
  echo "Kafka already running on 127.0.0.1:$port (PID $(cat "$pid_file")); nothing started."
  wait_ready
  add_new_scram_users
  exit 0
fi

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
ports_to_check=("$port" "$controller_port")
[ "$ssl" = true ] && ports_to_check+=("$client_auth_port")
for p in "${ports_to_check[@]}"; do
  if port_in_use "$p"; then
    echo "Port $p on 127.0.0.1 is taken by another process (not the broker recorded in $pid_file)." >&2
    echo "Set KAFKA_PORT to a free port, or KAFKA_BROKERS to use a broker that is already running." >&2
    exit 1
  fi
done

"$here/install.sh"
mkdir -p "$data_dir/logs"

listener_properties() {
  if [ "$auth" != scram ]; then
    cat <<LISTENERS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$advertised_port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
LISTENERS
    return
  fi
  local admin_password controller_password
  admin_password="$(credential admin)"
  controller_password="$(credential controller)"
  if [ "$ssl" = true ]; then
    cat <<LISTENERS
# KAFKA_SSL=true: SCRAM-SHA-512 over TLS on the client port; on the second port a client certificate
# signed by the CA is the credential and its CN is the principal (the same ACLs apply). The controller
# listener stays on loopback with PLAIN, as without TLS.
listeners=SASL_SSL://127.0.0.1:$port,SSL://127.0.0.1:$client_auth_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port,SSL://127.0.0.1:$client_auth_port
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=$tls_dir/broker.p12
ssl.keystore.password=$(cat "$tls_dir/keystore-password")
ssl.truststore.type=PEM
ssl.truststore.location=$tls_dir/ca.pem
ssl.enabled.protocols=TLSv1.3,TLSv1.2
listener.name.ssl.ssl.client.auth=required
ssl.principal.mapping.rules=RULE:^CN=([A-Za-z0-9._-]+)\$/\$1/,DEFAULT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller_password" user_controller="$controller_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
LISTENERS
    return
  fi
  cat <<LISTENERS
# KAFKA_AUTH=scram: clients (and the broker itself) authenticate with SCRAM-SHA-512 on the client
# listener; the controller listener uses PLAIN with one static user, because SCRAM users live in the
# metadata log that the controller serves (it cannot need them to be reached). No ACL, no access.
listeners=SASL_PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller_password" user_controller="$controller_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
LISTENERS
}

cat > "$data_dir/server.properties" <<PROPS
# Written by infra/kafka/start.sh: single-node KRaft broker for local runs, tests and CI.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
$(listener_properties)
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

# The SCRAM users go into the bootstrap metadata when the storage is formatted (KIP-900), so that
# the broker can authenticate to itself before any client could create them.
scram_format_arguments() {
  [ "$auth" = scram ] || return 0
  local name
  while IFS='=' read -r name password; do
    [ "$name" = controller ] && continue
    printf -- '--add-scram SCRAM-SHA-512=[name=%s,password=%s] ' "$name" "$password"
  done < "$credentials_file"
}

if [ ! -f "$data_dir/logs/meta.properties" ]; then
  cluster_id="$(java -cp "$lib_dir/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  java -cp "$lib_dir/*" -Dlog4j2.configurationFile="$here/log4j2.xml" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$data_dir/server.properties" --ignore-formatted $(scram_format_arguments) \
    > "$data_dir/format.log" 2>&1 || { cat "$data_dir/format.log" >&2; exit 1; }
  echo "$auth" > "$data_dir/auth-mode"
  new_users=() # all in the bootstrap metadata now
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
add_new_scram_users
