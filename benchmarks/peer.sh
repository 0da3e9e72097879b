#!/usr/bin/env bash
# Atelier vs the PyTorch peer (../shared/peer/dcgan_step.py), alternating in one run, same machine.
# Prints one line per config with the medians over rounds and their ratios.
# usage: benchmarks/peer.sh [rounds=5] [peer_dir=../shared/peer]
# needs: scripts/install-data.sh --peer   (python3-torch, libopenblas0-openmp)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
peer="${2:-$here/../shared/peer}"
[[ -f "$peer/dcgan_step.py" ]] || { echo "peer.sh: no dcgan_step.py in $peer" >&2; exit 2; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "peer.sh: /usr/bin/python3 lacks torch; run scripts/install-data.sh --peer" >&2; exit 2; }
dotnet build "$here/benchmarks/Atelier.Benchmarks" -c Release -nologo -v q >/dev/null
bench="$here/benchmarks/Atelier.Benchmarks/bin/Release/net10.0/Atelier.Benchmarks.dll"
log="$(mktemp)"
for ((r = 1; r <= rounds; r++)); do
  for cfg in mnist dcgan64; do
    /usr/bin/python3 "$peer/dcgan_step.py" "$cfg" | sed "s/^/round=$r side=pytorch /" >>"$log"
    dotnet "$bench" "$cfg" | sed "s/^/round=$r side=atelier /" >>"$log"
  done
done
python_med() { :; }
for cfg in mnist dcgan64; do
  awk -v cfg="$cfg" '
    function val(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } }
    function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                       return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    $0 ~ "cfg=" cfg " " {
      side = val("side")
      if (side == "atelier") { at[++na] = val("train_img_s"); ag[na] = val("gen_img_s"); rss[na] = val("peak_rss_mib") }
      else { pt[++np] = val("train_img_s"); pg[np] = val("gen_img_s") }
    }
    END {
      a = median(at, na); p = median(pt, np); g = median(ag, na); q = median(pg, np)
      printf "config=%s atelier_train_img_s=%.1f pytorch_train_img_s=%.1f train_ratio=%.2f atelier_gen_img_s=%.1f pytorch_gen_img_s=%.1f gen_ratio=%.2f atelier_peak_rss_mib=%d rounds=%d\n",
        cfg, a, p, a / p, g, q, g / q, median(rss, na), na
    }' "$log"
done
echo "raw runs: $log" >&2
