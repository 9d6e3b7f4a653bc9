#!/usr/bin/env bash
# Brings up the local stack and every service with a demo configuration, then sends one event and
# shows it arrive: statuses on notifications.delivery-status, the signed webhook, the inbox row, the
# tracker's summary. Channels without credentials run on their sandbox providers (channel_outbox).
#   bash scripts/demo.sh          start (idempotent) and send a demo event
#   bash scripts/demo.sh send     send another demo event
#   bash scripts/demo.sh stop     stop the services (add --stack to stop Kafka and the registry too)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
run_dir="$root/.demo"
mkdir -p "$run_dir/logs"
export TURBO_TELEMETRY_DISABLED=1

# Every deployable with a main.ts, the same rule as the deployment test; services still being written
# join the demo as soon as they have one.
SERVICES=()
for main in services/*/src/main.ts; do
  name=${main#services/}; name=${name%%/*}
  [ "$name" = lib ] || SERVICES+=("$name")
done
has_service() { local s; for s in "${SERVICES[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

DEMO_WEBHOOK_SECRET="whsec_$(printf 'demo-webhook-secret-0123456789ab' | base64)"
export DEMO_WEBHOOK_SECRET
INGEST_PORT=${INGEST_PORT:-8080}
API_PORT=${API_PORT:-8003}
export DEMO_RECEIVER_PORT=${DEMO_RECEIVER_PORT:-9400}

stop_services() {
  local pidfile name pid
  for pidfile in "$run_dir"/*.pid; do
    [ -f "$pidfile" ] || continue
    name=$(basename "$pidfile" .pid)
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
      echo "stopped $name"
    fi
    rm -f "$pidfile"
  done
  # The API secrets belong to the processes just stopped; the next start makes new ones.
  rm -f "$run_dir/secrets.env"
}

running() { [ -f "$run_dir/$1.pid" ] && kill -0 "$(cat "$run_dir/$1.pid")" 2>/dev/null; }

start_bg() { # name command...
  local name=$1; shift
  if running "$name"; then echo "$name already running"; return; fi
  nohup "$@" >"$run_dir/logs/$name.log" 2>&1 &
  echo $! >"$run_dir/$name.pid"
  echo "started $name (log: .demo/logs/$name.log)"
}

wait_ready() { # name url
  for _ in $(seq 1 300); do
    if curl -fsS "$2" >/dev/null 2>&1; then return 0; fi
    running "$1" || { echo "$1 exited; last log lines:"; tail -20 "$run_dir/logs/$1.log"; exit 1; }
    sleep 0.2
  done
  echo "$1 did not become ready; last log lines:"; tail -20 "$run_dir/logs/$1.log"; exit 1
}

# Settings of one service, as NAME=value words for `env`. Only that service gets them, so HTTP_PORT
# means 8080 to ingest and 8003 to the API. Database pools stay small (a channel's pool follows its
# WORKER_CONCURRENCY): fifteen services share one local PostgreSQL and its 100 connections.
service_env() {
  case "$1" in
    ingest) echo "HTTP_PORT=$INGEST_PORT INGEST_API_KEYS=${INGEST_API_KEYS:-default:dev-key}" ;;
    router) echo "RULES_PATH=${RULES_PATH:-$root/services/router/rules.example.yaml}" ;;
    api) echo "HTTP_PORT=$API_PORT JWT_SECRET=$DEMO_JWT_SECRET CODE_HASH_SECRET=$DEMO_CODE_HASH_SECRET UNSUBSCRIBE_SECRET=$DEMO_UNSUBSCRIBE_SECRET SEALING_KEYS=$DEMO_SEALING_KEYS API_INSTANCE_ID=demo DATABASE_POOL_SIZE=4" ;;
    channel-webhook)
      echo "WORKER_CONCURRENCY=4 WEBHOOK_PROVIDER=http WEBHOOK_ALLOW_NETWORKS=127.0.0.1/32" \
        "WEBHOOK_ENDPOINTS={\"default\":{\"url\":\"http://127.0.0.1:$DEMO_RECEIVER_PORT/hooks\",\"secrets\":[\"$DEMO_WEBHOOK_SECRET\"]}}" ;;
    channel-inapp) echo "WORKER_CONCURRENCY=4" ;;
    # Sandbox like the other channels; its unsubscribe links open the demo API, which shares the secret.
    channel-email)
      echo "WORKER_CONCURRENCY=4 EMAIL_PROVIDER=sandbox" \
        "UNSUBSCRIBE_BASE_URL=http://127.0.0.1:$API_PORT/v1/unsubscribe UNSUBSCRIBE_SECRET=$DEMO_UNSUBSCRIBE_SECRET" ;;
    # Opens the one-time codes the API seals (the outbox shows them blanked).
    channel-sms) echo "WORKER_CONCURRENCY=4 SMS_PROVIDER=sandbox SEALING_KEYS=$DEMO_SEALING_KEYS" ;;
    channel-*)
      # No credentials in the demo: record to channel_outbox. Explicit, so credentials exported in
      # the calling shell cannot make the demo send real messages.
      local channel=${1#channel-}
      echo "WORKER_CONCURRENCY=4 $(printf '%s' "$channel" | tr '[:lower:]' '[:upper:]')_PROVIDER=sandbox" ;;
  esac
}

case "${1:-up}" in
  stop)
    stop_services
    if [ "${2:-}" = "--stack" ]; then bash infra/local/stack.sh down; fi
    exit 0 ;;
  send)
    eval "$(bash infra/local/stack.sh env)"
    has_service tracker && export DEMO_TRACKER=1
    exec npx tsx scripts/src/demo/send-event.ts ;;
  up) ;;
  *) echo "usage: scripts/demo.sh [up|send|stop [--stack]]" >&2; exit 2 ;;
esac

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages"
  npm install --no-audit --no-fund
fi
echo "== local stack"
eval "$(bash infra/local/stack.sh up)"
npx tsx scripts/src/provision.ts

# Development secrets of the API, random per demo run and kept while its services run, so a second
# `up` finds the running API with the secret it was started with.
random_secret() { node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))"; }
sealing_key() { node -e "process.stdout.write('demo:' + require('crypto').randomBytes(32).toString('base64'))"; }
if [ ! -f "$run_dir/secrets.env" ] || ! running api; then
  (
    umask 077
    printf 'DEMO_JWT_SECRET=%s\nDEMO_CODE_HASH_SECRET=%s\nDEMO_UNSUBSCRIBE_SECRET=%s\nDEMO_SEALING_KEYS=%s\n' "$(random_secret)" "$(random_secret)" "$(random_secret)" "$(sealing_key)" >"$run_dir/secrets.env.tmp"
  )
  mv "$run_dir/secrets.env.tmp" "$run_dir/secrets.env"
elif ! grep -q '^DEMO_UNSUBSCRIBE_SECRET=' "$run_dir/secrets.env"; then
  # Written before the unsubscribe secret existed: keep the others, the running API holds them.
  printf 'DEMO_UNSUBSCRIBE_SECRET=%s\n' "$(random_secret)" >>"$run_dir/secrets.env"
fi
if ! grep -q '^DEMO_SEALING_KEYS=' "$run_dir/secrets.env"; then
  printf 'DEMO_SEALING_KEYS=%s\n' "$(sealing_key)" >>"$run_dir/secrets.env"
fi
set -a; . "$run_dir/secrets.env"; set +a
# The personal-data keys encrypt what stays in the database between demo runs, so they are made once
# and kept (a new key would leave the stored contact points unreadable). Every service inherits them.
if [ ! -f "$run_dir/data-keys.env" ]; then
  (
    umask 077
    printf 'DATA_KEYS=%s\nBLIND_INDEX_KEY=%s\n' "$(sealing_key)" "$(random_secret)" >"$run_dir/data-keys.env.tmp"
  )
  mv "$run_dir/data-keys.env.tmp" "$run_dir/data-keys.env"
fi
set -a; . "$run_dir/data-keys.env"; set +a

# The API serves the browser inbox client as built (the console's live inbox), and refuses to start without it.
npm run build --silent -w @notify/inbox-client

echo "== services"
start_bg receiver node --conditions=development --import tsx scripts/src/demo/receiver.ts
port=9101
# Split service_env's NAME=value words on spaces only: no globbing of the JSON's brackets.
set -f
for name in "${SERVICES[@]}"; do
  # shellcheck disable=SC2046 # word splitting of NAME=value pairs is intended; none contains spaces
  start_bg "$name" env OPS_PORT=$port $(service_env "$name") node --conditions=development --import tsx "services/$name/src/main.ts"
  port=$((port + 1))
done
set +f
port=9101
for name in "${SERVICES[@]}"; do
  wait_ready "$name" "http://127.0.0.1:$port/health/ready"
  port=$((port + 1))
done
echo "all ${#SERVICES[@]} services ready (${SERVICES[*]}); metrics on :9101-:$((port - 1))/metrics"

echo "== demo event"
has_service tracker && export DEMO_TRACKER=1
status=0
npx tsx scripts/src/demo/send-event.ts || status=$?
sleep 0.5
echo
echo "webhook receiver saw:"
tail -n 3 "$run_dir/logs/receiver.log"
echo
echo "== where to look"
echo "HTTP gateway:   http://127.0.0.1:$INGEST_PORT/v1/events   (Authorization: Bearer dev-key)"
if has_service api; then
  eval "$(npx tsx scripts/src/demo/tokens.ts)"
  echo "API:            http://127.0.0.1:$API_PORT   (routes: http://127.0.0.1:$API_PORT/openapi.json)"
  echo "user token (tenant default, user123):"
  echo "  $DEMO_USER_TOKEN"
  echo "operator token:"
  echo "  $DEMO_OPERATOR_TOKEN"
  echo "  curl -H \"authorization: Bearer \$TOKEN\" http://127.0.0.1:$API_PORT/v1/notifications"
  if [ -d services/api/public ]; then
    echo "console:        http://127.0.0.1:$API_PORT/console/?token=$DEMO_USER_TOKEN"
    echo "  (as operator: http://127.0.0.1:$API_PORT/console/?token=$DEMO_OPERATOR_TOKEN)"
  fi
fi
echo "sandbox sends:  psql \"$DATABASE_URL\" -c 'select * from channel_outbox order by 1 desc limit 5'"
echo "logs:           .demo/logs/"
echo
echo "Send another:   bash scripts/demo.sh send"
echo "Stop:           bash scripts/demo.sh stop   (--stack also stops Kafka and the registry)"
exit "$status"
