"""Train a kolmo byte-level LM under a wall-clock budget.

    /usr/bin/python3 train/train.py --name main --arch lstm --layers 2 --embed 64 \
        --hidden 128 --minutes 85 [--resume]

Stateful truncated BPTT over B parallel streams of documents (see data.py); the
LSTM state is carried (detached) between segments and zeroed where a stream
starts a new document (whose first input is a NUL byte).  Adam, linear warmup,
cosine decay of the LR to --lr-min-frac * lr at the end of the wall-clock budget,
gradient clipping.  Logs to /tmp/kolmo-train/<name>/log.txt, checkpoints to
/tmp/kolmo-train/<name>/ckpt.pt; final results in result.json.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import Corpus, StreamBatcher, val_segments, to_crlf  # noqa: E402
from model import ByteRNN  # noqa: E402
from ngram_dist import NgramDist, BatchContexts  # noqa: E402

LN2 = math.log(2.0)


def evaluate(model, corpus, B, T, max_bytes=None, window=32768, ngram=None, lm=True):
    """Validation bits per byte per category (plus prose-crlf: the prose
    validation text with CRLF line ends) and 'all' (total bits / total bytes
    over the categories, CRLF variant excluded).  Every window of `window`
    bytes is coded like a file: NUL input from zero state first.
    ngram (NgramDist): a residual model, scored as softmax(logits + ln d_ngram);
    lm=False scores the n-gram alone."""
    model.eval()
    sets = dict(corpus.val)
    sets["prose-crlf"] = [np.frombuffer(to_crlf(p.tobytes()), np.uint8) for p in corpus.val["prose"]]
    names = list(sets)
    bits = np.zeros(len(names))
    nbytes = np.zeros(len(names))
    ctx = BatchContexts(ngram, B) if ngram else None
    with torch.no_grad():
        state = model.zero_state(B)
        for x, y, reset, cat in val_segments(sets, B, T, max_bytes, window):
            if lm:
                state = model.reset_state(state, torch.from_numpy(reset))
                logits, state = model(torch.from_numpy(x).long(), state)
            else:  # the n-gram alone: no LSTM step
                logits = torch.zeros(x.shape + (256,))
            if ctx:
                logits = logits + torch.from_numpy(ctx.log_dist(x, reset))
            yt = torch.from_numpy(y)
            loss = F.cross_entropy(logits.reshape(-1, 256), yt.reshape(-1).clamp(min=0),
                                   reduction="none").view(y.shape)
            loss = (loss * (yt >= 0)).sum(1).numpy() / LN2
            cnt = (y >= 0).sum(1)
            for b in range(B):
                if cat[b] >= 0:
                    bits[cat[b]] += loss[b]
                    nbytes[cat[b]] += cnt[b]
    res = {k: float(bits[i] / max(nbytes[i], 1)) for i, k in enumerate(names)}
    m = np.array([k != "prose-crlf" for k in names])
    res["all"] = float(bits[m].sum() / nbytes[m].sum())
    model.train()
    return res


def load_klm1_into(model, path):
    """Copies an exported KLM1 model's weights into a ByteRNN of the same shape (the file holds
    b_ih + b_hh summed: they go to b_ih, b_hh = 0)."""
    from reference import load_klm1
    m = load_klm1(path)
    assert (m["L"], m["E"], m["H"]) == (model.layers, model.embed, model.hidden) and model.arch == "lstm"
    with torch.no_grad():
        model.emb.weight.copy_(torch.from_numpy(m["emb"].copy()))
        for l, layer in enumerate(m["layers"]):
            getattr(model.rnn, f"weight_ih_l{l}").copy_(torch.from_numpy(layer["w_ih"].copy()))
            getattr(model.rnn, f"weight_hh_l{l}").copy_(torch.from_numpy(layer["w_hh"].copy()))
            getattr(model.rnn, f"bias_ih_l{l}").copy_(torch.from_numpy(layer["bias"].copy()))
            getattr(model.rnn, f"bias_hh_l{l}").zero_()
        model.out.weight.copy_(torch.from_numpy(m["w_out"].copy()))
        model.out.bias.copy_(torch.from_numpy(m["b_out"].copy()))


def fmt_val(v):
    return " ".join(f"{k}={v[k]:.4f}" for k in v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--arch", default="lstm", choices=["lstm", "gru"])
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--embed", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--B", type=int, default=64, help="parallel streams")
    ap.add_argument("--T", type=int, default=192, help="BPTT segment length")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--lr-min-frac", type=float, default=0.05)
    ap.add_argument("--warmup-steps", type=int, default=150)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--minutes", type=float, required=True, help="training wall-clock budget")
    ap.add_argument("--corpus", default="/tmp/corpus-raw")
    ap.add_argument("--outdir", default="/tmp/kolmo-train")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log-every", type=float, default=30.0, help="seconds")
    ap.add_argument("--val-every", type=float, default=600.0, help="seconds")
    ap.add_argument("--val-bytes", type=int, default=65536, help="per category, periodic val")
    ap.add_argument("--val-window", type=int, default=8192, help="periodic val: bytes per cold-start window")
    ap.add_argument("--final-val-bytes", type=int, default=0, help="0 = the whole held-out slice")
    ap.add_argument("--ckpt-every", type=float, default=240.0, help="seconds")
    ap.add_argument("--forget-bias", type=float, default=0.0,
                    help="LSTM: initialise the forget-gate bias (b_ih + b_hh) to this value (0 = PyTorch default)")
    ap.add_argument("--residual-ngram", default=None, metavar="KNG1",
                    help="train a residual LM: the loss is that of softmax(logits + ln d), d the distribution "
                         "of this corpus n-gram file at the same position (what level 3 codes with)")
    ap.add_argument("--init-klm", default=None, metavar="KLM1",
                    help="start from the weights of an exported model file (fresh Adam state, fresh schedule)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init", default=None,
                    help="start from another run's checkpoint (weights and Adam state), with a fresh "
                         "LR schedule; its steps and bytes are kept as 'init_steps' / 'init_bytes'")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    run_dir = os.path.join(args.outdir, args.name)
    os.makedirs(run_dir, exist_ok=True)
    logf = open(os.path.join(run_dir, "log.txt"), "a")

    def log(msg):
        line = time.strftime("%H:%M:%S ", time.gmtime()) + msg
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    log("cmd: " + " ".join([sys.executable] + sys.argv))
    torch.manual_seed(args.seed)
    corpus = Corpus(args.corpus, verbose=False)
    model = ByteRNN(args.arch, args.layers, args.embed, args.hidden)
    if args.arch == "lstm" and args.forget_bias:
        H = args.hidden
        with torch.no_grad():
            for l in range(args.layers):
                getattr(model.rnn, f"bias_ih_l{l}")[H:2 * H] = args.forget_bias
                getattr(model.rnn, f"bias_hh_l{l}")[H:2 * H] = 0.0
    if args.init_klm:
        load_klm1_into(model, args.init_klm)
        log(f"initialised from the weights of {args.init_klm}")
    ngram = NgramDist(args.residual_ngram) if args.residual_ngram else None
    if ngram:
        log(f"residual over {args.residual_ngram}: {len(ngram.lam)} contexts")
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, seen, elapsed = 0, 0, 0.0
    init_steps = init_bytes = 0
    if args.init:
        ck = torch.load(args.init)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        init_steps = ck.get("init_steps", 0) + ck["step"]
        init_bytes = ck.get("init_bytes", 0) + ck["bytes"]
        log(f"initialised from {args.init}: {init_steps} steps, {init_bytes} bytes trained before")
    ckpt_path = os.path.join(run_dir, "ckpt.pt")
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, seen, elapsed = ck["step"], ck["bytes"], ck["elapsed"]
        init_steps, init_bytes = ck.get("init_steps", 0), ck.get("init_bytes", 0)
        log(f"resumed from {ckpt_path}: step {step}, bytes {seen}, elapsed {elapsed:.0f}s")
    log(f"model {model.config()} params {model.n_params()} macs/byte {model.macs_per_byte()}")
    budget = args.minutes * 60.0
    batcher = StreamBatcher(corpus, args.B, args.T, seed=args.seed * 1000 + step)
    contexts = BatchContexts(ngram, args.B) if ngram else None
    state = model.zero_state(args.B)

    def save(extra=None):
        ck = dict(model=model.state_dict(), opt=opt.state_dict(), step=step, bytes=seen,
                  elapsed=elapsed, init_steps=init_steps, init_bytes=init_bytes,
                  config=model.config(), args=vars(args),
                  cmd=" ".join([sys.executable] + sys.argv))
        if extra:
            ck.update(extra)
        torch.save(ck, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    t_last = time.time()
    last_log = last_val = last_ck = elapsed
    acc_bits = acc_n = 0.0
    while elapsed < budget:
        frac = elapsed / budget
        if step < args.warmup_steps:
            lr = args.lr * (step + 1) / args.warmup_steps
        else:
            lr = args.lr * (args.lr_min_frac + (1 - args.lr_min_frac) * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y, reset = batcher.next()
        state = model.reset_state(model.detach_state(state), torch.from_numpy(reset))
        logits, state = model(torch.from_numpy(x).long(), state)
        if contexts:
            logits = logits + torch.from_numpy(contexts.log_dist(x, reset))
        yt = torch.from_numpy(y)
        loss = F.cross_entropy(logits.reshape(-1, 256), yt.reshape(-1), ignore_index=-1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        n = int((y >= 0).sum())
        step += 1
        seen += n
        acc_bits += loss.item() / LN2 * n
        acc_n += n
        now = time.time()
        elapsed += now - t_last
        t_last = now
        if elapsed - last_log >= args.log_every:
            log(f"step {step} bytes {seen} elapsed {elapsed:.0f}s lr {lr:.2e} train_bpb {acc_bits / acc_n:.4f} "
                f"kB/s {acc_n / (elapsed - last_log) / 1000:.1f}")
            acc_bits = acc_n = 0.0
            last_log = elapsed
        if elapsed - last_val >= args.val_every:
            v = evaluate(model, corpus, args.B, args.T, args.val_bytes, args.val_window, ngram)
            log(f"val@{step} (first {args.val_bytes} B/cat) " + fmt_val(v))
            t_last = time.time()  # validation time does not count as training time
            last_val = elapsed
        if elapsed - last_ck >= args.ckpt_every:
            save()
            last_ck = elapsed
            t_last = time.time()
    save()
    log(f"training done: step {step} bytes {seen} elapsed {elapsed:.0f}s")
    v = evaluate(model, corpus, args.B, args.T, args.final_val_bytes or None, ngram=ngram)
    log("final val (full held-out slices) " + fmt_val(v))
    res = dict(name=args.name, config=model.config(), params=model.n_params(),
               macs_per_byte=model.macs_per_byte(), steps=step, bytes_seen=seen,
               train_seconds=elapsed, init_steps=init_steps, init_bytes=init_bytes, val_bpb=v, cmd=" ".join([sys.executable] + sys.argv),
               args=vars(args))
    save(dict(val_bpb=v))
    with open(os.path.join(run_dir, "result.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
