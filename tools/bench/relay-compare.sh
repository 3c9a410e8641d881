#!/usr/bin/env bash
# Spillway's relay hot path against a plain C recvmmsg/sendmmsg forwarder (tools/baseline) and
# rtpengine's userspace relay, same machine, same run, same load tool (tools/loadgen, which sets the
# calls up over each relay's ng port, so all three are driven identically).
#
# Each relay runs pinned to core $RELAY_CORE (default 0) with one worker thread; the load generator
# runs pinned to core $LOADGEN_CORE (default 1) in shared-socket mode (one epoll socket, sendmmsg /
# recvmmsg batches, calls set up "asymmetric"). Two runs per relay, each against a fresh process:
#   throughput: 350 calls x 2 streams x 100 pps = 70,000 pps of 172-byte RTP, $DURATION measured
#   latency:    100 calls x 2 streams x 100 pps = 20,000 pps, $LAT_DURATION measured
# (PPS_PER_STREAM=50: 700 and 200 calls for the same rates).
# plus the same two runs with no relay at all (the generator's own floor on this machine).
#
# Prerequisites (once, as root):
#   apt-get install -y rtpengine-daemon     # Debian 12: 10.5; userspace only, no kernel module needed
#   systemctl disable rtpengine-daemon      # the package enables its service; this script runs it itself
#
# Usage: tools/bench/relay-compare.sh [--quick]   (SKIP_BUILD=1 to skip mvn; RELAYS="spillway c" to pick)
# Output: a table on stdout, JSON lines and relay logs under $OUT (default /tmp/relay-compare.<pid>).
# Bounded: every load run is <= ~45 s (warm-up 5 s + window + drain 1 s + set-up), total ~8 min.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-30s}
LAT_DURATION=${LAT_DURATION:-20s}
WARMUP=${WARMUP:-5s}
# The generator's sender wakes at most every BATCH_US and sends what is due in one sendmmsg: 500 us
# lets one contended core produce 70,000 pps; the latency run uses 100 us (the stamps are the
# intended send times, so this batching shows up in the no-relay row too and cancels in "added").
BATCH_US=${BATCH_US:-500}
# Packets/s per stream (one direction of a call): 100 as in issue #3's example (350 calls x 2 x 100);
# 50 is G.711 at 20 ms ptime (700 calls x 2 x 50 for the same 70,000 pps).
PPS_PER_STREAM=${PPS_PER_STREAM:-100}
CALLS=$((70000 / (2 * PPS_PER_STREAM)))
LAT_CALLS=$((20000 / (2 * PPS_PER_STREAM)))
LAT_BATCH_US=${LAT_BATCH_US:-100}
RELAYS=${RELAYS:-"none c rtpengine spillway"}
if [ "${1:-}" = --quick ]; then DURATION=5s; LAT_DURATION=5s; WARMUP=2s; fi
OUT=${OUT:-/tmp/relay-compare.$$}
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"

NG_PORT_C=23900
NG_PORT_RTPENGINE=23901
NG_PORT_SPILLWAY=23902
ADMIN_PORT_SPILLWAY=23903

start_c() {
  LOG="$OUT/c-$RUN.log" start_relay "$FORWARDER" --ng 127.0.0.1:$NG_PORT_C --port-min 24000 --port-max 27999
  wait_ng $NG_PORT_C 20
}

start_rtpengine() {
  command -v rtpengine >/dev/null || { log "rtpengine not installed (apt-get install -y rtpengine-daemon)"; return 1; }
  # --table=-1: no kernel forwarding table, every packet goes through the userspace relay.
  # --num-threads=1: one worker, like the other two. --config-file=none: ignore /etc/rtpengine.
  LOG="$OUT/rtpengine-$RUN.log" start_relay rtpengine --config-file=none --foreground --log-stderr --log-level=5 \
    --table=-1 --interface=127.0.0.1 --listen-ng=127.0.0.1:$NG_PORT_RTPENGINE \
    --port-min=28000 --port-max=31999 --num-threads=1 --timeout=60 --delete-delay=0
  wait_ng $NG_PORT_RTPENGINE 20
}

start_spillway() {
  LOG="$OUT/spillway-$RUN.log" SPILLWAY_JAVA_OPTS="-Xmx512m" start_relay "$ROOT/tools/spillway" run \
    --set ng.enabled=true --set ng.listen=127.0.0.1:$NG_PORT_SPILLWAY \
    --set media.port_min=20000 --set media.port_max=23799 --set media.event_loops=1 \
    --set sip.udp_port=0 --set sip.tcp_port=0 --set cluster.control_listen=127.0.0.1:0 \
    --set admin.listen=127.0.0.1:$ADMIN_PORT_SPILLWAY --set lifecycle.drain_timeout=0s
  wait_ng $NG_PORT_SPILLWAY 90
}

# CPU time (user + system, all threads) the relay has used so far, in clock ticks; 0 without relay.
cpu_ticks() {
  if [ -n "$RELAY_PID" ] && [ -r "/proc/$RELAY_PID/stat" ]; then
    sed 's/^.*) //' "/proc/$RELAY_PID/stat" | awk '{ print $12 + $13 }'
  else
    echo 0
  fi
}

# Datagrams the kernel dropped because a receive buffer was full, machine-wide (any socket).
udp_rcvbuf_errors() {
  awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp
}

# One load run: relay name, run kind, loadgen arguments.
measure() {
  local relay=$1 kind=$2
  shift 2
  local before after json cpu0 cpu1
  before=$(loadavg)
  cpu0=$(cpu_ticks)
  drops0=$(udp_rcvbuf_errors)
  log "$relay $kind: loadgen $* (load $before)"
  json=$(run_loadgen "$@")
  cpu1=$(cpu_ticks)
  drops1=$(udp_rcvbuf_errors)
  after=$(loadavg)
  printf '{"relay":"%s","kind":"%s","loadBefore":"%s","loadAfter":"%s","udpRcvbufErrors":%s,"relayCpuS":%s,"result":%s}\n' \
    "$relay" "$kind" "$before" "$after" "$((drops1 - drops0))" "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (b - a) / hz }')" "$json" >>"$RESULTS"
}

trap 'stop_relay' EXIT
build_all
log "output in $OUT"
# Spillway's relay counters at the end of a run (the C forwarder prints its own on exit, in its log).
save_counters() {
  if [ "$1" = spillway ]; then
    curl -s "http://127.0.0.1:$ADMIN_PORT_SPILLWAY/metrics" | grep -E '^spillway_relay_' >"$OUT/spillway-$RUN.counters" || true
  fi
}

# A fresh relay process for every run, so one run's overload (rtpengine stops reading a socket
# that overflowed its 50-packet read loop five times) cannot carry over into the next.
start_target() {
  case $1 in
    none) target=(--baseline) ;;
    c) start_c; target=(--ng 127.0.0.1:$NG_PORT_C) ;;
    rtpengine) start_rtpengine || return 1; target=(--ng 127.0.0.1:$NG_PORT_RTPENGINE) ;;
    spillway) start_spillway; target=(--ng 127.0.0.1:$NG_PORT_SPILLWAY) ;;
    *) log "unknown relay $1"; exit 2 ;;
  esac
}
for relay in $RELAYS; do
  RUN=throughput
  if start_target "$relay"; then
    measure "$relay" throughput "${target[@]}" --shared-socket --send-batch-us "$BATCH_US" --sessions "$CALLS" \
      --pps-per-stream "$PPS_PER_STREAM" --payload 160 --warmup "$WARMUP" --duration "$DURATION" --drain 1s
    save_counters "$relay"
    stop_relay
  fi
  RUN=latency
  if start_target "$relay"; then
    measure "$relay" latency "${target[@]}" --shared-socket --send-batch-us "$LAT_BATCH_US" --sessions "$LAT_CALLS" \
      --pps-per-stream "$PPS_PER_STREAM" --payload 160 --warmup "$WARMUP" --duration "$LAT_DURATION" --drain 1s
    save_counters "$relay"
    stop_relay
  fi
done

python3 - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {(r["relay"], r["kind"]): r for r in rows}
def f(r, key, sub=None):
    v = r["result"].get(key)
    if sub is not None and isinstance(v, dict):
        v = v.get(sub)
    return v
def cpu_per_packet(r):
    # relay CPU over the whole load run (ng set-up, warm-up, window, drain, delete) divided by the
    # packets it forwarded in that time, estimated as received x (warm-up + window) / window
    x = r["result"]
    if r["relay"] == "none" or not x.get("received") or not x.get("deliveredPps"):
        return ""
    total = x["received"] * (x["warmupS"] + x["durationS"]) / x["durationS"]
    return "%.2f" % (r.get("relayCpuS", 0) * 1e6 / total)
print()
print("| relay | run | offered pps | delivered pps | loss % | p50 us | p99 us | p99.9 us | max us | gen kept rate | relay CPU us/pkt | kernel rcvbuf drops | load avg (before / after) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|")
for r in rows:
    if "error" in r["result"]:
        print("| %s | %s | %s | | | | | | | | | | %s / %s |" % (r["relay"], r["kind"], r["result"]["error"], r["loadBefore"], r["loadAfter"]))
        continue
    print("| %s | %s | %.0f | %.0f | %.4f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s / %s |" % (
        r["relay"], r["kind"], f(r, "offeredPps"), f(r, "deliveredPps"), f(r, "lossPercent"),
        f(r, "latencyUs", "p50"), f(r, "latencyUs", "p99"), f(r, "latencyUs", "p999"), f(r, "latencyUs", "max"),
        f(r, "keptRate"), cpu_per_packet(r), r.get("udpRcvbufErrors", ""), r["loadBefore"], r["loadAfter"]))
print()
print("Ratios (Spillway / other; pps > 1 is better for Spillway, latency < 1 is better for Spillway):")
print()
print("| run | vs | delivered pps | p50 | p99 | p99.9 | CPU per packet |")
print("|---|---|---:|---:|---:|---:|---:|")
for kind in ("throughput", "latency"):
    s = by.get(("spillway", kind))
    for other in ("c", "rtpengine"):
        o = by.get((other, kind))
        if not s or not o or "error" in s["result"] or "error" in o["result"]:
            continue
        def ratio(a, b):
            return "%.2f" % (a / b) if b else "n/a"
        print("| %s | %s | %s | %s | %s | %s | %s |" % (kind, other,
            ratio(f(s, "deliveredPps"), f(o, "deliveredPps")),
            ratio(f(s, "latencyUs", "p50"), f(o, "latencyUs", "p50")),
            ratio(f(s, "latencyUs", "p99"), f(o, "latencyUs", "p99")),
            ratio(f(s, "latencyUs", "p999"), f(o, "latencyUs", "p999")),
            ratio(float(cpu_per_packet(s) or 0), float(cpu_per_packet(o) or 0))))
print()
print("Added latency (relay row minus the no-relay row, percentile by percentile: an estimate, the")
print("percentiles of a difference are not the difference of percentiles):")
print()
print("| relay | run | p50 us | p99 us | p99.9 us |")
print("|---|---|---:|---:|---:|")
for kind in ("throughput", "latency"):
    n = by.get(("none", kind))
    for relay in ("c", "rtpengine", "spillway"):
        r = by.get((relay, kind))
        if not n or not r or "error" in n["result"] or "error" in r["result"]:
            continue
        print("| %s | %s | %.1f | %.1f | %.1f |" % (relay, kind,
            *(f(r, "latencyUs", p) - f(n, "latencyUs", p) for p in ("p50", "p99", "p999"))))
EOF
