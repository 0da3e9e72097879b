#!/usr/bin/env bash
# Trains the style decoders Atelier ships (src/Atelier.Core/Assets/style-decoders), as they were trained:
#   scripts/style-decoders.sh [out.safetensors]      (default: /tmp/resnet18-decoders.safetensors)
# 1,500 Adam steps per level on 128x128 crops of scripts/style-decoder-data.sh's 1,979 pictures, one thread
# (about 50 minutes on a 2-core AVX-512 machine; the .json beside the file records the seconds it took).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-/tmp/resnet18-decoders.safetensors}"
"$here/scripts/style-decoder-data.sh"
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
"$here/atelier" style-decoders --data "$home/datasets/style-decoder-art" --out "$out" --steps 1500 --resolution 128 --threads 1 --seed 0
