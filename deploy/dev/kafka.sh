#!/usr/bin/env bash
# A single-broker Apache Kafka (KRaft, no ZooKeeper) for development and tests,
# from Apache Kafka's published jars on Maven Central (no downloads from
# elsewhere). Needs Java 17+ and Maven.
#
#   deploy/dev/kafka.sh fetch                 resolve and cache the jars
#   deploy/dev/kafka.sh start [DIR] [PORT]    format DIR (once) and start; prints KAFKA_BROKERS=host:port
#   deploy/dev/kafka.sh stop [DIR]            stop the broker started in DIR
#   deploy/dev/kafka.sh start-secure DIR [PORT] [SASL_PORT]
#       as start, plus a SASL_SSL listener (SCRAM-SHA-512/256 over TLS, a throw-away
#       CA in DIR/tls/ca.crt) with ACLs enforced there (StandardAuthorizer, no ACL
#       means deny). PLAINTEXT stays open for the hub services as a super user
#       (User:ANONYMOUS); SCRAM user `admin` (password in DIR/admin.password) is
#       one too. Prints KAFKA_BROKERS=..., KAFKA_SASL_BROKERS=..., KAFKA_CA=...
#   deploy/dev/kafka.sh configs ARGS...      Kafka's kafka-configs tool from the cached jars
#   deploy/dev/kafka.sh scram-user BROKERS USER PASSWORD_FILE [MECHANISM]
#   deploy/dev/kafka.sh scram-delete BROKERS USER [MECHANISM]
#       create/replace or delete a SCRAM user (Kafka's ConfigCommand over the
#       PLAINTEXT listener; MECHANISM defaults to SCRAM-SHA-512)
#
# DIR defaults to ./data/dev-kafka, PORT to a free port. The jars are cached in
# ${NILECARE_CACHE:-~/.cache/nilecare}/kafka-<version>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/kafka-pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
cache="${NILECARE_CACHE:-$HOME/.cache/nilecare}/kafka-$version"
libs="$cache/libs"

fetch() {
  if [ -f "$cache/.complete" ]; then return; fi
  command -v mvn >/dev/null || { echo "kafka.sh: Maven (mvn) is needed: apt-get install maven" >&2; exit 1; }
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime >&2
  touch "$cache/.complete"
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local dir="${1:-./data/dev-kafka}" port="${2:-}"
  command -v java >/dev/null || { echo "kafka.sh: Java 17+ is needed: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
  fetch
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/kafka.pid" ] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
    echo "KAFKA_BROKERS=$(cat "$dir/brokers")"
    return
  fi
  [ -n "$port" ] || port="$(free_port)"
  local controller
  controller="$(free_port)"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/logs
num.partitions=16
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=16
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
compression.type=producer
PROPS
  if [ -n "${secure_props:-}" ]; then local extra="${secure_props//PLAINPORT/$port}"; printf '%s\n' "${extra//CONTROLLERPORT/$controller}" >>"$dir/server.properties"; fi
  local java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info -cp "$libs/*")
  [ -n "${format_extra+x}" ] || format_extra=()
  if [ ! -f "$dir/logs/meta.properties" ]; then
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" "${format_extra[@]}" >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
  fi
  nohup java "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 &
  echo $! >"$dir/kafka.pid"
  echo "127.0.0.1:$port" >"$dir/brokers"
  for _ in $(seq 1 120); do
    if ! kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
      echo "kafka.sh: the broker exited; its log:" >&2; tail -40 "$dir/kafka.log" >&2; exit 1
    fi
    if grep -q "Kafka Server started" "$dir/kafka.log" 2>/dev/null; then
      echo "KAFKA_BROKERS=127.0.0.1:$port"
      return
    fi
    sleep 0.5
  done
  echo "kafka.sh: the broker did not start within 60 s; its log: $dir/kafka.log" >&2
  exit 1
}

stop() {
  local dir="${1:-./data/dev-kafka}"
  [ -f "$dir/kafka.pid" ] || return 0
  local pid
  pid="$(cat "$dir/kafka.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$dir/kafka.pid"
}

tls_material() {
  local tls="$1/tls"
  [ -f "$tls/server.pem" ] && return
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=NileCare dev Kafka CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" \
    -out "$tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$tls/san.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 3650 -extfile "$tls/san.ext" -out "$tls/server.crt" >/dev/null 2>&1
  # Kafka's PEM keystore wants an unencrypted PKCS#8 key followed by the certificate chain.
  { openssl pkcs8 -topk8 -nocrypt -in "$tls/server.key"; cat "$tls/server.crt" "$tls/ca.crt"; } >"$tls/server.pem"
  chmod 600 "$tls"/*.key "$tls/server.pem"
}

start_secure() {
  local dir="${1:?usage: start-secure DIR [PORT] [SASL_PORT]}" port="${2:-}" sasl_port="${3:-}"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/kafka.pid" ] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null && [ -f "$dir/sasl-brokers" ]; then
    echo "KAFKA_BROKERS=$(cat "$dir/brokers")"
    echo "KAFKA_SASL_BROKERS=$(cat "$dir/sasl-brokers")"
    echo "KAFKA_CA=$dir/tls/ca.crt"
    return
  fi
  [ -n "$sasl_port" ] || sasl_port="$(free_port)"
  [ -f "$dir/admin.password" ] || { node -e "console.log(require('crypto').randomBytes(18).toString('base64url'))" >"$dir/admin.password"; chmod 600 "$dir/admin.password"; }
  tls_material "$dir"
  local jaas='org.apache.kafka.common.security.scram.ScramLoginModule required;'
  secure_props="listeners=PLAINTEXT://127.0.0.1:PLAINPORT,SASL_SSL://127.0.0.1:$sasl_port,CONTROLLER://127.0.0.1:CONTROLLERPORT
advertised.listeners=PLAINTEXT://127.0.0.1:PLAINPORT,SASL_SSL://127.0.0.1:$sasl_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$jaas
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$jaas
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$dir/tls/server.pem
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:admin
allow.everyone.if.no.acl.found=false"
  format_extra=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(cat "$dir/admin.password")]")
  start "$dir" "$port" | sed '/^KAFKA_BROKERS=/!d'
  echo "127.0.0.1:$sasl_port" >"$dir/sasl-brokers"
  echo "KAFKA_SASL_BROKERS=127.0.0.1:$sasl_port"
  echo "KAFKA_CA=$dir/tls/ca.crt"
}

scram() {
  local brokers="$1" action="$2" user="$3" mechanism="$4" password_file="${5:-}"
  fetch
  local config
  if [ "$action" = add ]; then
    config="$mechanism=[iterations=8192,password=$(tr -d '\n' <"$password_file")]"
    java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.admin.ConfigCommand \
      --bootstrap-server "$brokers" --alter --add-config "$config" --entity-type users --entity-name "$user" >/dev/null
  else
    java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.admin.ConfigCommand \
      --bootstrap-server "$brokers" --alter --delete-config "$mechanism" --entity-type users --entity-name "$user" >/dev/null
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  start-secure) shift; start_secure "$@" ;;
  configs) shift; fetch; exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.admin.ConfigCommand "$@" ;;
  scram-user) shift; scram "${1:?BROKERS}" add "${2:?USER}" "${4:-SCRAM-SHA-512}" "${3:?PASSWORD_FILE}" ;;
  scram-delete) shift; scram "${1:?BROKERS}" delete "${2:?USER}" "${3:-SCRAM-SHA-512}" ;;
  *) echo "usage: $0 fetch | start [DIR] [PORT] | stop [DIR]" >&2; exit 2 ;;
esac
