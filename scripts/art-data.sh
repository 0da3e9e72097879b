#!/usr/bin/env bash
# The collections of docs/art-results.md, from the registries reachable here (idempotent):
#   emoji-twitter-64      npm emoji-datasource-twitter@16.0.0: all 3,786 PNG 64x64 (CC-BY-4.0, Twitter, Inc and other contributors)
#   emoji-by-category     the 1,906 emoji without skin-tone variants, one subfolder per emoji.json category (for domain:<folder>)
#   base-art              apt openclipart-png (public domain) without its animals folder, plus emoji-twitter-64: the base model's data
# into $ATELIER_HOME/datasets (default ~/.local/share/atelier). Needs npm, python3, and root (or sudo) for apt.
set -euo pipefail
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
datasets="$home/datasets"
mkdir -p "$datasets"
emoji="$datasets/emoji-twitter-64"
if [[ ! -f "$datasets/.emoji.json" || ! -d "$emoji" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent emoji-datasource-twitter@16.0.0 >/dev/null && tar xzf emoji-datasource-twitter-16.0.0.tgz)
  mkdir -p "$emoji" && cp "$work"/package/img/twitter/64/*.png "$emoji"/
  cp "$work/package/emoji.json" "$datasets/.emoji.json"
fi
if [[ ! -d "$datasets/emoji-by-category" ]]; then
  python3 - "$datasets/.emoji.json" "$emoji" "$datasets/emoji-by-category" <<'PY'
import json, os, sys, re
entries, source, target = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for e in entries:
    if not e.get("has_img_twitter") or e["category"] == "Component":
        continue
    folder = os.path.join(target, re.sub(r"[^a-z]+", "-", e["category"].lower()).strip("-"))
    os.makedirs(folder, exist_ok=True)
    if os.path.exists(os.path.join(source, e["image"])):
        os.link(os.path.join(source, e["image"]), os.path.join(folder, e["image"]))
PY
fi
if [[ ! -d /usr/share/openclipart/png ]]; then
  as_root=(); [[ $(id -u) != 0 ]] && as_root=(sudo)
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq openclipart-png >/dev/null
fi
base="$datasets/base-art"
if [[ ! -d "$base" ]]; then
  mkdir -p "$base/openclipart" "$base/emoji"
  # Copies of the regular files only (the package's symbolic links repeat drawings across categories); the animals
  # stay out, so that fine-tuning on them measures transfer to a subject the base model has not seen.
  (cd /usr/share/openclipart/png && find . -type f -name '*.png' -not -path './animals/*' -print0) |
    while IFS= read -r -d '' f; do mkdir -p "$base/openclipart/$(dirname "$f")"; cp "/usr/share/openclipart/png/$f" "$base/openclipart/$f"; done
  cp "$emoji"/*.png "$base/emoji/"
fi
echo "art-data: $(find "$emoji" -name '*.png' | wc -l) emoji, $(find "$datasets/emoji-by-category" -name '*.png' | wc -l) in $(ls "$datasets/emoji-by-category" | wc -l) categories, $(find "$base" -name '*.png' | wc -l) base images in $datasets"
