#!/usr/bin/env bash
# Reference numbers for docs/metrics.md: real-vs-real pairs that should score near 0 or large, and a Fashion-MNIST
# run evaluated as it trains. usage: benchmarks/metrics-reference.sh [out_dir=runs/metrics-reference]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/runs/metrics-reference}"
mkdir -p "$out"
# A published copy of the CLI, so that rebuilding the sources meanwhile cannot disturb the runs.
[[ -f "$out/.cli/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$out/.cli" >/dev/null
at() { dotnet "$out/.cli/atelier.dll" "$@"; }
stamp() { echo "== $(date -u +%H:%M:%S) $*"; }
# Small grayscale data: the in-domain classifier, 10,000 images a side.
if [[ ! -f "$out/resnet-fashion-vs-mnist/evaluation.json" ]]; then
stamp "domain: fashion train vs test"
at evaluate --real fashion-mnist --fake fashion-mnist:test --n 10000 --network domain:fashion-mnist --metrics fid,kid,is,pr --out "$out/domain-train-vs-test"
stamp "domain: fashion vs mnist"
at evaluate --real fashion-mnist --fake mnist --n 10000 --network domain:fashion-mnist --metrics fid,kid,is,pr --out "$out/domain-fashion-vs-mnist"
# The ImageNet network: 2,000 a side (about 65 ms an image on 2 cores).
stamp "resnet18: fashion train vs test"
at evaluate --real fashion-mnist --fake fashion-mnist:test --n 2000 --metrics fid,kid,pr --out "$out/resnet-train-vs-test"
stamp "resnet18: fashion vs mnist"
at evaluate --real fashion-mnist --fake mnist --n 2000 --metrics fid,kid,pr --out "$out/resnet-fashion-vs-mnist"
fi
# A run measured while it trains, then its best checkpoint with every metric and the copy check.
stamp "train with --eval-every"
rm -rf "$out/fashion-run"
at train --data fashion-mnist --steps 2000 --eval-every 250 --eval-network domain:fashion-mnist --eval-n 2000 --out "$out/fashion-run" --quiet --sample-every 250 --threads 1
stamp "evaluate best (domain)"
at evaluate --fake "$out/fashion-run" --checkpoint best --n 10000 --network domain:fashion-mnist --metrics fid,kid,is,pr
stamp "evaluate best (resnet18)"
at evaluate --fake "$out/fashion-run" --checkpoint best --n 2000 --out "$out/fashion-run/evaluation/best-resnet18"
stamp "done"
