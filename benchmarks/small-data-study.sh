#!/usr/bin/env bash
# The small-data study of docs/art-results.md: designs compared at equal CPU time on one torch thread each.
# usage: benchmarks/small-data-study.sh <dataset-key> <design> <cpu-minutes> <seed> [runs_dir=runs/study]
#   dataset-key: kandinsky32 | kandinsky64 | emoji64 | clipart64
#   design:      dcgan-main (today's main job) | dcgan-small-art | fastgan-pixel | fastgan-projected
#                | fastgan-projected-narrow (small discriminators a quarter as wide: 1.5x the steps) | dcgan-projected
#                | dcgan-ensemble | fastgan-ensemble
#                | fastgan-selfsup (FastGAN's self-supervised discriminator: no pretrained network)
#                | <design>+base (fine-tuned from runs/study/base with --init-from)
# Trains (a killed run starts again: the CPU budget is one process's), then evaluates: KID/FID/precision/recall in the
# independent random-cnn network (n = 1000), FID/KID in resnet18-imagenet (n = 500; the projected discriminator's own
# feature space), and for the collections the copy check against held-out images. Results: <runs>/<key>-<design>-<minutes>m-s<seed>/evaluation/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
key="$1" design="$2" minutes="$3" seed="$4"
runs="${5:-$here/runs/study}"
home="${ATELIER_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/atelier}"
mkdir -p "$runs"
bin="${ATELIER_STUDY_BIN:-$runs/.cli}"  # a published copy, so that rebuilding the sources does not touch running studies
[[ -f "$bin/atelier.dll" ]] || dotnet publish "$here/src/Atelier.Cli/Atelier.Cli.csproj" -c Release -nologo -v q -o "$bin" >/dev/null
at() { dotnet "$bin/atelier.dll" "$@"; }
case "$key" in
  kandinsky32) data=(--data procedural:kandinsky --resolution 32) ;;
  kandinsky64) data=(--data procedural:kandinsky --resolution 64) ;;
  emoji64) data=(--data "$home/datasets/emoji-twitter-64" --resolution 64) ;;
  clipart64) data=(--data /usr/share/openclipart/png/animals --resolution 64 --fit Letterbox) ;;
  *) echo "unknown dataset key $key" >&2; exit 2 ;;
esac
base_design="${design%+base}"
case "$base_design" in
  dcgan-main) flags=() ;;
  dcgan-small-art) flags=(--preset small-art --generator-width 32 --discriminator-width 32) ;;
  fastgan-pixel) flags=(--model fastgan --preset small-art --generator-width 16 --discriminator-width 32) ;;
  fastgan-projected) flags=(--model fastgan --discriminator projected --batch-size 32 --generator-width 16 --ema-half-life 5000) ;;
  fastgan-projected-narrow) flags=(--model fastgan --discriminator projected --batch-size 32 --generator-width 16 --discriminator-width 16 --ema-half-life 5000) ;;
  fastgan-selfsup) flags=(--model fastgan --discriminator self-supervised --batch-size 32 --generator-width 16 --discriminator-width 16 --ema-half-life 5000) ;;
  dcgan-projected) flags=(--discriminator projected --batch-size 32 --generator-width 32 --ema-half-life 5000) ;;
  dcgan-ensemble) flags=(--discriminator ensemble --batch-size 32 --generator-width 32 --discriminator-width 32 --spectral-norm --critic-norm none --ema-half-life 5000) ;;
  fastgan-ensemble) flags=(--model fastgan --discriminator ensemble --batch-size 32 --generator-width 16 --discriminator-width 32 --spectral-norm --critic-norm none --ema-half-life 5000) ;;
  *) echo "unknown design $design" >&2; exit 2 ;;
esac
[[ "$design" == *+base ]] && flags+=(--init-from "$runs/base")
name="$key-$design-${minutes}m-s$seed"
out="$runs/$name"
if [[ ! -f "$out/.done" ]]; then  # the CPU budget counts one process, so a killed run starts again
  rm -rf "$out"
  at train "${data[@]}" "${flags[@]}" --seed "$seed" --steps 1000000 --cpu-minutes "$minutes" --threads 1 --quiet \
    --sample-every 1000 --checkpoint-every 500 --out "$out" >"$out.log" 2>&1
fi
touch "$out/.done"
eval_dir="$out/evaluation"
[[ -f "$eval_dir/random-cnn/evaluation.json" ]] || at evaluate --fake "$out" --n 1000 --network random-cnn --no-copies --out "$eval_dir/random-cnn" >"$eval_dir-random-cnn.log" 2>&1
copies=(); [[ "$key" == kandinsky* ]] && copies=(--no-copies)  # procedural art has no finite training set to copy
[[ -f "$eval_dir/resnet18/evaluation.json" ]] || at evaluate --fake "$out" --n 500 "${copies[@]}" --out "$eval_dir/resnet18" >"$eval_dir-resnet18.log" 2>&1
echo "study: $name done"
