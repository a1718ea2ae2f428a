#!/usr/bin/env bash
# A single-broker Apache Kafka (KRaft, no ZooKeeper) for development and tests,
# from Apache Kafka's published jars on Maven Central (no downloads from
# elsewhere). Needs Java 17+ and Maven.
#
#   deploy/dev/kafka.sh fetch                 resolve and cache the jars
#   deploy/dev/kafka.sh start [DIR] [PORT]    format DIR (once) and start; prints KAFKA_BROKERS=host:port
#   deploy/dev/kafka.sh stop [DIR]            stop the broker started in DIR
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
  local java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info -cp "$libs/*")
  if [ ! -f "$dir/logs/meta.properties" ]; then
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
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

case "${1:-}" in
  fetch) fetch ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 fetch | start [DIR] [PORT] | stop [DIR]" >&2; exit 2 ;;
esac
