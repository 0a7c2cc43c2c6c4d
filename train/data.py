"""Data loading for the kolmo byte-level LM.

Corpus: the unpacked shards of /work/shared/corpus/train (``unpack.sh DIR``).
Every shard is a run of documents ``<<<doc: NAME>>>\\n TEXT \\n`` (see the corpus
README).  Header lines are stripped; each document becomes a *piece* that the
model sees exactly as the compressor sees a file: a NUL byte from zero state,
then the bytes.

Held-out validation: for every category, the last ``VAL_BYTES`` (200 KB) of the
category's LAST shard (cut at the next line start) is never trained on.

Training batches: B parallel streams, segments of T bytes.  Each stream plays
pieces one after another; every piece starts at a segment boundary (so the
LSTM state can be reset to zero exactly there) and the rest of the segment
after a piece's last byte is padding (masked).  Targets equal to 0 are masked
(the only NULs in a stream are the piece-start inputs and the padding).
"""
import os
import re
import numpy as np

VAL_BYTES = 200_000
# Mixing weights by raw bytes (corpus README): prose 40 %, wiki 11 %, code 25 %
# (split over code categories by raw size), structured 15 % (json/markup/man by
# raw size), log 9 %.
_CODE = {"code-js": 22.1, "code-c": 13.0, "code-py": 9.1, "code-misc": 8.8}
_STRUCT = {"json": 12.1, "markup": 9.1, "man": 9.4}
WEIGHTS = {"prose": 0.40, "wiki": 0.11, "log": 0.09}
for _k, _v in _CODE.items():
    WEIGHTS[_k] = 0.25 * _v / sum(_CODE.values())
for _k, _v in _STRUCT.items():
    WEIGHTS[_k] = 0.15 * _v / sum(_STRUCT.values())
CATEGORIES = ["prose", "wiki", "code-js", "code-c", "code-py", "code-misc",
              "json", "markup", "man", "log"]

HEADER_RE = re.compile(rb"^<<<doc: .*>>>\n", re.M)
MAX_PIECE = 32768          # long documents are cut into windows of this size


def category_of(fname):
    return re.sub(r"-\d+\.txt$", "", fname)


def split_docs(blob):
    """Split shard text into documents (header lines removed)."""
    parts = HEADER_RE.split(blob)
    return [p for p in parts if p]


class Corpus:
    def __init__(self, root, categories=CATEGORIES, verbose=True):
        self.root = root
        self.train = {}   # cat -> list of numpy uint8 documents
        self.val = {}     # cat -> list of numpy uint8 pieces
        self.shards = {}  # cat -> list of shard file names
        files = sorted(f for f in os.listdir(root) if f.endswith(".txt"))
        for cat in categories:
            fs = [f for f in files if category_of(f) == cat]
            assert fs, f"no shard for {cat} in {root}"
            self.shards[cat] = fs
            docs = []
            for i, f in enumerate(fs):
                with open(os.path.join(root, f), "rb") as fh:
                    blob = fh.read()
                if i == len(fs) - 1:
                    cut = blob.index(b"\n", len(blob) - VAL_BYTES) + 1
                    val_blob, blob = blob[cut:], blob[:cut]
                    self.val[cat] = [np.frombuffer(d, np.uint8) for d in split_docs(val_blob)]
                docs += [np.frombuffer(d, np.uint8) for d in split_docs(blob)]
            self.train[cat] = docs
            if verbose:
                print(f"{cat}: {len(docs)} train docs, {sum(len(d) for d in docs)} B; "
                      f"val {sum(len(d) for d in self.val[cat])} B in {len(self.val[cat])} pieces",
                      flush=True)
        self.cats = list(categories)
        w = np.array([WEIGHTS[c] for c in self.cats])
        self.cat_p = w / w.sum()
        # within a category, pick documents proportionally to their size
        self.doc_p = {}
        for c in self.cats:
            sz = np.array([len(d) for d in self.train[c]], dtype=np.float64)
            self.doc_p[c] = sz / sz.sum()


# ---------------------------------------------------------------- augmentation
def to_crlf(b):
    return b.replace(b"\n", b"\r\n")


_LEAD_SP4 = re.compile(rb"^((?:    )+)", re.M)
_LEAD_TAB = re.compile(rb"^(\t+)", re.M)


def spaces_to_tabs(b):
    return _LEAD_SP4.sub(lambda m: b"\t" * (len(m.group(1)) // 4), b)


def tabs_to_spaces(b, n=4):
    return _LEAD_TAB.sub(lambda m: b" " * (n * len(m.group(1))), b)


def upper_some_lines(b, rng, p=0.1):
    lines = b.split(b"\n")
    for i in range(len(lines)):
        if rng.random() < p:
            lines[i] = lines[i].upper()
    return b"\n".join(lines)


def augment(b, rng, p_crlf=0.17, p_tabs=0.04, p_upper=0.02):
    """Everyday variations of a document: CRLF (~17 %), tabs<->spaces (~4 %),
    upper-cased lines (~2 %)."""
    r = rng.random()
    if r < p_tabs:
        b = spaces_to_tabs(b) if b.count(b"\n    ") >= b.count(b"\n\t") else tabs_to_spaces(b, int(rng.choice([2, 4, 8])))
    elif r < p_tabs + p_upper:
        b = upper_some_lines(b, rng)
    if rng.random() < p_crlf:
        b = to_crlf(b)
    return b


# ---------------------------------------------------------------- streams
class StreamBatcher:
    """B streams of pieces; yields (x, y, reset) as numpy arrays.

    x: uint8 [B, T] inputs, y: int64 [B, T] targets (-1 = masked),
    reset: bool [B] -> the stream's state must be zeroed before this segment.
    """

    def __init__(self, corpus, B, T, seed=0, aug=True):
        self.c, self.B, self.T, self.aug = corpus, B, T, aug
        self.rng = np.random.default_rng(seed)
        self.buf = [None] * B  # current piece incl. leading NUL, as np.uint8
        self.pos = [0] * B

    def _new_piece(self):
        rng, c = self.rng, self.c
        cat = c.cats[rng.choice(len(c.cats), p=c.cat_p)]
        docs = c.train[cat]
        d = docs[rng.choice(len(docs), p=c.doc_p[cat])]
        if len(d) > MAX_PIECE:
            # 25 %: the start of the document; else a window at a random line start
            if rng.random() < 0.25:
                start = 0
            else:
                start = int(rng.integers(0, len(d) - MAX_PIECE // 2))
                nl = np.flatnonzero(d[start:start + 4096] == 10)
                start = start + int(nl[0]) + 1 if len(nl) else start
            d = d[start:start + MAX_PIECE]
        b = d.tobytes()
        if self.aug:
            b = augment(b, rng)
        arr = np.empty(len(b) + 1, np.uint8)
        arr[0] = 0
        arr[1:] = np.frombuffer(b, np.uint8)
        return arr

    def next(self):
        B, T = self.B, self.T
        x = np.zeros((B, T), np.uint8)
        y = np.full((B, T), -1, np.int64)
        reset = np.zeros(B, bool)
        for i in range(B):
            if self.buf[i] is None or self.pos[i] >= len(self.buf[i]) - 1:
                self.buf[i] = self._new_piece()
                self.pos[i] = 0
                reset[i] = True
            a, p = self.buf[i], self.pos[i]
            seg = a[p:p + T + 1]
            n = len(seg) - 1
            x[i, :n] = seg[:n]
            y[i, :n] = seg[1:]
            self.pos[i] = p + n
        return x, y, reset


def val_segments(sets, B, T, max_bytes=None, window=MAX_PIECE):
    """Deterministic segments over validation pieces (no augmentation).

    sets: {category: [pieces]}.  Each category is cut to its first max_bytes,
    pieces are split into windows of `window` bytes (each window starts from
    a NUL byte and zero state, like a file), and the windows of all categories
    are dealt to B streams (shortest stream first).  Yields (x, y, reset, cat)
    where cat[b] is the index into list(sets) of the window stream b is in
    (-1 when the stream is idle).
    """
    wins = []
    for ci, (cat, pieces) in enumerate(sets.items()):
        tot = 0
        for p in pieces:
            if max_bytes is not None:
                if tot >= max_bytes:
                    break
                p = p[: max_bytes - tot]
            tot += len(p)
            for s in range(0, len(p), window):
                wins.append((ci, p[s:s + window]))
    wins.sort(key=lambda w: -len(w[1]))
    streams = [[] for _ in range(B)]
    lens = [0] * B
    for ci, w in wins:
        i = int(np.argmin(lens))
        streams[i].append((ci, w))
        lens[i] += (len(w) + T - 1) // T
    segs = []
    for s in streams:
        out = []
        for ci, w in s:
            a = np.concatenate([np.zeros(1, np.uint8), w])
            for p in range(0, len(a) - 1, T):
                out.append((a[p:p + T + 1], p == 0, ci))
        segs.append(out)
    nseg = max(len(s) for s in segs) if segs else 0
    for k in range(nseg):
        x = np.zeros((B, T), np.uint8)
        y = np.full((B, T), -1, np.int64)
        reset = np.ones(B, bool)
        cat = np.full(B, -1, np.int64)
        for i in range(B):
            if k < len(segs[i]):
                seg, r, ci = segs[i][k]
                n = len(seg) - 1
                x[i, :n] = seg[:n]
                y[i, :n] = seg[1:]
                reset[i] = r
                cat[i] = ci
        yield x, y, reset, cat
