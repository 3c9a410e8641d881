#!/usr/bin/env sh
# Builds the C baseline relay for tools/bench/relay-compare.sh into tools/baseline/target/ (not committed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/target"
gcc -O2 -Wall -Wextra -o "$here/target/udp_forwarder" "$here/udp_forwarder.c"
echo "$here/target/udp_forwarder"
