#!/usr/bin/env bash
# The pictures the shipped style decoders learned from (docs/style-transfer.md), from the registries reachable here
# (idempotent), into $ATELIER_HOME/datasets/style-decoder-art (default ~/.local/share/atelier):
#   paintings/   the 267 WebP tiles of the 22 paintings in apt gcompris-qt-data (its paintings.rcc Qt resource file)
#   photos/      the JPEG and PNG photographs and drawings of apt opencv-doc (samples/data)
#   openclipart/ every 6th public-domain drawing of apt openclipart-png (regular files only)
#   emoji/       every 8th emoji of npm emoji-datasource-twitter@16.0.0 (CC-BY-4.0), via scripts/art-data.sh
# Needs python3 (standard library only) and root for apt.
set -euo pipefail
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
target="$home/datasets/style-decoder-art"
[[ -d "$target" ]] && { echo "style-decoder-data: $(find "$target" -type f | wc -l) pictures in $target"; exit 0; }
missing=()
[[ -f /usr/share/gcompris-qt/rcc/paintings.rcc ]] || missing+=(gcompris-qt-data)
[[ -d /usr/share/doc/opencv-doc/examples/data ]] || missing+=(opencv-doc)
[[ -d /usr/share/openclipart/png ]] || missing+=(openclipart-png)
if (( ${#missing[@]} )); then
  as_root=(); [[ $(id -u) != 0 ]] && as_root=(sudo)
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/art-data.sh" >/dev/null
work="$target.partial"
rm -rf "$work" && mkdir -p "$work/paintings" "$work/photos" "$work/openclipart" "$work/emoji"
python3 - /usr/share/gcompris-qt/rcc/paintings.rcc "$work/paintings" <<'PY'
# A Qt resource file (rcc format 1-3): header "qres", version, tree/data/names offsets; tree entries of 14 (v1) or
# 22 bytes (v2+); directory entries list children, file entries point at a 4-byte length and the bytes (flag 1: zlib).
import os, struct, sys, zlib
blob = open(sys.argv[1], "rb").read()
if blob[:4] != b"qres": sys.exit(f"{sys.argv[1]}: not a Qt resource file")
version, tree, data, names = struct.unpack(">IIII", blob[4:20])
entry = 22 if version >= 2 else 14
def name(offset):
    length, = struct.unpack(">H", blob[names + offset:names + offset + 2])
    return blob[names + offset + 6:names + offset + 6 + 2 * length].decode("utf-16-be")
count = 0
def walk(index, path):
    global count
    at = tree + index * entry
    name_offset, flags = struct.unpack(">IH", blob[at:at + 6])
    here = name(name_offset) if index else ""
    if flags & 2:
        children, first = struct.unpack(">II", blob[at + 6:at + 14])
        for c in range(children): walk(first + c, path + [here])
        return
    if not here.endswith(".webp"): return
    offset, = struct.unpack(">I", blob[at + 10:at + 14])
    size, = struct.unpack(">I", blob[data + offset:data + offset + 4])
    body = blob[data + offset + 4:data + offset + 4 + size]
    if flags & 1: body = zlib.decompress(body[4:])
    out = os.path.join(sys.argv[2], "-".join(p for p in path[-2:] if p) + "-" + here)
    open(out, "wb").write(body)
    count += 1
walk(0, [])
print(f"paintings: {count} tiles")
PY
find /usr/share/doc/opencv-doc/examples/data -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) -exec cp {} "$work/photos/" \;
(cd /usr/share/openclipart/png && find . -type f -name '*.png' -print0 | sort -z) | awk 'BEGIN{RS="\0"} NR%6==1' |
  while IFS= read -r f; do cp "/usr/share/openclipart/png/$f" "$work/openclipart/$(echo "${f#./}" | tr '/' '-')"; done
find "$home/datasets/emoji-twitter-64" -name '*.png' -print0 | sort -z | awk 'BEGIN{RS="\0"} NR%8==1' |
  while IFS= read -r f; do cp "$f" "$work/emoji/"; done
mv "$work" "$target"
echo "style-decoder-data: $(find "$target" -type f | wc -l) pictures in $target"
