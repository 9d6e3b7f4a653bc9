#!/usr/bin/env bash
# Local dev/test/CI stack without Docker: Kafka (KRaft), Apicurio Registry
# (Confluent-compatible API) and the `notifications` PostgreSQL database.
#
#   stack.sh up [--brokers 3]
#                           start whatever is not already running, wait until it answers;
#                           --brokers 3: three KRaft brokers (replication 3, min ISR 2), kept
#                           until `down --purge` (the node count is part of the formatted data)
#   stack.sh down [--purge] stop what `up` started; --purge also drops Kafka data and logs
#   stack.sh status         show what is running (exit 0 only when everything answers)
#   stack.sh env            print the connection settings as shell exports
#   stack.sh smoke          create a topic, round-trip a message, register a schema
#
# Usage from a shell or CI step:  eval "$(infra/local/stack.sh up)"
# Progress goes to stderr and only the exports go to stdout, so that works.
#
# Setting KAFKA_BROKERS, SCHEMA_REGISTRY_URL or DATABASE_URL to something other
# than the local default means "use that one": the matching server is neither
# started nor stopped. The defaults themselves are treated as unset, so a shell
# that has already eval'ed `env` can still run `up` after a `down`.
#
# Downloads are cached in $NOTIFY_STACK_HOME (default ~/.cache/notify-stack);
# data, logs and pid files live in $NOTIFY_STACK_HOME/run. Nothing is written
# into the git checkout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_HOME="${NOTIFY_STACK_HOME:-$HOME/.cache/notify-stack}"
# Absolute, because it is also the marker that identifies our processes.
[[ "$STACK_HOME" == /* ]] || STACK_HOME="$PWD/$STACK_HOME"
RUN_DIR="$STACK_HOME/run"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
READY_TIMEOUT="${NOTIFY_STACK_TIMEOUT:-120}"

KAFKA_VERSION=3.9.1
REGISTRY_VERSION=3.0.9
KAFKA_LIBS="$STACK_HOME/kafka-$KAFKA_VERSION/libs"
REGISTRY_DIR="$STACK_HOME/apicurio-registry-$REGISTRY_VERSION"
REGISTRY_JAR="$REGISTRY_DIR/apicurio-registry-app-$REGISTRY_VERSION-runner.jar"
KAFKA_RUN="$RUN_DIR/kafka"
KAFKA_DATA="$KAFKA_RUN/data"
REGISTRY_RUN="$RUN_DIR/registry"
# Fixed rather than random so the docker-compose stack and this one format
# identically and a log line from either can be matched to its cluster.
KAFKA_CLUSTER_ID=TA6UaBP_SciVLEydf_82CQ

HOST=127.0.0.1
# Node n listens on 9092 + 2(n-1) and its controller on the port after: 9092/9093, 9094/9095, 9096/9097.
KAFKA_PORT=9092
CONTROLLER_PORT=9093
# The node count the Kafka data was formatted for (1 when there is none yet).
BROKERS_FILE="$RUN_DIR/kafka-brokers"
brokers_formatted() { if [[ -f "$BROKERS_FILE" ]]; then cat "$BROKERS_FILE"; else echo 1; fi; }
BROKER_COUNT="$(brokers_formatted)"
node_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
node_controller_port() { echo $((CONTROLLER_PORT + 2 * ($1 - 1))); }
# Node 1 keeps the single broker's names and paths, so a one-node stack is what it always was.
node_service() { if (($1 == 1)); then echo kafka; else echo "kafka-$1"; fi; }
node_run() { if (($1 == 1)); then echo "$KAFKA_RUN"; else echo "$KAFKA_RUN/node-$1"; fi; }
node_list() { local n out=""; for ((n = 1; n <= BROKER_COUNT; n++)); do out+="${out:+,}$HOST:$(node_port "$n")"; done; echo "$out"; }
REGISTRY_PORT=8081
PG_PORT=5432
PG_USER=postgres
DB_NAME=notifications

DEFAULT_KAFKA_BROKERS="$(node_list)"
DEFAULT_SCHEMA_REGISTRY_URL="http://$HOST:$REGISTRY_PORT/apis/ccompat/v7"
DEFAULT_DATABASE_URL="postgres://$PG_USER@$HOST:$PG_PORT/$DB_NAME"

external_value() { # name default -> prints the override, or nothing if none
  local value="${!1:-}"
  [[ -n "$value" && "$value" != "$2" ]] && printf '%s' "$value"
  return 0
}
EXT_KAFKA="$(external_value KAFKA_BROKERS "$DEFAULT_KAFKA_BROKERS")"
EXT_REGISTRY="$(external_value SCHEMA_REGISTRY_URL "$DEFAULT_SCHEMA_REGISTRY_URL")"
EXT_DATABASE="$(external_value DATABASE_URL "$DEFAULT_DATABASE_URL")"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

require() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed ($2)"
}

require_java17() {
  require "$JAVA" "install a JDK 17+ or set JAVA_HOME"
  local version
  version="$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  [[ "${version%%.*}" =~ ^[0-9]+$ && "${version%%.*}" -ge 17 ]] \
    || die "Java 17+ is required (Apicurio Registry 3 needs it); found '$version'"
}

# ---------------------------------------------------------------- processes

# Every JVM we start carries these two properties. They let us recognise our
# own process even if its pid file is lost, and never mistake a recycled pid
# or another checkout's stack for ours.
marker_args() { printf '%s\n' "-Dnotify.stack.service=$1" "-Dnotify.stack.home=$STACK_HOME"; }

is_ours() { # service pid
  local cmdline
  cmdline="$(tr '\0' '\n' 2>/dev/null <"/proc/$2/cmdline")" || return 1
  grep -qxF -- "-Dnotify.stack.service=$1" <<<"$cmdline" \
    && grep -qxF -- "-Dnotify.stack.home=$STACK_HOME" <<<"$cmdline"
}

service_pid() { # service -> pid of our running server, or nothing
  local pidfile="$PID_DIR/$1.pid" pid proc
  if [[ -f "$pidfile" ]]; then
    pid="$(<"$pidfile")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_ours "$1" "$pid"; then echo "$pid"; return 0; fi
    rm -f "$pidfile"
  fi
  # Pid file lost (or never written): look for our marker among live processes.
  # shellcheck disable=SC2013 # /proc/N/cmdline paths never contain spaces
  for proc in $(grep -lzxF -- "-Dnotify.stack.service=$1" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid="${proc#/proc/}"; pid="${pid%/cmdline}"
    if is_ours "$1" "$pid"; then
      mkdir -p "$PID_DIR" && echo "$pid" >"$pidfile"
      echo "$pid"; return 0
    fi
  done
  return 0
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# Runs the command detached: its own session, so a Ctrl-C in the calling
# terminal or a CI step killing its process group does not take it down.
# The subshell execs setsid, which (not being a group leader) execs java in
# place, so $! is the JVM's pid.
launch() { # service workdir logfile cmd...
  local service="$1" workdir="$2" logfile="$3"; shift 3
  mkdir -p "$PID_DIR" "$workdir" "$(dirname "$logfile")"
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.1"
  # fd 9 is the up/down lock: a server that inherited it would hold the lock
  # for its whole life and block every later up/down.
  (cd "$workdir" && exec setsid "$@" >"$logfile" 2>&1 </dev/null 9>&-) &
  echo "$!" >"$PID_DIR/$service.pid"
}

stop_service() { # service
  local pid waited=0
  pid="$(service_pid "$1")"
  if [[ -z "$pid" ]]; then log "$1: not running"; rm -f "$PID_DIR/$1.pid"; return 0; fi
  log "$1: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < 60)); do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1: still alive after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_DIR/$1.pid"
  log "$1: stopped"
}

fail_with_log() { # message logfile...
  local msg="$1" f; shift
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    printf '[stack] ---- last lines of %s ----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
  die "$msg"
}

# ---------------------------------------------------------------- downloads

# Both downloads land in a temporary directory and are moved into place only
# when complete, so an interrupted first run is simply redone next time.

# Maven's output is only worth reading when it fails (even -q -B leaves
# terminal escape codes behind), so it is kept aside and shown on error.
mvn_quiet() {
  local out
  mkdir -p "$STACK_HOME"
  out="$(mktemp "$STACK_HOME/mvn.XXXXXX.log")"
  if mvn -q -B -f "$SCRIPT_DIR/pom.xml" "$@" >"$out" 2>&1; then rm -f "$out"; return 0; fi
  cat "$out" >&2; rm -f "$out"; return 1
}

ensure_kafka_libs() {
  local stamp="$KAFKA_LIBS/.pom.sha256" want
  want="$(sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1)"
  [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && return 0
  # Never swap the jars under a running broker; the new set applies after down/up.
  [[ -f "$stamp" && -n "$(service_pid kafka)" ]] && return 0
  require mvn "needed once to fetch Kafka from Maven Central"
  log "kafka: resolving Kafka $KAFKA_VERSION jars from Maven Central (first run only)"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn_quiet dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS.tmp" -DincludeScope=runtime \
    || die "could not resolve Kafka jars with Maven"
  echo "$want" >"$KAFKA_LIBS.tmp/.pom.sha256"
  rm -rf "$KAFKA_LIBS" && mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
}

ensure_registry_dist() {
  [[ -f "$REGISTRY_JAR" ]] && return 0
  require mvn "needed once to fetch Apicurio Registry from Maven Central"
  log "registry: fetching Apicurio Registry $REGISTRY_VERSION from Maven Central (first run only)"
  local tmp="$REGISTRY_DIR.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  # Plugin 2.8 on purpose: 3.x reads the artifact's POM, whose parent
  # (io.apicurio:apicurio-registry:3.0.9) was never published to Central, and
  # fails; 2.8 fetches the file alone.
  mvn_quiet org.apache.maven.plugins:maven-dependency-plugin:2.8:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
    -DoutputDirectory="$tmp" \
    || die "could not download Apicurio Registry with Maven"
  # The tarball has no top-level directory: runner jar, lib/ and meta/ side by side.
  tar -xzf "$tmp/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz" -C "$tmp"
  rm -f "$tmp/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  [[ -f "$tmp/${REGISTRY_JAR##*/}" ]] || die "unexpected Apicurio archive layout in $tmp"
  rm -rf "$REGISTRY_DIR" && mv "$tmp" "$REGISTRY_DIR"
}

# ---------------------------------------------------------------- kafka

# Kafka's CLI tools straight from the cached jars. C1-only JIT because these
# are short-lived and start-up time dominates.
KAFKA_TOOL_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$SCRIPT_DIR/tools-log4j.properties" -cp "$KAFKA_LIBS/*")
kafka_tool() { "$JAVA" "${KAFKA_TOOL_OPTS[@]}" "$@"; }

start_kafka_node() { # node
  local n="$1" service run data port cport pid voters="" i replication=1 min_isr=1
  service="$(node_service "$n")"; run="$(node_run "$n")"; data="$run/data"
  port="$(node_port "$n")"; cport="$(node_controller_port "$n")"
  pid="$(service_pid "$service")"
  if [[ -n "$pid" ]]; then log "$service: already running (pid $pid)"; return 0; fi
  if port_open "$port" || port_open "$cport"; then
    die "$service: port $port or $cport is taken by a process this script did not start; stop it, or point KAFKA_BROKERS at it"
  fi
  for ((i = 1; i <= BROKER_COUNT; i++)); do voters+="${voters:+,}$i@$HOST:$(node_controller_port "$i")"; done
  if ((BROKER_COUNT >= 3)); then replication=3; min_isr=2; fi
  mkdir -p "$data" "$LOG_DIR/$service"
  # Re-rendered on every start so edits to the template apply after down/up.
  sed -e "s|@KAFKA_DATA_DIR@|$data|g" -e "s|@NODE_ID@|$n|g" -e "s|@VOTERS@|$voters|g" \
    -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@PORT@|$port|g" \
    -e "s|@REPLICATION@|$replication|g" -e "s|@MIN_ISR@|$min_isr|g" \
    "$SCRIPT_DIR/server.properties" >"$run/server.properties"
  if [[ ! -f "$data/meta.properties" ]]; then
    log "$service: formatting new KRaft storage in $data"
    kafka_tool kafka.tools.StorageTool format --config "$run/server.properties" \
      --cluster-id "$KAFKA_CLUSTER_ID" --ignore-formatted >"$LOG_DIR/$service-format.log" 2>&1 \
      || fail_with_log "$service: storage format failed" "$LOG_DIR/$service-format.log"
  fi
  cp "$SCRIPT_DIR/log4j.properties" "$run/log4j.properties"
  log "$service: starting broker+controller on $HOST:$port"
  local args heap=1g
  ((BROKER_COUNT == 1)) || heap=512m
  mapfile -t args < <(marker_args "$service")
  # GC flags follow what Kafka's own start scripts use for a broker.
  launch "$service" "$run" "$LOG_DIR/$service.out" \
    "$JAVA" -Xms256m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true "${args[@]}" \
    -Dkafka.logs.dir="$LOG_DIR/$service" \
    -Dlog4j.configuration="file:$run/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$run/server.properties"
}

start_kafka() {
  local n
  for ((n = 1; n <= BROKER_COUNT; n++)); do start_kafka_node "$n"; done
}

kafka_answers() { # [node], node 1 by default
  local port
  port="$(node_port "${1:-1}")"
  port_open "$port" || return 1
  # Listing topics needs the metadata quorum and the broker both serving, so
  # it is a stronger signal than an open socket.
  timeout 30 "$JAVA" "${KAFKA_TOOL_OPTS[@]}" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$port" --list >/dev/null 2>&1
}

wait_kafka() {
  local deadline=$((SECONDS + READY_TIMEOUT)) n service
  for ((n = 1; n <= BROKER_COUNT; n++)); do
    service="$(node_service "$n")"
    while true; do
      [[ -n "$(service_pid "$service")" ]] \
        || fail_with_log "$service: the broker exited during start-up" "$LOG_DIR/$service.out" "$LOG_DIR/$service/server.log"
      if kafka_answers "$n"; then log "$service: ready at $HOST:$(node_port "$n")"; break; fi
      ((SECONDS < deadline)) \
        || fail_with_log "$service: not answering on $HOST:$(node_port "$n") after ${READY_TIMEOUT}s" "$LOG_DIR/$service.out" "$LOG_DIR/$service/server.log"
      sleep 1
    done
  done
}

# ---------------------------------------------------------------- registry

start_registry() {
  local pid
  pid="$(service_pid registry)"
  if [[ -n "$pid" ]]; then log "registry: already running (pid $pid)"; return 0; fi
  if port_open "$REGISTRY_PORT"; then
    die "registry: port $REGISTRY_PORT is taken by a process this script did not start; stop it, or point SCHEMA_REGISTRY_URL at it"
  fi
  mkdir -p "$REGISTRY_RUN/tmp"
  cp "$SCRIPT_DIR/registry.properties" "$REGISTRY_RUN/registry.properties"
  log "registry: starting Apicurio Registry on $HOST:$REGISTRY_PORT"
  local args
  mapfile -t args < <(marker_args registry)
  # Runs from its own directory because Quarkus also reads ./.env and
  # ./config/application.properties from the working directory.
  launch registry "$REGISTRY_RUN" "$LOG_DIR/registry.log" \
    "$JAVA" -Xms128m -Xmx512m "${args[@]}" \
    -Djava.io.tmpdir="$REGISTRY_RUN/tmp" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.config.locations="file:$REGISTRY_RUN/registry.properties" \
    -jar "$REGISTRY_JAR"
}

registry_answers() {
  curl -fsS -o /dev/null --max-time 5 "$DEFAULT_SCHEMA_REGISTRY_URL/subjects" 2>/dev/null
}

wait_registry() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    [[ -n "$(service_pid registry)" ]] \
      || fail_with_log "registry: Apicurio exited during start-up" "$LOG_DIR/registry.log"
    if registry_answers; then log "registry: ready at $DEFAULT_SCHEMA_REGISTRY_URL"; return 0; fi
    sleep 0.5
  done
  fail_with_log "registry: $DEFAULT_SCHEMA_REGISTRY_URL/subjects not answering after ${READY_TIMEOUT}s" "$LOG_DIR/registry.log"
}

# ---------------------------------------------------------------- postgres

# PostgreSQL is the machine's own server; the script only makes sure the
# database exists. PG* variables could redirect psql, so everything is explicit.
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }

ensure_database() {
  require psql "apt-get install postgresql-client"
  local deadline=$((SECONDS + READY_TIMEOUT)) err
  until err="$(pg -d postgres -Atc 'select 1' 2>&1 >/dev/null)"; do
    ((SECONDS < deadline)) || die "postgres: no answer at $HOST:$PG_PORT as user $PG_USER after ${READY_TIMEOUT}s: $err"
    sleep 1
  done
  if [[ -z "$(pg -d postgres -Atc "select 1 from pg_database where datname = '$DB_NAME'")" ]]; then
    log "postgres: creating database $DB_NAME"
    # A concurrent `up` may win the race; only a database that is still
    # missing afterwards is an error.
    pg -d postgres -c "create database $DB_NAME" >/dev/null 2>&1 || true
  fi
  pg -d "$DB_NAME" -Atc 'select 1' >/dev/null || die "postgres: database $DB_NAME is not usable"
  log "postgres: database $DB_NAME ready"
}

# ---------------------------------------------------------------- commands

print_env() {
  printf 'export KAFKA_BROKERS=%q\n' "${EXT_KAFKA:-$DEFAULT_KAFKA_BROKERS}"
  printf 'export SCHEMA_REGISTRY_URL=%q\n' "${EXT_REGISTRY:-$DEFAULT_SCHEMA_REGISTRY_URL}"
  printf 'export DATABASE_URL=%q\n' "${EXT_DATABASE:-$DEFAULT_DATABASE_URL}"
}

# Serialises up/down so two terminals (or parallel CI steps) cannot both
# decide a server is missing and start it twice.
take_lock() {
  mkdir -p "$STACK_HOME"
  exec 9>"$STACK_HOME/.lock"
  flock -w 300 9 || die "another stack.sh up/down is still running (lock $STACK_HOME/.lock)"
}

cmd_up() {
  local brokers=""
  case "${1:-}" in
    "") ;;
    --brokers)
      brokers="${2:-}"
      [[ "$brokers" == 1 || "$brokers" == 3 ]] || die "usage: stack.sh up [--brokers 1|3]" ;;
    *) die "usage: stack.sh up [--brokers 1|3]" ;;
  esac
  take_lock
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PID_DIR"
  if [[ -n "$brokers" && "$brokers" != "$BROKER_COUNT" ]]; then
    # The voters are written into each node's formatted storage: another count needs fresh data.
    [[ ! -f "$KAFKA_DATA/meta.properties" ]] \
      || die "kafka: the data here is formatted for $BROKER_COUNT broker(s); run 'stack.sh down --purge' first, then 'up --brokers $brokers'"
    echo "$brokers" >"$BROKERS_FILE"
    BROKER_COUNT="$brokers"
    DEFAULT_KAFKA_BROKERS="$(node_list)"
  fi
  if [[ -z "$EXT_KAFKA" || -z "$EXT_REGISTRY" ]]; then require_java17; require curl "apt-get install curl"; fi
  # Both servers are launched before waiting on either, so their start-up overlaps.
  if [[ -z "$EXT_KAFKA" ]]; then ensure_kafka_libs; start_kafka; else log "kafka: using KAFKA_BROKERS=$EXT_KAFKA"; fi
  if [[ -z "$EXT_REGISTRY" ]]; then ensure_registry_dist; start_registry; else log "registry: using SCHEMA_REGISTRY_URL=$EXT_REGISTRY"; fi
  if [[ -z "$EXT_DATABASE" ]]; then ensure_database; else log "postgres: using DATABASE_URL as given"; fi
  [[ -n "$EXT_KAFKA" ]] || wait_kafka
  [[ -n "$EXT_REGISTRY" ]] || wait_registry
  log "stack is up; logs in $LOG_DIR"
  print_env
}

cmd_down() {
  local purge=false
  case "${1:-}" in
    "") ;;
    --purge) purge=true ;;
    *) die "usage: stack.sh down [--purge]" ;;
  esac
  take_lock
  # PostgreSQL is not ours to stop, and the database is left in place.
  stop_service registry
  local n
  for ((n = BROKER_COUNT; n >= 1; n--)); do stop_service "$(node_service "$n")"; done
  if $purge; then
    log "purging $RUN_DIR (Kafka data and logs); the next up formats fresh storage"
    rm -rf "$RUN_DIR"
  fi
}

cmd_status() {
  local ok=0 pid
  if [[ -n "$EXT_KAFKA" ]]; then
    echo "kafka     external  $EXT_KAFKA"
  else
    local n service
    for ((n = 1; n <= BROKER_COUNT; n++)); do
      service="$(node_service "$n")"
      pid="$(service_pid "$service")"
      if [[ -z "$pid" ]]; then printf '%-9s stopped\n' "$service"; ok=3
      elif kafka_answers "$n"; then printf '%-9s running   pid %s, %s\n' "$service" "$pid" "$HOST:$(node_port "$n")"
      else printf '%-9s starting  pid %s, not answering yet\n' "$service" "$pid"; ok=3; fi
    done
  fi
  if [[ -n "$EXT_REGISTRY" ]]; then
    echo "registry  external  $EXT_REGISTRY"
  else
    pid="$(service_pid registry)"
    if [[ -z "$pid" ]]; then echo "registry  stopped"; ok=3
    elif registry_answers; then echo "registry  running   pid $pid, $DEFAULT_SCHEMA_REGISTRY_URL"
    else echo "registry  starting  pid $pid, not answering yet"; ok=3; fi
  fi
  if [[ -n "$EXT_DATABASE" ]]; then
    echo "postgres  external  (DATABASE_URL set)"
  elif command -v psql >/dev/null 2>&1 \
    && [[ -n "$(pg -d postgres -Atc "select 1 from pg_database where datname = '$DB_NAME'" 2>/dev/null)" ]]; then
    echo "postgres  ready     $DEFAULT_DATABASE_URL"
  else
    echo "postgres  missing   no database $DB_NAME at $HOST:$PG_PORT"; ok=3
  fi
  return "$ok"
}

# End-to-end check against the local defaults: a real topic, a real message
# through it, and a schema that resolves back by the id it was given.
cmd_smoke() {
  [[ -z "$EXT_KAFKA$EXT_REGISTRY" ]] || die "smoke checks the local servers only; unset KAFKA_BROKERS/SCHEMA_REGISTRY_URL"
  [[ -d "$KAFKA_LIBS" ]] || die "run 'stack.sh up' first"
  local topic="stack-smoke-$$" msg="hello-$RANDOM" got subject="stack-smoke-$$-value" body id
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$DEFAULT_KAFKA_BROKERS" \
    --create --topic "$topic" --partitions 1 --replication-factor 1 >/dev/null
  echo "$msg" | kafka_tool kafka.tools.ConsoleProducer --bootstrap-server "$DEFAULT_KAFKA_BROKERS" --topic "$topic"
  got="$(kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$DEFAULT_KAFKA_BROKERS" \
    --topic "$topic" --from-beginning --max-messages 1 --timeout-ms 30000 2>/dev/null)"
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$DEFAULT_KAFKA_BROKERS" --delete --topic "$topic" >/dev/null
  [[ "$got" == "$msg" ]] || die "smoke: consumed '$got', expected '$msg'"
  log "smoke: kafka round trip ok on topic $topic"

  body="$(curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"schema":"{\"type\":\"string\"}"}' "$DEFAULT_SCHEMA_REGISTRY_URL/subjects/$subject/versions")"
  id="$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$body")"
  [[ -n "$id" ]] || die "smoke: registry answered '$body' without an id"
  curl -fsS "$DEFAULT_SCHEMA_REGISTRY_URL/schemas/ids/$id" | grep -q '\\"string\\"' \
    || die "smoke: GET /schemas/ids/$id did not return the registered schema"
  curl -fsS -X DELETE "$DEFAULT_SCHEMA_REGISTRY_URL/subjects/$subject" >/dev/null
  curl -fsS -X DELETE "$DEFAULT_SCHEMA_REGISTRY_URL/subjects/$subject?permanent=true" >/dev/null
  log "smoke: registry round trip ok (schema id $id)"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) print_env ;;
  smoke) cmd_smoke ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
