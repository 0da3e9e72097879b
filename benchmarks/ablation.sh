#!/usr/bin/env bash
# The founding text's GAN family on Fashion-MNIST 28x28: every objective, and the non-saturating baseline with
# each Salimans 2016 technique, for the same CPU-time budget each. Writes docs/ablation.md.
# usage: benchmarks/ablation.sh [cpu_minutes_per_run=10] [runs_dir=runs/ablation]
# Each run uses one torch thread and stops after the given process CPU time, so runs on a busy machine get the
# same budget. ABLATION_JOBS runs that many in parallel (default: one per core). The CLI is published once into
# the runs folder first, so editing the sources while it runs changes nothing. ABLATION_REPORT=path writes the
# report elsewhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
runs="${2:-$here/runs/ablation}"
jobs="${ABLATION_JOBS:-$(nproc)}"
mkdir -p "$runs"
bin="$runs/.cli"
if [[ ! -f "$bin/atelier.dll" ]]; then
  echo "ablation: publishing the CLI to $bin"
  dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
fi
common=(--data fashion-mnist --steps 1000000 --sample-every 1000 --checkpoint-every 1000 --quiet --threads 1)
train() { # name, extra flags... (a name ending in -triple-budget gets three times the CPU budget)
  local name="$1"; shift
  local budget="$minutes"
  [[ "$name" == *-triple-budget ]] && budget="$(awk "BEGIN{print 3*$minutes}")"
  [[ -f "$runs/$name/plots/losses.png" ]] && { echo "ablation: $name already done"; return; }
  rm -rf "$runs/$name"
  echo "ablation: $name ($*) started $(date -u +%H:%M:%S)"
  dotnet "$bin/atelier.dll" train "${common[@]}" --cpu-minutes "$budget" --out "$runs/$name" "$@" >"$runs/$name.log" 2>&1 \
    || echo "ablation: $name exited with $?"
  echo "ablation: $name finished $(date -u +%H:%M:%S)"
}
plan=(
  "objective-non-saturating --objective non-saturating"
  "objective-minimax --objective minimax"
  "objective-wgan --objective wgan"
  "objective-wgan-gp --objective wgan-gp"
  "objective-hinge --objective hinge"
  "objective-least-squares --objective least-squares"
  "technique-feature-matching --feature-matching"
  "technique-minibatch-discrimination --minibatch-discrimination"
  "technique-historical-averaging --historical-averaging 0.001"
  "technique-label-smoothing --label-smoothing 0.9"
  "technique-virtual-batchnorm --virtual-batchnorm"
  "objective-wgan-gp-triple-budget --objective wgan-gp"
)
lane() { # lane index: takes every jobs-th entry of the plan
  local i
  for ((i = $1; i < ${#plan[@]}; i += jobs)); do
    # shellcheck disable=SC2086
    train ${plan[$i]}
  done
}
for ((l = 0; l < jobs; l++)); do lane "$l" & done
wait
dotnet build "$here/benchmarks/Atelier.Benchmarks" -c Release -nologo -v q >/dev/null
dotnet "$here/benchmarks/Atelier.Benchmarks/bin/Release/net10.0/Atelier.Benchmarks.dll" ablation-report "$runs" "${ABLATION_REPORT:-$here/docs/ablation.md}" "$minutes"
