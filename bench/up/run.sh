#!/usr/bin/env bash
# bench/up/run.sh [BUILD_DIR] [ROUNDS]: how long `pelato up` takes from start to healthy (every
# service answering: nats-server, registry, orchestrator, one edge and one cloud host, dashboard)
# against a baseline in the same run: a bare `nats-server -js` from start to accepting
# connections, the floor any lattice start pays. Target (issue 9): up ≤ 5 s after the build.
set -euo pipefail
build=${1:-build/release}
rounds=${2:-5}
pelato=$(cd "$build" && pwd)/pelato
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config  # a signing key of its own

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

up_ms=() nats_ms=()
for round in $(seq "$rounds"); do
  # Baseline: nats-server alone, start to first accepted connection.
  port=$(free_port)
  start=$(now_ms)
  nats-server -a 127.0.0.1 -p "$port" -js -sd "$work/nats-$round" >/dev/null 2>&1 &
  nats=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.01; done
  nats_ms+=($(( $(now_ms) - start )))
  kill "$nats"; wait "$nats" 2>/dev/null || true

  # pelato up --detach returns once everything is healthy.
  start=$(now_ms)
  "$pelato" up --detach --data-dir "$work/up-$round" --nats-port 0 --registry-port 0 --dashboard-port 0 \
    --host-http-port 0 >/dev/null
  up_ms+=($(( $(now_ms) - start )))
  "$pelato" down --data-dir "$work/up-$round" >/dev/null
  printf 'round %d: pelato up %5d ms   nats-server alone %4d ms\n' "$round" "${up_ms[-1]}" "${nats_ms[-1]}"
done

up=$(printf '%s\n' "${up_ms[@]}" | median)
base=$(printf '%s\n' "${nats_ms[@]}" | median)
printf '\npelato up to healthy: median %d ms (min %d), %s the 5 s target\n' "$up" \
  "$(printf '%s\n' "${up_ms[@]}" | sort -n | head -1)" "$( ((up <= 5000)) && echo meets || echo MISSES)"
printf 'bare nats-server to ready: median %d ms; pelato up / nats-server = %.1fx\n' "$base" \
  "$(awk -v a="$up" -v b="$base" 'BEGIN {print a / (b > 0 ? b : 1)}')"
