#!/usr/bin/env bash
# Alternates `npm run bench -- http` between an older tree and this one, the same arguments and one
# shared --data-dir, and writes the load average before each run. Usage:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci)
#   bench/ab-http.sh /tmp/before [rounds] [bench arguments…]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
before="$1"
rounds="${2:-3}"
shift $(($# < 2 ? $# : 2))
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--persons 100000 --stores sqlite,postgres --duration 5 --warmup 2 --connections 32
    --reply-bytes 0 --card-persons 0 --bodies 2000)
fi
data="$here/.onshi/bench"
for round in $(seq 1 "$rounds"); do
  for tree in before after; do
    dir="$here"
    [ "$tree" = before ] && dir="$before"
    echo "=== round $round $tree (load $(cut -d' ' -f1 /proc/loadavg))"
    (cd "$dir" && "$here/node_modules/.bin/node" bench/main.ts http "${args[@]}" --data-dir "$data")
  done
done
