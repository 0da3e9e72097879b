#!/usr/bin/env bash
# The Studio on loopback: p50/p99 latency of 16-image grids at 1, 10 and 50 concurrent clients (docs/benchmarks.md),
# and screenshots of its pages for the documentation (docs/images/studio, in Debian's chromium).
# usage: benchmarks/studio.sh load <runs_dir> <run_name> [seconds_per_level=20]
#        benchmarks/studio.sh screenshots <runs_dir> <run_name> [out=docs/images/studio]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:?load or screenshots}"
runs="${2:?runs folder}"
run="${3:?run name}"
dotnet build "$here/benchmarks/Atelier.Benchmarks" -c Release -nologo -v q >/dev/null
bench="$here/benchmarks/Atelier.Benchmarks/bin/Release/net10.0/Atelier.Benchmarks.dll"
case "$what" in
  load) dotnet "$bench" studio-load "$runs" "$run" "${4:-20}" ;;
  screenshots) dotnet "$bench" studio-screenshots "$runs" "$run" "${4:-$here/docs/images/studio}" ;;
  *) echo "studio.sh: '$what' is not load or screenshots" >&2; exit 2 ;;
esac
