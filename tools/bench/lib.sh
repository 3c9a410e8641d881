# Helpers shared by the relay benchmarks (sourced, not run). Needs bash, python3, taskset.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOADGEN_JAR="$ROOT/tools/loadgen/target/spillway-loadgen.jar"
FORWARDER="$ROOT/tools/baseline/target/udp_forwarder"
RELAY_CORE=${RELAY_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
RELAY_PID=
# NICE=-10 (root) gives the relay and the generator a larger share of their cores on a busy machine;
# both get the same value, so the comparison stays fair. 0 = as every other process.
NICE=${NICE:-0}

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Builds the node, the load generator and the C forwarder unless SKIP_BUILD=1.
build_all() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building node + loadgen (mvn -B -q -o package -DskipTests) and the C forwarder"
    (cd "$ROOT" && mvn -B -q -o package -DskipTests)
    "$ROOT/tools/baseline/build.sh" >/dev/null
  fi
  [ -f "$LOADGEN_JAR" ] && [ -x "$FORWARDER" ] || { echo "build missing" >&2; exit 1; }
}

# Sends ng pings to 127.0.0.1:$1 until one is answered or $2 seconds pass.
wait_ng() {
  python3 - "$1" "${2:-60}" <<'EOF'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
deadline = time.time() + limit
while time.time() < deadline:
    try:
        s.sendto(b"wait1 d7:command4:pinge", ("127.0.0.1", port))
        if b"pong" in s.recv(65535):
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("no ng pong from port %d within %ss" % (port, limit))
EOF
}

# Starts "$@" pinned to RELAY_CORE in the background; its stdout/stderr go to $LOG.
start_relay() {
  nice -n "$NICE" taskset -c "$RELAY_CORE" "$@" >"$LOG" 2>&1 &
  RELAY_PID=$!
}

stop_relay() {
  if [ -n "$RELAY_PID" ] && kill -0 "$RELAY_PID" 2>/dev/null; then
    kill -TERM "$RELAY_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$RELAY_PID" 2>/dev/null || true
    wait "$RELAY_PID" 2>/dev/null || true
  fi
  RELAY_PID=
}

# Runs the load generator pinned to LOADGEN_CORE with --json; prints its JSON line (or a
# {"error":...} line when it failed to produce one).
run_loadgen() {
  local out rc
  out=$(timeout "${LOADGEN_TIMEOUT:-170}" nice -n "$NICE" taskset -c "$LOADGEN_CORE" java -XX:+UseParallelGC -Xms256m -Xmx1g \
    -jar "$LOADGEN_JAR" --json "$@" 2>&1) && rc=0 || rc=$?
  local json
  json=$(printf '%s\n' "$out" | grep '^{' | tail -n 1 || true)
  if [ -z "$json" ]; then
    log "loadgen failed (rc $rc): $(printf '%s' "$out" | tail -n 3)"
    json="{\"error\":\"loadgen rc $rc\"}"
  fi
  printf '%s\n' "$json"
}
