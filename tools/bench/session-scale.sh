#!/usr/bin/env bash
# Holds $SESSIONS (default 10,000) concurrent calls on one Spillway node, set up over its ng port
# by tools/loadgen (shared-socket mode: the generator uses one socket; the node still opens its own
# two RTP/RTCP port pairs per call), with a few packets per stream, and records while they are held:
#   - open fds of the node (/proc/PID/fd) before the calls and with every call up -> fds per call
#   - heap used (/metrics jvm_memory_heap_used_bytes) as found, and after a full GC (jcmd GC.run)
# The node runs with -Xmx512m (the issue #3 target), pinned to core $RELAY_CORE.
#
# Usage: tools/bench/session-scale.sh   (SKIP_BUILD=1 to skip mvn). Bounded: ~2-3 min.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SESSIONS=${SESSIONS:-10000}   # needs an fd limit >= 4 x SESSIONS + ~400
OUT=${OUT:-/tmp/session-scale.$$}
NG_PORT=23912
ADMIN_PORT=23913
mkdir -p "$OUT"
LOG="$OUT/spillway.log"

build_all
# Four sockets per call (two legs x RTP + RTCP) plus the node's own: raise the fd limit if allowed
# (needs CAP_SYS_RESOURCE above the hard limit); otherwise say how many calls fit and stop.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ $((SESSIONS * 4 + 400)) -gt "$(ulimit -n)" ]; then
  echo "fd limit $(ulimit -n) cannot hold $SESSIONS calls (4 sockets each); at most $(( ($(ulimit -n) - 400) / 4 ))" >&2
  exit 1
fi
trap 'stop_relay' EXIT
SPILLWAY_JAVA_OPTS="-Xmx512m" start_relay "$ROOT/tools/spillway" run \
  --set ng.enabled=true --set ng.listen=127.0.0.1:$NG_PORT \
  --set media.port_min=12000 --set media.port_max=59999 --set media.event_loops=1 \
  --set sip.udp_port=0 --set sip.tcp_port=0 --set cluster.control_listen=127.0.0.1:0 \
  --set admin.listen=127.0.0.1:$ADMIN_PORT --set lifecycle.drain_timeout=0s
wait_ng $NG_PORT 90
PID=$RELAY_PID

heap_used() {
  curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '$1 == "jvm_memory_heap_used_bytes" { printf "%d", $2 }'
}
fds() { ls "/proc/$PID/fd" | wc -l; }

jcmd "$PID" GC.run >/dev/null
sleep 1
FDS_IDLE=$(fds)
HEAP_IDLE=$(heap_used)
log "idle: fds $FDS_IDLE, heap used after GC $HEAP_IDLE B (load $(loadavg))"

# 2 streams per call at 0.25 pps each for 30 s: ~8 packets per stream while all calls are held.
AGG=$(python3 -c "print($SESSIONS * 2 * 0.25)")
LOADGEN_TIMEOUT=400 run_loadgen --ng 127.0.0.1:$NG_PORT --shared-socket --sessions "$SESSIONS" --aggregate-pps "$AGG" \
  --warmup 2s --duration 30s --drain 1s >"$OUT/loadgen.json" &
LOADGEN=$!

# Wait until every call is up (its sockets are open), then measure while they are held.
want=$((FDS_IDLE + SESSIONS * 4))
deadline=$((SECONDS + 120))
peak=0
while [ $SECONDS -lt $deadline ]; do
  n=$(fds)
  [ "$n" -gt "$peak" ] && peak=$n
  [ "$n" -ge "$want" ] && break
  kill -0 $LOADGEN 2>/dev/null || break
  sleep 1
done
sleep 3
FDS_HELD=$(fds)
HEAP_HELD=$(heap_used)
LOAD_HELD=$(loadavg)
jcmd "$PID" GC.run >/dev/null
sleep 1
HEAP_HELD_GC=$(heap_used)
jcmd "$PID" GC.heap_info >"$OUT/heap_info.txt" || true
CALLS=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^spillway_(ng_calls|active_calls|anchor_calls)' | tr '\n' ' ' || true)
log "held: fds $FDS_HELD, heap used $HEAP_HELD B, after GC $HEAP_HELD_GC B (load $LOAD_HELD)"
wait $LOADGEN || true

python3 - "$SESSIONS" "$FDS_IDLE" "$FDS_HELD" "$HEAP_IDLE" "$HEAP_HELD" "$HEAP_HELD_GC" "$LOAD_HELD" "$OUT/loadgen.json" <<'EOF'
import json, sys
s, fi, fh, hi, hh, hg = (int(x) for x in sys.argv[1:7])
load = sys.argv[7]
lg = json.loads(open(sys.argv[8]).read().strip().splitlines()[-1])
mb = lambda b: b / 1048576
print()
print("| sessions | fds idle | fds held | fds per session | heap idle (after GC) | heap held (as found) | heap held (after GC) | heap per session (after GC) | load avg |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
print("| %d | %d | %d | %.2f | %.1f MB | %.1f MB | %.1f MB | %.0f B | %s |" % (s, fi, fh, (fh - fi) / s,
      mb(hi), mb(hh), mb(hg), (hg - hi) / s, load))
print()
print("loadgen: sent %s, received %s, loss %.4f %%, p99 %.1f us, keptRate %s" % (lg.get("sent"), lg.get("received"),
      lg.get("lossPercent", -1), lg.get("latencyUs", {}).get("p99", -1), lg.get("keptRate")))
EOF
echo "metrics: $CALLS"
