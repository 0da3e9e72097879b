#!/usr/bin/env bash
# The fast style path's study (docs/style-transfer.md): 4 photographs of apt opencv-doc x 4 styles (its Starry Night,
# three paintings of apt gcompris-qt-data) for --method wct and adain at 256 px (default --depth 2; 1 and 3 on one pair), seconds per image at 256 and 512 px,
# and the shipped decoders' reconstruction PSNR on pictures they did not train on.
#   benchmarks/style-fast.sh <out-folder> [threads]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"; threads="${2:-2}"
mkdir -p "$out"
"$here/scripts/style-decoder-data.sh" >/dev/null
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
data=/usr/share/doc/opencv-doc/examples/data
paintings="$home/datasets/style-decoder-art/paintings"
styles=("$data/starry_night.jpg" "$paintings/resource-image-GreatWave_b2.webp" "$paintings/resource-image-cassat_summertime_3.webp" "$paintings/resource-image-degas_class-dance_2.webp")
contents=("$data/building.jpg" "$data/fruits.jpg" "$data/baboon.jpg" "$data/butterfly.jpg")
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
for method in wct adain; do
  for c in "${contents[@]}"; do
    for s in "${styles[@]}"; do
      name="$method-$(basename "${c%.*}")-$(basename "${s%.*}" | sed 's/resource-image-//')"
      t=$(seconds "$here/atelier" style --method "$method" --content "$c" --style "$s" --size 256 --threads "$threads" --out "$out/$name.png")
      echo "$name 256px ${t}s"
    done
  done
  for depth in 1 3; do
    "$here/atelier" style --method "$method" --depth "$depth" --content "${contents[0]}" --style "${styles[0]}" --size 256 --threads "$threads" --out "$out/$method-building-starry_night-depth$depth.png" >/dev/null
  done
  for size in 256 512; do
    t=$(seconds "$here/atelier" style --method "$method" --content "${contents[0]}" --style "${styles[0]}" --size "$size" --threads "$threads" --out "$out/timing-$method-$size.png")
    echo "timing $method ${size}px ${t}s (whole command: loading the network and decoders included)"
  done
done
# Held out: the emoji and clip art that style-decoder-data.sh did not pick (it takes every 8th and every 6th).
held="$out/held-out"
if [[ ! -d "$held" ]]; then
  mkdir -p "$held/emoji" "$held/openclipart"
  find "$home/datasets/emoji-twitter-64" -name '*.png' -print0 | sort -z | awk 'BEGIN{RS="\0"} NR%8==2 && NR<=1600' | while IFS= read -r f; do cp "$f" "$held/emoji/"; done
  (cd /usr/share/openclipart/png && find . -type f -name '*.png' -print0 | sort -z) | awk 'BEGIN{RS="\0"} NR%6==2 && NR<=1200' |
    while IFS= read -r f; do cp "/usr/share/openclipart/png/$f" "$held/openclipart/$(echo "${f#./}" | tr '/' '-')"; done
fi
for folder in "$held/emoji" "$held/openclipart" "$data"; do
  "$here/atelier" style-decoders --data "$folder" --evaluate 200 --resolution 128 --threads "$threads" 2>/dev/null
done
