#!/usr/bin/env python3
"""The small-data study's table for docs/art-results.md, from the run folders benchmarks/small-data-study.sh writes.
usage: benchmarks/study-table.py [runs_dir=runs/study]"""
import glob, json, os, sys

runs = sys.argv[1] if len(sys.argv) > 1 else "runs/study"

def evaluation(run, network):
    path = os.path.join(run, "evaluation", network, "evaluation.json")
    return json.load(open(path))["metrics"] if os.path.exists(path) else None

def last_steps(run):
    rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.startswith('{"step"')]
    tail = rows[-50:]
    return rows[-1]["step"], sum(r["imgPerSec"] for r in tail) / len(tail), sum(r["dReal"] for r in tail) / len(tail), sum(r["dFake"] for r in tail) / len(tail)

print("| run | steps | images per CPU-second | KID ×10³ random-cnn | FID random-cnn | P / R random-cnn | FID ResNet18 | KID ResNet18 | copies (pixels / features) | D(x) | D(G(z)) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for run in sorted(glob.glob(os.path.join(runs, "*-s[0-9]*"))):
    if not os.path.isdir(run) or not os.path.exists(os.path.join(run, "metrics.jsonl")):
        continue
    steps, ips, dx, dgz = last_steps(run)
    options = json.load(open(os.path.join(run, "options.json")))
    minutes = float(os.path.basename(run).rsplit("-", 2)[-2].rstrip("m"))
    per_cpu_second = steps * options["batchSize"] / (minutes * 60)
    r, f = evaluation(run, "random-cnn"), evaluation(run, "resnet18")
    projected = "projected" in os.path.basename(run) or "ensemble" in os.path.basename(run)
    space = " (D's space)" if projected else ""
    cells = [os.path.basename(run), f"{steps:,}", f"{per_cpu_second:.1f}"]
    cells += [f"{r['kid']['value'] * 1e3:.2f}", f"{r['fid']:.2f}", f"{r['precision']:.2f} / {r['recall']:.2f}"] if r else ["–"] * 3
    if f:
        copies = f"{f['memorisation_pixels']:.3f} / {f['memorisation_features']:.3f}" if "memorisation_pixels" in f else "–"
        cells += [f"{f['fid']:.0f}{space}", f"{f['kid']['value']:.2f}{space}", copies]
    else:
        cells += ["–"] * 3
    cells += [f"{dx:.2f}", f"{dgz:.2f}"]
    print("| " + " | ".join(cells) + " |")
