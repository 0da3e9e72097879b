#!/usr/bin/env bash
# The founding text's GAN family on Fashion-MNIST 28x28: every objective, and the non-saturating baseline with
# each Salimans 2016 technique, for the same CPU-time budget each. Writes docs/ablation.md.
# usage: benchmarks/ablation.sh [cpu_minutes_per_run=20] [runs_dir=runs/ablation]
# The budget is process CPU time over both threads: 20 CPU-minutes is about 10 wall minutes on 2 cores.
# It is robust to other load on the machine. ABLATION_REPORT=path writes the report elsewhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-20}"
runs="${2:-$here/runs/ablation}"
mkdir -p "$runs"
common=(--data fashion-mnist --steps 1000000 --cpu-minutes "$minutes" --sample-every 1000 --checkpoint-every 1000 --quiet --threads 2)
train() { # name, extra flags...
  local name="$1"; shift
  [[ -f "$runs/$name/plots/losses.png" ]] && { echo "ablation: $name already done"; return; }
  rm -rf "$runs/$name"
  echo "ablation: $name ($*)"
  "$here/atelier" train "${common[@]}" --out "$runs/$name" "$@" || echo "ablation: $name exited with $?"
}
for objective in non-saturating minimax wgan wgan-gp hinge least-squares; do
  train "objective-$objective" --objective "$objective"
done
train technique-feature-matching --feature-matching
train technique-minibatch-discrimination --minibatch-discrimination
train technique-historical-averaging --historical-averaging 0.001
train technique-label-smoothing --label-smoothing 0.9
train technique-virtual-batchnorm --virtual-batchnorm
dotnet build "$here/benchmarks/Atelier.Benchmarks" -c Release -nologo -v q >/dev/null
dotnet "$here/benchmarks/Atelier.Benchmarks/bin/Release/net10.0/Atelier.Benchmarks.dll" ablation-report "$runs" "${ABLATION_REPORT:-$here/docs/ablation.md}" "$minutes"
