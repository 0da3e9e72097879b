#!/usr/bin/env bash
# Chooses --preset fashion: DCGAN 28x28 on Fashion-MNIST with each candidate game, three seeds each, the same
# CPU-time budget on one thread, then FID in the domain classifier's features (n = 10,000). Prints mean and spread.
# usage: benchmarks/fashion-preset.sh [cpu_minutes=6] [runs_dir=runs/fashion-preset] [jobs=1]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-6}"
runs="${2:-$here/runs/fashion-preset}"
jobs="${3:-1}"
mkdir -p "$runs"
bin="$runs/.cli"
[[ -f "$bin/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
at() { dotnet "$bin/atelier.dll" "$@"; }
configs=(non-saturating minimax hinge)
plan=()
for seed in 1 2 3; do for c in "${configs[@]}"; do plan+=("$c $seed"); done; done
one() { # objective seed
  local name="$1-seed$2"
  if [[ ! -f "$runs/$name/evaluation/final/evaluation.json" ]]; then
    rm -rf "$runs/$name"
    at train --data fashion-mnist --objective "$1" --seed "$2" --steps 1000000 --cpu-minutes "$minutes" --threads 1 --quiet \
      --sample-every 1000 --checkpoint-every 1000 --out "$runs/$name" >"$runs/$name.log" 2>&1
    at evaluate --fake "$runs/$name" --network domain:fashion-mnist --n 10000 --metrics fid,pr --out "$runs/$name/evaluation/final" >>"$runs/$name.log" 2>&1
  fi
  echo "fashion-preset: $name done $(date -u +%H:%M:%S)"
}
lane() { local i; for ((i = $1; i < ${#plan[@]}; i += jobs)); do one ${plan[$i]}; done; }
for ((l = 0; l < jobs; l++)); do lane "$l" & done
wait
echo "| objective | FID (seeds 1, 2, 3) | mean | spread (max-min) | steps |"
echo "|---|---|---:|---:|---|"
for c in "${configs[@]}"; do
  /usr/bin/python3 - "$runs" "$c" <<'PY'
import json, sys, os
runs, c = sys.argv[1], sys.argv[2]
fids, steps = [], []
for seed in (1, 2, 3):
    d = json.load(open(os.path.join(runs, f"{c}-seed{seed}", "evaluation", "final", "evaluation.json")))
    fids.append(d["metrics"]["fid"])
    steps.append(os.path.basename(d["checkpoint"]).replace("step-", "").lstrip("0"))
print(f"| {c} | {', '.join(f'{f:.1f}' for f in fids)} | {sum(fids)/3:.1f} | {max(fids)-min(fids):.1f} | {', '.join(steps)} |")
PY
done
