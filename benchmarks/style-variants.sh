#!/usr/bin/env bash
# The smoothing comparison of docs/style-transfer.md: every --smoothing on the same content and style pairs, same size,
# steps and threads. Needs apt opencv-doc (its sample photographs and van Gogh's Starry Night).
# usage: benchmarks/style-variants.sh [out=runs/style-variants] [size=256] [steps=100] [threads=2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/runs/style-variants}" size="${2:-256}" steps="${3:-100}" threads="${4:-2}"
data=/usr/share/doc/opencv-doc/examples/data
[[ -f "$data/starry_night.jpg" ]] || { echo "style-variants.sh: install opencv-doc (apt) for $data" >&2; exit 2; }
mkdir -p "$out"
bin="$out/.cli"
[[ -f "$bin/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
for content in building fruits; do
  for smoothing in none softmax softmax-deep rescale balanced; do
    start=$(date +%s.%N)
    dotnet "$bin/atelier.dll" style --content "$data/$content.jpg" --style "$data/starry_night.jpg" --smoothing "$smoothing" \
      --size "$size" --steps "$steps" --threads "$threads" --out "$out/$content-$smoothing.png" >"$out/$content-$smoothing.log" 2>&1
    loss=$(grep -o "loss [0-9.]*" "$out/$content-$smoothing.log" | tail -n 1)
    printf '%s %s: %s, %.0f s wall\n' "$content" "$smoothing" "$loss" "$(echo "$(date +%s.%N) - $start" | bc)"
  done
done
