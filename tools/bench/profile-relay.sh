#!/usr/bin/env bash
# Where a relay's CPU goes at 20,000 pps (200 calls x 2 x 50 pps): user vs kernel time from
# /proc/PID/stat, and a perf cpu-clock profile by shared object (perf from `apt-get install -y
# linux-perf`; no hardware counters needed; JIT-compiled Java shows as unresolved addresses).
# Usage: tools/bench/profile-relay.sh spillway|c   (SKIP_BUILD=1 to skip mvn). ~1 min.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
relay=${1:?spillway or c}
OUT=${OUT:-/tmp/profile-relay.$$}
mkdir -p "$OUT"
LOG="$OUT/$relay.log"
build_all
trap 'stop_relay' EXIT
case $relay in
  c) start_relay "$FORWARDER" --ng 127.0.0.1:23920 --port-min 24000 --port-max 27999 ;;
  spillway) SPILLWAY_JAVA_OPTS="-Xmx512m" start_relay "$ROOT/tools/spillway" run \
      --set ng.enabled=true --set ng.listen=127.0.0.1:23920 --set media.port_min=20000 --set media.port_max=23799 \
      --set media.event_loops=1 --set sip.udp_port=0 --set sip.tcp_port=0 \
      --set cluster.control_listen=127.0.0.1:0 --set admin.listen=127.0.0.1:23921 --set lifecycle.drain_timeout=0s ;;
  *) echo "spillway or c" >&2; exit 2 ;;
esac
wait_ng 23920 90
run_loadgen --ng 127.0.0.1:23920 --shared-socket --send-batch-us 100 --sessions 200 --pps-per-stream 50 \
  --warmup 10s --duration 20s --drain 1s >"$OUT/loadgen.json" &
LOADGEN=$!
sleep 15   # set-up and warm-up (JIT) first
read -r u0 s0 < <(sed 's/^.*) //' "/proc/$RELAY_PID/stat" | awk '{ print $12, $13 }')
perf record -q -e cpu-clock -p "$RELAY_PID" -o "$OUT/perf.data" -- sleep 10 2>/dev/null
read -r u1 s1 < <(sed 's/^.*) //' "/proc/$RELAY_PID/stat" | awk '{ print $12, $13 }')
wait $LOADGEN || true
echo "$relay: user $((u1 - u0)) ticks, system $((s1 - s0)) ticks over 10 s (load $(loadavg))"
perf report -q -i "$OUT/perf.data" --sort dso --stdio 2>/dev/null | head -n 12
perf report -q -i "$OUT/perf.data" --sort sym --stdio 2>/dev/null | grep -v '^$' | head -n 25
cat "$OUT/loadgen.json"
