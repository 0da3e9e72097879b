#!/usr/bin/env bash
# The autoencoder study of docs/image-to-image.md: a plain, a denoising and a variational autoencoder trained for the same
# CPU time (one thread each, two at a time), then measured on images none of them trained on: Fashion-MNIST's test split,
# and a held-out tenth of the Twitter emoji (npm emoji-datasource-twitter@16.0.0, CC-BY-4.0; scripts/art-data.sh).
# usage: benchmarks/autoencoder-study.sh [out=runs/autoencoder-study] [cpu-minutes=3] [n=1000] [emoji-cpu-minutes=10]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/runs/autoencoder-study}" minutes="${2:-3}" n="${3:-1000}" emoji_minutes="${4:-10}"
mkdir -p "$out"
bin="$out/.cli"
[[ -f "$bin/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
atelier() { dotnet "$bin/atelier.dll" "$@"; }

# The emoji, split by file order: every tenth image is held out.
datasets="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}/datasets"
[[ -d "$datasets/emoji-twitter-64" ]] || "$here/scripts/art-data.sh"
if [[ ! -d "$out/emoji-train" ]]; then
  mkdir -p "$out/emoji-train" "$out/emoji-held-out"
  i=0
  for f in $(ls "$datasets/emoji-twitter-64" | sort); do
    if (( i % 10 == 9 )); then ln -f "$datasets/emoji-twitter-64/$f" "$out/emoji-held-out/$f"; else ln -f "$datasets/emoji-twitter-64/$f" "$out/emoji-train/$f"; fi
    i=$((i + 1))
  done
fi

train() { # minutes name data extra...
  local budget="$1" name="$2" data="$3"; shift 3
  [[ -d "$out/$name" ]] && return 0
  atelier train --data "$data" --steps 1000000 --cpu-minutes "$budget" --threads 1 --sample-every 0 --checkpoint-every 0 --out "$out/$name" --quiet "$@" >"$out/$name.log" 2>&1
}
measure() { # name data noise
  atelier reconstruct --run "$out/$1" --data "$2" --n "$n" --noise "$3" --threads 2 --out "$out/$1/reconstruct-$(basename "$2")-noise$3" >/dev/null
  python3 - "$out/$1/reconstruct-$(basename "$2")-noise$3/report.json" "$1" "$(grep -o '"step":[0-9]*' "$out/$1/metrics.jsonl" | tail -n 1 | cut -d: -f2)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {sys.argv[3]} | {r['data']} | {r['n']} | {r['noise']} | {r['psnr']['mean']:.2f} ± {r['psnr']['std']:.2f} | {r['ssim']['mean']:.3f} ± {r['ssim']['std']:.3f} |")
PY
}

train "$minutes" fmnist-autoencoder fashion-mnist --model autoencoder &
train "$minutes" fmnist-vae fashion-mnist --model vae &
wait
train "$minutes" fmnist-denoising fashion-mnist --model autoencoder --denoise 0.3
train "$emoji_minutes" emoji-autoencoder "$out/emoji-train" --model autoencoder --resolution 64 &
train "$emoji_minutes" emoji-vae "$out/emoji-train" --model vae --resolution 64 &
wait
echo "| run | steps | held-out data | n | input noise | PSNR dB | SSIM |"
echo "|---|---|---|---|---|---|---|"
for run in fmnist-autoencoder fmnist-denoising fmnist-vae; do
  for noise in 0 0.3; do measure "$run" fashion-mnist:test "$noise"; done
done
for run in emoji-autoencoder emoji-vae; do measure "$run" "$out/emoji-held-out" 0; done
