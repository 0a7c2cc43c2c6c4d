"""Collect the architecture-comparison runs (/tmp/kolmo-train/cmp-*/result.json)
into train/comparison.json (copied into every model card).

    /usr/bin/python3 train/collect_comparison.py [--choice "why ..."]
"""
import argparse
import glob
import json
import os

ap = argparse.ArgumentParser()
ap.add_argument("--runs", default="/tmp/kolmo-train/cmp-*/result.json")
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "comparison.json"))
ap.add_argument("--choice", default=None)
args = ap.parse_args()
rows = []
for p in sorted(glob.glob(args.runs)):
    r = json.load(open(p))
    c = r["config"]
    rows.append({
        "family": c["arch"].upper(), "layers": c["layers"], "embed": c["embed"], "hidden": c["hidden"],
        "forget_bias_init": r["args"].get("forget_bias", 0.0),
        "params": r["params"], "multiply_adds_per_byte": r["macs_per_byte"],
        "train_seconds": round(r["train_seconds"]), "steps": r["steps"], "bytes_seen": r["bytes_seen"],
        "train_kB_per_s": round(r["bytes_seen"] / r["train_seconds"] / 1000, 1),
        "val_bpb_all": round(r["val_bpb"]["all"], 4),
        "val_bpb": {k: round(v, 4) for k, v in r["val_bpb"].items()},
        "command": r["cmd"],
    })
rows.sort(key=lambda r: r["val_bpb_all"])
out = {
    "setup": "same wall-clock budget per run (4 min of training, 1 thread, machine shared with another "
             "process), B=64 streams x T=192, Adam lr 3e-3, 150 warmup steps, cosine decay to the budget; "
             "validation = full held-out slices (200 KB per category, 32 KB cold-start windows)",
    "runs": rows,
    "choice": args.choice,
}
json.dump(out, open(args.out, "w"), indent=1)
print("| family | L | E | H | forget bias init | params | MACs/byte | train kB/s | bytes seen | val bpb (all) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['family']} | {r['layers']} | {r['embed']} | {r['hidden']} | {r['forget_bias_init']} | {r['params']} | {r['multiply_adds_per_byte']} | "
          f"{r['train_kB_per_s']} | {r['bytes_seen']} | {r['val_bpb_all']} |")
