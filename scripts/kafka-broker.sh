#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker and controller in one JVM, no ZooKeeper)
# for tests, from Maven Central only: Maven resolves the broker's jars into a cache outside
# the repo, then `java -cp` runs kafka.Kafka. Needs Java 17+ and mvn.
#
#   scripts/kafka-broker.sh start   # prints the broker address (host:port) on stdout when it answers
#   scripts/kafka-broker.sh stop    # stops it and removes its data
#   scripts/kafka-broker.sh status
#
# KAFKA_VERSION (4.1.1), KAFKA_PORT (19092; the controller listens on KAFKA_PORT+1),
# KAFKA_CACHE_DIR (~/.cache/grocery-kafka), KAFKA_RUN_DIR (/tmp/grocery-kafka-$KAFKA_PORT),
# KAFKA_START_TIMEOUT (seconds, 90).
set -euo pipefail

VERSION=${KAFKA_VERSION:-4.1.1}
PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=$((PORT + 1))
CACHE=${KAFKA_CACHE_DIR:-${HOME:-/root}/.cache/grocery-kafka}/$VERSION
RUN=${KAFKA_RUN_DIR:-${TMPDIR:-/tmp}/grocery-kafka-$PORT}
TIMEOUT=${KAFKA_START_TIMEOUT:-90}
LOG4J_VERSION=2.24.3   # the log4j-core kafka 4.1 depends on
SLF4J_VERSION=2.0.17
REPO=$(cd "$(dirname "$0")/.." && pwd)

say() { echo "kafka-broker: $*" >&2; }
die() { say "$*"; exit 1; }

running_pid() {
  [[ -f $RUN/pid ]] || return 1
  local pid
  pid=$(cat "$RUN/pid")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The broker's jars, resolved by Maven once per version into $CACHE/libs.
resolve_jars() {
  [[ -f $CACHE/libs/.complete ]] && return 0
  command -v mvn >/dev/null || die "mvn not found (Maven resolves the broker's jars)"
  mkdir -p "$CACHE"
  cat >"$CACHE/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.grocery</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>$VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <!-- kafka.Kafka and kafka.tools.StorageTool, with kafka-server, -raft, -metadata, -storage ... -->
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <!-- Logging: the pom brings slf4j-api 1.7 and log4j-core but no binding between them. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>$SLF4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  say "resolving org.apache.kafka:kafka_2.13:$VERSION with Maven into $CACHE/libs"
  rm -rf "$CACHE/libs"
  mvn -B -q -Dstyle.color=never -f "$CACHE/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$CACHE/libs" -DincludeScope=runtime >&2 || die "Maven could not resolve the broker's jars"
  [[ -f $CACHE/libs/kafka_2.13-$VERSION.jar ]] || die "no kafka_2.13-$VERSION.jar after Maven"
  touch "$CACHE/libs/.complete"
}

write_config() {
  mkdir -p "$RUN/data" "$RUN/logs"
  cat >"$RUN/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN/data
# One node: every internal topic with one replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The bus creates its topics itself (KafkaBus.ensureTopic) and never asks for auto-creation.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
# Tests join and leave groups all the time: no waiting for more members.
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=1
EOF
  cat >"$RUN/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $RUN/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.state.name = state.change.logger
logger.state.level = warn
logger.request.name = kafka.request.logger
logger.request.level = warn
EOF
}

# Answers a metadata request through kafkajs (the client the bus uses), when the repo has it.
kafkajs_ready() {
  node -e '
    const { Kafka, logLevel } = require(require.resolve("kafkajs", { paths: [process.argv[1] + "/platform"] }));
    const admin = new Kafka({ clientId: "kafka-broker-sh", brokers: [process.argv[2]], logLevel: logLevel.NOTHING,
      retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
    admin.connect().then(() => admin.listTopics()).then(() => admin.disconnect()).then(
      () => process.exit(0), () => process.exit(1));
  ' "$REPO" "127.0.0.1:$PORT" 2>/dev/null
}

have_kafkajs() {
  node -e 'require.resolve("kafkajs", { paths: [process.argv[1] + "/platform"] })' "$REPO" 2>/dev/null
}

start() {
  if pid=$(running_pid); then
    say "already running (pid $pid)"
    echo "127.0.0.1:$PORT"
    return 0
  fi
  command -v java >/dev/null || die "java not found (Kafka 4 needs Java 17+)"
  port_open "$PORT" && die "port $PORT is taken by another program (set KAFKA_PORT)"
  port_open "$CONTROLLER_PORT" && die "port $CONTROLLER_PORT is taken by another program (set KAFKA_PORT)"
  resolve_jars
  rm -rf "$RUN"
  write_config
  local cp="$CACHE/libs/*"
  local java_opts=(-Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$RUN/log4j2.properties" "-Dkafka.logs.dir=$RUN/logs")
  # A fresh cluster id (22 characters of URL-safe base64, as `kafka-storage.sh random-uuid` prints).
  local cluster_id
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$RUN/server.properties" >"$RUN/logs/format.out" 2>&1 ||
    { cat "$RUN/logs/format.out" >&2; die "formatting the KRaft storage failed"; }

  local t0=$SECONDS
  java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$RUN/server.properties" \
    </dev/null >"$RUN/logs/stdout.log" 2>&1 &
  echo $! >"$RUN/pid"
  local pid=$!
  local check=port_open
  have_kafkajs && check=kafkajs_ready
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$RUN/logs/stdout.log" "$RUN/logs/server.log" >&2 2>/dev/null || true
      die "the broker exited while starting (logs above; $RUN/logs)"
    fi
    if port_open "$PORT" && { [[ $check == port_open ]] || kafkajs_ready; }; then break; fi
    if ((SECONDS - t0 > TIMEOUT)); then
      tail -n 40 "$RUN/logs/server.log" >&2 2>/dev/null || true
      stop >/dev/null 2>&1 || true
      die "the broker did not answer on 127.0.0.1:$PORT within ${TIMEOUT}s"
    fi
    sleep 0.5
  done
  say "Kafka $VERSION (KRaft) answering on 127.0.0.1:$PORT after $((SECONDS - t0))s (pid $pid, logs in $RUN/logs)"
  echo "127.0.0.1:$PORT"
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      say "the broker did not stop within 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped (pid $pid)"
  else
    say "not running"
  fi
  rm -rf "$RUN"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then say "running (pid $pid) on 127.0.0.1:$PORT"; else say "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
