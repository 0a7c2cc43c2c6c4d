"""Reference inference for KLM1 model files (parity oracle for the WASM LM).

    /usr/bin/python3 train/reference.py MODEL.bin INPUT [--out OUT.json] [--dtype float64]

Reads the .bin (not a checkpoint) and runs exactly the semantics the WASM side
implements: every layer starts with h = c = 0; the first input byte is 0 (NUL)
and yields the distribution of the first data byte; then every data byte is fed
to predict the next one.  LSTM cell (PyTorch gate order i, f, g, o):

    z = W_ih x + W_hh h + bias        (bias = b_ih + b_hh)
    i = sig(z[0:H]); f = sig(z[H:2H]); g = tanh(z[2H:3H]); o = sig(z[3H:4H])
    c = f * c + i * g;  h = o * tanh(c)
    logits = W_out h_{L-1} + b_out;   p = softmax(logits)

With --residual-ngram NGRAM.bin: log2 p of the residual product softmax(logits + ln d), d the
corpus n-gram's distribution (what level 3 codes with a residual model).

Writes {"text_base64", "log2p" (log2 p of each actual byte), "bits_total",
"model", "dtype", "bytes"} as JSON (to --out, or stdout).
"""
import argparse
import base64
import json
import struct
import sys

import numpy as np
import torch

HEADER = struct.Struct("<4s7I")


def load_klm1(path):
    """Parse a KLM1 file -> dict with L, E, H and float32 numpy tensors."""
    buf = open(path, "rb").read()
    magic, version, arch, L, E, H, vocab, flags = HEADER.unpack_from(buf, 0)
    if magic != b"KLM1" or version != 1 or arch != 1 or vocab != 256 or flags & ~1:
        raise ValueError(f"{path}: bad header {magic!r} v{version} arch{arch} vocab{vocab} flags{flags}")
    a = np.frombuffer(buf, "<f4", offset=HEADER.size)
    pos = 0

    def take(*shape):
        nonlocal pos
        n = int(np.prod(shape))
        if pos + n > len(a):
            raise ValueError(f"{path}: truncated")
        t = a[pos:pos + n].reshape(shape)
        pos += n
        return t

    # flag bit 0: residual (its logits are added to ln of the corpus n-gram's distribution;
    # log2probs scores the product when given the n-gram, the logits alone otherwise)
    m = dict(L=L, E=E, H=H, residual=bool(flags & 1), emb=take(256, E), layers=[])
    for l in range(L):
        inp = E if l == 0 else H
        m["layers"].append(dict(w_ih=take(4 * H, inp), w_hh=take(4 * H, H), bias=take(4 * H)))
    m["w_out"] = take(256, H)
    m["b_out"] = take(256)
    if pos != len(a) or (len(buf) - HEADER.size) % 4:
        raise ValueError(f"{path}: {len(buf) - HEADER.size - 4 * pos} trailing bytes")
    return m


def log2probs(m, data, dtype=torch.float64, ngram=None):
    """Per-byte log2 p(actual byte) for `data` (bytes) under model m; with ngram (an
    ngram_dist.NgramDist), of the residual product softmax(logits + ln d) that level 3 codes with."""
    L, H = m["L"], m["H"]
    T = lambda x: torch.from_numpy(np.array(x)).to(dtype)  # noqa: E731
    emb = T(m["emb"])
    layers = [(T(p["w_ih"]), T(p["w_hh"]), T(p["bias"])) for p in m["layers"]]
    w_out, b_out = T(m["w_out"]), T(m["b_out"])
    h = [torch.zeros(H, dtype=dtype) for _ in range(L)]
    c = [torch.zeros(H, dtype=dtype) for _ in range(L)]
    inputs = [0] + list(data[:-1])
    out = np.empty(len(data), np.float64)
    logd = None
    if ngram is not None:
        from ngram_dist import BatchContexts
        x = np.array(inputs, np.uint8)[None, :]
        logd = torch.from_numpy(BatchContexts(ngram, 1).log_dist(x, np.array([True]))[0].astype(np.float64)).to(dtype)
    with torch.no_grad():
        for t, (x_byte, target) in enumerate(zip(inputs, data)):
            x = emb[x_byte]
            for l, (w_ih, w_hh, b) in enumerate(layers):
                z = w_ih @ x + w_hh @ h[l] + b
                i = torch.sigmoid(z[0:H])
                f = torch.sigmoid(z[H:2 * H])
                g = torch.tanh(z[2 * H:3 * H])
                o = torch.sigmoid(z[3 * H:4 * H])
                c[l] = f * c[l] + i * g
                h[l] = o * torch.tanh(c[l])
                x = h[l]
            logits = w_out @ x + b_out
            if logd is not None:
                logits = logits + logd[t]
            out[t] = float(torch.log_softmax(logits, 0)[target]) / np.log(2.0)
    return out


def parity_json(model_path, data, dtype="float64", ngram_path=None):
    m = load_klm1(model_path)
    ngram = None
    if ngram_path:
        from ngram_dist import NgramDist
        ngram = NgramDist(ngram_path)
    lp = log2probs(m, data, getattr(torch, dtype), ngram)
    return {
        "model": model_path.split("/")[-1],
        "residual_over": ngram_path.split("/")[-1] if ngram_path else None,
        "dtype": dtype,
        "bytes": len(data),
        "text_base64": base64.b64encode(data).decode("ascii"),
        "log2p": [float(v) for v in lp],
        "bits_total": float(-lp.sum()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("--out")
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    ap.add_argument("--residual-ngram", metavar="KNG1",
                    help="score the residual product softmax(logits + ln d) with this corpus n-gram (level 3)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    data = open(args.input, "rb").read()
    res = parity_json(args.model, data, args.dtype, args.residual_ngram)
    s = json.dumps(res)
    if args.out:
        with open(args.out, "w") as f:
            f.write(s + "\n")
        print(f"{args.out}: {res['bytes']} bytes, {res['bits_total']:.2f} bits, "
              f"{res['bits_total'] / max(res['bytes'], 1):.4f} bpb", file=sys.stderr)
    else:
        print(s)


if __name__ == "__main__":
    main()
