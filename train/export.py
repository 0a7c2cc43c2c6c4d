"""Export a trained checkpoint to a KLM1 model file + JSON model card.

    /usr/bin/python3 train/export.py --ckpt /tmp/kolmo-train/main/ckpt.pt \
        --name kolmo-lm-v1 --out-dir models --eval

KLM1 (all little-endian):
    "KLM1", u32 version=1, u32 arch=1 (LSTM), u32 L, u32 E, u32 H, u32 vocab=256,
    u32 reserved=0                                     (32-byte header)
    float32 row-major: embedding [256][E];
    per layer l: W_ih [4H][in_l] (in_0=E, else H), W_hh [4H][H], bias [4H] (b_ih+b_hh in f32);
    W_out [256][H], b_out [256]

The exported file is read back with reference.py and checked against the
PyTorch module (nn.LSTM) on a sample text before anything is written out.
With --eval the card gets validation bits per byte on the full held-out slices.
"""
import argparse
import datetime
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import ByteRNN  # noqa: E402
import reference  # noqa: E402

SAMPLE = (b"The quick brown fox jumps over the lazy dog.\n"
          b"function f(x) {\n  return x * 2;\n}\n")


def klm1_bytes(model, residual=False):
    """The KLM1 file; residual sets flag bit 0 (the logits are added to ln of the corpus n-gram's
    distribution: a model trained with train.py --residual-ngram)."""
    assert model.arch == "lstm", "KLM1 arch 1 is the LSTM"
    sd = {k: v.detach().to(torch.float32).contiguous() for k, v in model.state_dict().items()}
    L, E, H = model.layers, model.embed, model.hidden
    parts = [struct.pack("<4s7I", b"KLM1", 1, 1, L, E, H, 256, 1 if residual else 0)]

    def put(t, shape):
        assert tuple(t.shape) == shape, (t.shape, shape)
        parts.append(t.numpy().astype("<f4").tobytes())

    put(sd["emb.weight"], (256, E))
    for l in range(L):
        inp = E if l == 0 else H
        put(sd[f"rnn.weight_ih_l{l}"], (4 * H, inp))
        put(sd[f"rnn.weight_hh_l{l}"], (4 * H, H))
        put(sd[f"rnn.bias_ih_l{l}"] + sd[f"rnn.bias_hh_l{l}"], (4 * H,))
    put(sd["out.weight"], (256, H))
    put(sd["out.bias"], (256,))
    return b"".join(parts)


def torch_log2p(model, data):
    """log2 p of each byte with the PyTorch module (NUL first, zero state)."""
    x = torch.tensor([[0] + list(data[:-1])])
    with torch.no_grad():
        logits, _ = model(x, model.zero_state(1))
        lp = torch.log_softmax(logits[0].double(), -1)
    return (lp[torch.arange(len(data)), torch.tensor(list(data))] / np.log(2.0)).numpy()


def check_roundtrip(model, path):
    ref = reference.log2probs(reference.load_klm1(path), SAMPLE, torch.float64)
    mod = torch_log2p(model, SAMPLE)
    d = float(np.abs(ref - mod).max())
    assert d < 1e-3, f"exported file disagrees with the PyTorch module: max |d log2p| = {d}"
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--earlier-cmd", action="append", default=[],
                    help="the training command of an earlier run this checkpoint continues (repeat, oldest first)")
    ap.add_argument("--ckpt", help="checkpoint from train.py (omit with --random)")
    ap.add_argument("--random", action="store_true", help="random init (fixed --seed) instead of a checkpoint")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--embed", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--name", required=True)
    ap.add_argument("--out-dir", default="models")
    ap.add_argument("--no-card", action="store_true")
    ap.add_argument("--eval", action="store_true", help="validation bpb on the full held-out slices")
    ap.add_argument("--log", help="training log: copy its last periodic validation line into the card")
    ap.add_argument("--corpus", default="/tmp/corpus-raw")
    ap.add_argument("--comparison", default=os.path.join(HERE, "comparison.json"))
    ap.add_argument("--max-bytes", type=int, default=8 * 1024 * 1024)
    args = ap.parse_args()
    torch.set_num_threads(1)

    ck = None
    if args.random:
        torch.manual_seed(args.seed)
        model = ByteRNN("lstm", args.layers, args.embed, args.hidden)
    else:
        ck = torch.load(args.ckpt)
        model = ByteRNN(**ck["config"])
        model.load_state_dict(ck["model"])
    model.eval()
    residual = bool(ck and ck.get("args", {}).get("residual_ngram"))
    blob = klm1_bytes(model, residual)
    assert len(blob) <= args.max_bytes, f"{len(blob)} bytes > {args.max_bytes}"
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, args.name + ".bin")
    with open(path + ".tmp", "wb") as f:
        f.write(blob)
    d = check_roundtrip(model, path + ".tmp")
    os.replace(path + ".tmp", path)
    print(f"{path}: {len(blob)} bytes, round-trip max |d log2p| {d:.2e}", file=sys.stderr)
    if args.no_card:
        return

    val = None
    if args.eval:
        from data import Corpus
        from train import evaluate
        from ngram_dist import NgramDist
        corpus = Corpus(args.corpus, verbose=False)
        val = evaluate(model, corpus, 64, 192, None,
                       ngram=NgramDist(ck["args"]["residual_ngram"]) if residual else None)
        print("val bpb: " + " ".join(f"{k}={v:.4f}" for k, v in val.items()), file=sys.stderr)
    elif ck is not None and "val_bpb" in ck:
        val = ck["val_bpb"]

    quick = None
    if args.log and os.path.exists(args.log):
        lines = [l for l in open(args.log) if " val@" in l]
        if lines:
            head, _, vals = lines[-1].strip().partition(") ")
            quick = {"line": head + ")", "bpb": {k: float(v) for k, v in (kv.split("=") for kv in vals.split())}}
    from data import WEIGHTS, VAL_BYTES, CATEGORIES, MAX_PIECE
    comparison = None
    if os.path.exists(args.comparison):
        comparison = json.load(open(args.comparison))
    card = {
        "name": args.name,
        "file": os.path.basename(path),
        "file_bytes": len(blob),
        "format": "KLM1 v1 (see train/export.py)",
        "architecture": {
            "family": "LSTM", "arch_code": 1, "layers": model.layers, "embed": model.embed,
            "hidden": model.hidden, "vocab": 256,
            "gate_order": "i, f, g, o (PyTorch nn.LSTM)", "output": "linear H->256 on the last layer's h, softmax",
        },
        "residual_over_ngram": (os.path.basename(ck["args"]["residual_ngram"]) if residual else None),
        "residual_note": ("KLM1 flag bit 0: level 3 predicts p(b) proportional to exp(logit(b)) * d(b), d the corpus "
                          "n-gram's distribution for the same byte; validation_bpb scores that product") if residual else None,
        "parameters": model.n_params(),
        "parameters_in_file": (len(blob) - 32) // 4,
        "multiply_adds_per_byte": model.macs_per_byte(),
        "quantization": ("file: float32. The codec runs int8: at load, assembly/lm/kernels-int8.ts rounds each "
                         "matrix row to int8 with one f32 scale per row (max |w| / 127); h enters the matrices as "
                         "int16 with 14 fractional bits; sums are exact i32 (i32x4.dot_i16x8_s). The embedding "
                         "(folded into a per-byte f32 table), biases, cell and softmax stay f32."),
        "inference": ("all layers start with h = c = 0; input byte 0 (NUL) gives the distribution of "
                      "the first data byte; then each data byte is fed to predict the next"),
        "training_data": None if ck is None else {
            "corpus": "/work/shared/corpus/train (unpacked with corpus/unpack.sh)",
            "shards": sorted(f for f in os.listdir(args.corpus) if f.endswith(".txt")) if os.path.isdir(args.corpus) else None,
            "categories": CATEGORIES,
            "mix_by_raw_bytes": {k: round(v, 4) for k, v in WEIGHTS.items()},
            "doc_headers": "stripped; every document (or window of <= %d bytes of a long one, 25 %% of them "
                           "from its start, else from a random line start) starts with a NUL input from zero state" % MAX_PIECE,
            "validation_holdout": "last %d bytes (from the next line start) of the last shard of each category, never trained on" % VAL_BYTES,
            "augmentation": "17 % of documents converted to CRLF; 4 % tabs<->spaces for leading indentation; "
                            "2 % with ~10 % of lines upper-cased",
        },
        "training": None if ck is None else {
            "steps": ck["step"], "bytes_seen": ck["bytes"], "train_wall_seconds": round(ck["elapsed"], 1),
            "initialised_from_earlier_run": None if not ck.get("init_steps") else {
                "steps": ck["init_steps"], "bytes_seen": ck["init_bytes"]},
            "total_steps": ck.get("init_steps", 0) + ck["step"], "total_bytes_seen": ck.get("init_bytes", 0) + ck["bytes"],
            "threads": ck["args"].get("threads"), "streams_B": ck["args"].get("B"), "bptt_T": ck["args"].get("T"),
            "optimizer": "Adam lr %g, %d warmup steps, cosine to %g x lr at the wall-clock budget (%g min), clip %g" % (
                ck["args"]["lr"], ck["args"]["warmup_steps"], ck["args"]["lr_min_frac"], ck["args"]["minutes"], ck["args"]["clip"]),
            "budget_minutes": ck["args"]["minutes"],
            "finished": ck["elapsed"] >= ck["args"]["minutes"] * 60,
        },
        "validation_bpb": val,
        "validation_periodic_from_log": quick,
        "validation_note": ("bits per byte on the held-out slices, each cut into windows of 32768 bytes coded "
                            "like files (NUL + zero state); 'all' = total bits / total bytes over the 10 "
                            "categories; 'prose-crlf' = the prose slice with CRLF line ends"),
        "commands": {
            "unpack": "sh /work/shared/corpus/unpack.sh /tmp/corpus-raw",
            "train_earlier_runs": args.earlier_cmd or None,
            "train": None if ck is None else ck["cmd"],
            "export": " ".join([sys.executable] + sys.argv),
        },
        "architecture_comparison": comparison,
        "exported_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wasm_kbps": None,
    }
    with open(os.path.join(args.out_dir, args.name + ".json"), "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
