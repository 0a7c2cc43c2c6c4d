"""The corpus n-gram's next-byte distribution for training batches: what the codec's n-gram
(assembly/ngram/ngram.ts) predicts at every position of a batch, so that a residual LM can be
trained on top of it (train.py --residual-ngram).

A residual LM's output is not a distribution of its own: the codec (level 3) predicts
    p(b) proportional to exp(z_LM(b)) * d(b)
where d is the n-gram's distribution at the same position. Training minimises the cross
entropy of that product, so the LSTM learns what the n-gram does not know.

d is computed as the reader does (train/ngram.py reference_log2p, in float32 here):
    d = p0; for o = 1..orders: if the last o non-CR bytes are a kept context,
    d = lambda * d + q (its listed bytes), else stop.
For speed the file's contexts are expanded once into dense rows (lambda, q[256]): about
1 KB per kept context (290 MB for kolmo-ngram-v2).
"""
import numpy as np

from ngram import ctx_hash, dequant, SLOT_BYTES

MAGIC = 0x31474E4B
VERSION = 2


class NgramDist:
    def __init__(self, path):
        model = open(path, "rb").read()
        magic, version, orders, slots, blob_bytes = [int(v) for v in np.frombuffer(model[:20], np.uint32)]
        if magic != MAGIC or version != VERSION:
            raise ValueError(f"{path}: not a KNG1 v{VERSION} file")
        self.orders, self.slots = orders, slots
        self.p0 = dequant(np.frombuffer(model[20:276], np.uint8)).astype(np.float32)
        table = np.frombuffer(model[276:276 + SLOT_BYTES * slots], dtype=[("check", "<u2"), ("info", "<u4")])
        blob = np.frombuffer(model[276 + SLOT_BYTES * slots:], np.uint8)
        self.check = table["check"].astype(np.int64)
        info = table["info"].astype(np.int64)
        used = np.flatnonzero(self.check != 0)
        self.row = -np.ones(slots, np.int64)
        self.row[used] = np.arange(len(used))
        off, cnt = info[used] & 0xFFFFFF, info[used] >> 24
        self.lam = dequant(blob[off]).astype(np.float32)
        q = np.zeros((len(used), 256), np.float32)
        r = np.repeat(np.arange(len(used)), cnt)
        first = np.repeat(off + 1 - 2 * np.r_[0, np.cumsum(cnt)[:-1]], cnt)  # pair k of row r at first + 2k
        k = np.arange(len(r))
        q[r, blob[first + 2 * k]] = dequant(blob[first + 2 * k + 1]).astype(np.float32)
        self.q = q

    def find_rows(self, keys):
        """Row of each context key (uint64 array), -1 where the context is not kept."""
        h = ctx_hash(keys)
        s = (((h >> np.uint64(32)) * np.uint64(self.slots)) >> np.uint64(32)).astype(np.int64)
        chk = ((h & np.uint64(0xFFFF)) | np.uint64(1)).astype(np.int64)
        out = -np.ones(len(keys), np.int64)
        todo = np.arange(len(keys))
        while len(todo):
            c = self.check[s[todo]]
            hit = c == chk[todo]
            out[todo[hit]] = self.row[s[todo[hit]]]
            todo = todo[(c != 0) & ~hit]
            s[todo] = np.where(s[todo] + 1 < self.slots, s[todo] + 1, 0)
        return out

    def dist(self, ctx, count):
        """d for N positions: ctx uint8 [N, 7] = the last 7 non-CR bytes (newest first), count [N]
        = how many of them are real. Returns float32 [N, 256], not normalised."""
        n = len(count)
        d = np.broadcast_to(self.p0, (n, 256)).copy()
        alive = np.arange(n)
        key = np.zeros(n, np.uint64)
        for o in range(1, self.orders + 1):
            key |= ctx[:, o - 1].astype(np.uint64) << np.uint64(8 * (o - 1))
            alive = alive[count[alive] >= o]
            if not len(alive):
                break
            rows = self.find_rows(key[alive] | np.uint64(o << 56))
            alive = alive[rows >= 0]
            rows = rows[rows >= 0]
            d[alive] = d[alive] * self.lam[rows, None] + self.q[rows]
        return d


class BatchContexts:
    """Per-stream n-gram history across segments, as the codec keeps it within a frame.

    log_dist(x, reset) -> float32 [B, T, 256]: ln of the normalised n-gram distribution of the
    byte that follows x[b, t] (the target y[b, t]). A stream with reset starts a piece: x[b, 0]
    is its NUL, which is not a data byte, and the history is empty."""

    def __init__(self, ngram, B):
        self.ng, self.B = ngram, B
        self.hist = [np.zeros(0, np.uint8) for _ in range(B)]  # last <= 7 non-CR bytes, oldest first

    def log_dist(self, x, reset):
        B, T = x.shape
        K = self.ng.orders
        ctx = np.zeros((B, T, K), np.uint8)
        count = np.zeros((B, T), np.int64)
        for b in range(B):
            if reset[b]:
                self.hist[b] = np.zeros(0, np.uint8)
            start = 1 if reset[b] else 0
            prev = self.hist[b]
            seq = np.concatenate([prev, x[b, start:]])
            noncr = seq != 13
            nc = seq[noncr]
            cnt = np.cumsum(noncr)  # non-CR bytes in seq[:i + 1]
            idx = np.arange(T) + len(prev) - start
            c = np.where(idx >= 0, cnt[np.maximum(idx, 0)], 0)
            count[b] = np.minimum(c, K)
            for j in range(1, K + 1):
                ok = c >= j
                ctx[b, ok, j - 1] = nc[c[ok] - j]
            self.hist[b] = nc[-K:]
        d = self.ng.dist(ctx.reshape(B * T, K), count.reshape(-1))
        logd = np.log(d) - np.log(d.sum(1, keepdims=True))
        return logd.reshape(B, T, 256)
