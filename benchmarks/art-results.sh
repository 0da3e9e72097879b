#!/usr/bin/env bash
# Proof on real art for docs/art-results.md: --preset small-art on the Twitter emoji set (npm emoji-datasource-twitter
# 16.0.0, 3,786 PNG 64x64, CC-BY-4.0) and on OpenClipart's animals (apt openclipart-png, public domain), each with
# and without DiffAugment at the same CPU-time budget, then FID (resnet18-imagenet) and the copy check.
# usage: benchmarks/art-results.sh [emoji_cpu_minutes=15] [clipart_cpu_minutes=10] [runs_dir=runs/art]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
emoji_minutes="${1:-15}"
clipart_minutes="${2:-10}"
runs="${3:-$here/runs/art}"
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
emoji="$home/datasets/emoji-twitter-64"
clipart=/usr/share/openclipart/png/animals
mkdir -p "$runs"
if [[ ! -d "$emoji" ]]; then
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent emoji-datasource-twitter@16.0.0 >/dev/null && tar xzf emoji-datasource-twitter-16.0.0.tgz)
  mkdir -p "$emoji" && cp "$work"/package/img/twitter/64/*.png "$emoji"/ && rm -rf "$work"
fi
if [[ ! -d "$clipart" ]]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openclipart-png >/dev/null
fi
bin="$runs/.cli"
[[ -f "$bin/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
at() { dotnet "$bin/atelier.dll" "$@"; }
common=(--preset small-art --generator-width 32 --discriminator-width 32 --steps 1000000 --threads 1 --quiet --sample-every 500 --checkpoint-every 500)
run() { # name, cpu minutes, data, extra flags
  local name="$1" minutes="$2" data="$3"; shift 3
  [[ -f "$runs/$name/plots/losses.png" ]] && { echo "art: $name already done"; return; }
  rm -rf "$runs/$name"
  echo "art: $name started $(date -u +%H:%M:%S)"
  at train --data "$data" "${common[@]}" --cpu-minutes "$minutes" --out "$runs/$name" "$@" >"$runs/$name.log" 2>&1 || echo "art: $name exited with $?"
  echo "art: $name finished $(date -u +%H:%M:%S)"
}
( run emoji-diffaugment "$emoji_minutes" "$emoji"; run clipart-diffaugment "$clipart_minutes" "$clipart" --fit Letterbox ) &
( run emoji-plain "$emoji_minutes" "$emoji" --augment none; run clipart-plain "$clipart_minutes" "$clipart" --fit Letterbox --augment none ) &
wait
for name in emoji-diffaugment emoji-plain clipart-diffaugment clipart-plain; do
  echo "== evaluate $name"
  at evaluate --fake "$runs/$name" --n 1000 --metrics fid,kid,pr --out "$runs/$name/evaluation/final" || true
done
