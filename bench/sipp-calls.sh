#!/usr/bin/env bash
# Signalling throughput through one node: SIPp UAC -> node (tools/spillway run) -> SIPp UAS on
# loopback, 1 s calls, at each rate given (calls/s) for DURATION_S seconds. PROXY=kamailio runs the
# same calls through Kamailio (bench/kamailio-proxy.cfg, a plain stateful proxy) instead. Prints, per rate: calls
# attempted, successful, failed, INVITE->200 set-up time (SIPp response time, mean ms) and the
# response-time partition counts. Needs `mvn -pl modules/node -am package -DskipTests` first.
#
#   bench/sipp-calls.sh 50 100 200 400
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION_S=${DURATION_S:-15}
SIP_PORT=${SIP_PORT:-25060}
UAS_PORT=${UAS_PORT:-25080}
UAC_PORT=${UAC_PORT:-25090}
ADMIN_PORT=${ADMIN_PORT:-25081}
SCEN=modules/node/src/test/resources/sipp
WORK=$(mktemp -d)
NODE_PID=""
cleanup() {
    [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
}
trap cleanup EXIT

if [ "${PROXY:-spillway}" = kamailio ]; then
    mkdir -p "$WORK/k"
    kamailio -DD -E -m 128 -M 16 -Y "$WORK/k" -l udp:127.0.0.1:$SIP_PORT \
        -A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\"" -A "CHILDREN=${KAMAILIO_CHILDREN:-2}" \
        -f bench/kamailio-proxy.cfg > "$WORK/node.log" 2>&1 &
    NODE_PID=$!
    sleep 2
else
    SPILLWAY_JAVA_OPTS="${SPILLWAY_JAVA_OPTS:--Xmx512m}" tools/spillway run \
        --set sip.udp_port=$SIP_PORT --set sip.tcp_port=$SIP_PORT \
        --set admin.listen=127.0.0.1:$ADMIN_PORT --set cluster.control_listen=127.0.0.1:0 \
        --set routes.0.prefix=1000 --set routes.0.uri=sip:127.0.0.1:$UAS_PORT \
        --set lifecycle.watchdog=false > "$WORK/node.log" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 1 100); do grep -q "SIP listening" "$WORK/node.log" && break; sleep 0.2; done
fi

printf '%-6s %-8s %-8s %-6s %-12s %s\n' rate calls ok failed setup_ms "partitions(<10,<20,<50,<100,<200,<500,<1000,>=1000 ms)"
for RATE in "$@"; do
    N=$((RATE * DURATION_S))
    D="$WORK/r$RATE"; mkdir -p "$D"
    (cd "$D" && sipp -sf "$OLDPWD/$SCEN/uas_call.xml" -i 127.0.0.1 -p $UAS_PORT -m $N -nostdin \
        -timeout $((DURATION_S + 60))s > uas.log 2>&1) &
    UAS=$!
    sleep 0.5
    (cd "$D" && sipp -sf "$OLDPWD/$SCEN/uac_call.xml" -i 127.0.0.1 -p $UAC_PORT -s 1000 \
        -r $RATE -l $((RATE * 4)) -m $N -d 1000 -nostdin -trace_stat -fd 1 \
        -timeout $((DURATION_S + 60))s 127.0.0.1:$SIP_PORT > uac.log 2>&1) || true
    wait $UAS || true
    CSV=$(ls "$D"/uac_call_*.csv | head -1)
    python3 - "$CSV" "$RATE" <<'PY'
import sys
rows = [l.rstrip('\n').split(';') for l in open(sys.argv[1], encoding='latin-1')]
h = rows[0]; last = rows[-1]
v = lambda name: last[h.index(name)]
parts = [last[i] for i, c in enumerate(h) if c.startswith('ResponseTimeRepartition1') and last[i].strip()]
rt = v('ResponseTime1(C)')  # hh:mm:ss:uuuuuu
hh, mm, ss, us = rt.split(':')
ms = (int(hh) * 3600 + int(mm) * 60 + int(ss)) * 1000 + int(us) / 1000
print(f"{sys.argv[2]:<6} {v('TotalCallCreated'):<8} {v('SuccessfulCall(C)'):<8} {v('FailedCall(C)'):<6} {ms:<12.2f} {','.join(parts)}")
PY
done
