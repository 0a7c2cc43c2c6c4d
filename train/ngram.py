"""Builds the corpus n-gram model (models/kolmo-ngram-<name>.bin): byte statistics of the
training corpus for contexts of 1..7 bytes, which level 2 mixes beside the LM and the
context models (assembly/ngram/). It is what a 200 MB corpus knows that a 280K-parameter
LM cannot hold: which bytes follow a frequent context ("the" + " ", "ing" + " ", "func" +
"t"), available from the first byte of a frame, when the adaptive models know nothing.

The model (Witten-Bell interpolation, one order at a time, from order 0 up):
    d_0(b) = p0(b)
    d_o(b) = lambda(ctx) * d_{o-1}(b) + q(ctx, b)          when the order-o context is kept
with q(ctx, b) = n(ctx, b) / (N + U) and lambda = 1 - sum of the kept q (N = bytes seen after
ctx, U = distinct bytes seen after it): the bytes a context does not list (pruned, or never
seen) get its escape mass spread as the order below predicts them. The codec turns d into
bit probabilities by ratios, so d needs no normalising.

Contexts skip CR bytes (13): text with CRLF line ends predicts like the corpus's LF text
(the corpus has CR only where its augmentation put them: none in the shards).

Pruning (the file must stay small), --gain G > 0 (the shipped model): an order-o context
seen >= MIN_COUNT[o] times whose order-(o-1) suffix is kept stays when the bits it saves over
the corpus, against the suffix's prediction, are >= G per byte of file it costs
(build_by_gain). --gain 0: every context seen >= MIN_COUNT[o] times (build). Either way a
context lists at most TOP bytes, each seen >= MIN_PAIR times.

File format (little-endian), "KNG1":
    0   magic "KNG1"      4   u32 version (2)    8  u32 max order   12 u32 slots S
    16  u32 blob bytes    20  u8 p0[256] (log-quantised, below)
    276 table: S slots of 6 bytes: u16 check (0 = empty), u32 info = blob offset (24
        bits) | (byte count << 24)   (version 1 had 8-byte slots with a u32 check)
    ... blob: per context: u8 lambda, then count pairs (u8 byte, u8 q)
Quantisation of a probability x in (0, 1]: v = round(-16 log2 x), 0..255; x = 2^(-v/16).
Context key: the last o non-CR bytes, newest in the low byte, | o << 56; hash h below (mirrors
assembly/ngram/ngram.ts). Linear probing from slot ((h >> 32) * S) >> 32, the slot after S - 1
being 0; check = low 16 bits of h | 1. The table is 80 % full at most.

    /usr/bin/python3 train/ngram.py --corpus /tmp/corpus-raw --out models/kolmo-ngram-v2.bin \
        --orders 7 --min-count 1,2,8,8,8,8,8 --top 32 --min-pair 2 --gain 5
"""
import argparse, glob, json, os, time, hashlib
import numpy as np

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
VERSION = 2
SLOT_BYTES = 6  # u16 check, u32 info
LOAD = 0.8  # the table's fill at most
C1 = np.uint64(0x9E3779B97F4A7C15)
C2 = np.uint64(0xD6E8FEB86659FD93)


def ctx_hash(key):
    """64-bit mix of the context key (uint64 array; wrapping arithmetic)."""
    with np.errstate(over='ignore'):
        h = key * C1
        h ^= h >> np.uint64(32)
        h = h * C2
        h ^= h >> np.uint64(29)
    return h


def quant(x):
    """Probability -> u8 code (2^(-v/16))."""
    v = np.rint(-16.0 * np.log2(np.maximum(x, 1e-300)))
    return np.clip(v, 0, 255).astype(np.uint8)


def dequant(v):
    return np.exp2(-v.astype(np.float64) / 16.0)


def context_keys(arr, o):
    """(context bytes, next byte) for every position with o bytes before it (arr has no CR)."""
    key = np.zeros(len(arr) - o, dtype=np.uint64)
    for j in range(1, o + 1):  # byte j back goes to bits 8(j-1)
        key |= arr[o - j:len(arr) - j].astype(np.uint64) << np.uint64(8 * (j - 1))
    return key, arr[o:]


def order0(data):
    """The order-0 distribution (add-1/2), which every context's estimate starts from."""
    cnt0 = np.bincount(data, minlength=256).astype(np.float64)
    return (cnt0 + 0.5) / (cnt0.sum() + 128.0)


def order_pairs(data, o):
    """Every distinct (order-o context, next byte) pair, sorted, with its count: u, c; per pair
    its context's index gid; per context its first pair (starts), bytes seen N and distinct
    next bytes U."""
    ctx, nxt = context_keys(data, o)
    pair = (ctx << np.uint64(8)) | nxt.astype(np.uint64)  # o <= 7: fits in 64 bits
    del ctx, nxt
    u, c = np.unique(pair, return_counts=True)
    del pair
    cx = u >> np.uint64(8)
    starts = np.flatnonzero(np.r_[True, cx[1:] != cx[:-1]])
    sizes = np.diff(np.r_[starts, len(cx)])
    N = np.add.reduceat(c, starts).astype(np.float64)
    U = sizes.astype(np.float64)
    gid = np.repeat(np.arange(len(starts)), sizes)
    return u, c, gid, starts, N, U


def listed_pairs(c, gid, starts, eligible, top, min_pair):
    """The pairs a context would list: its TOP most frequent next bytes seen >= MIN_PAIR times,
    for the eligible contexts."""
    order = np.lexsort((-c, gid))  # by context, then count descending
    rank = np.empty(len(c), dtype=np.int64)
    rank[order] = np.arange(len(c)) - starts[gid[order]]
    return eligible[gid] & (rank < top) & (c >= min_pair)


def quantised(q, keep, gid, n_ctx):
    """u8 codes of the listed q (0 elsewhere), their values, and each context's lambda code."""
    qc = np.where(keep, quant(q), 0).astype(np.uint8)
    qk = np.where(keep, dequant(qc), 0.0)
    lam = 1.0 - np.bincount(gid, weights=qk, minlength=n_ctx)
    return qc, qk, quant(np.maximum(lam, 2.0 ** -16))


def kept_order(o, u, gid, starts, keep_ctx, listed, qc, lamc):
    """What pack writes for order o: the kept contexts and the pairs they list."""
    kept_ctx = np.flatnonzero(keep_ctx)
    kp = listed & keep_ctx[gid]
    return dict(order=o, key=(u[starts] >> np.uint64(8))[kept_ctx] | np.uint64(o << 56),
                lam=lamc[kept_ctx], gid=gid[kp], byte=(u[kp] & np.uint64(255)).astype(np.uint8),
                q=qc[kp], kept_ctx=kept_ctx, n_ctx=len(starts))


def build(data, orders, min_count, top, min_pair, log, discount=0.0):
    """The count rule: every context seen >= min_count[o] times is kept."""
    p0 = order0(data)
    contexts = []
    for o in range(1, orders + 1):
        t = time.time()
        u, c, gid, starts, N, U = order_pairs(data, o)
        keep_ctx = N >= min_count[o]
        listed = listed_pairs(c, gid, starts, keep_ctx, top, min_pair)
        # Witten-Bell (discount 0): q = n / (N + U); else absolute discounting: q = (n - D) / N
        q = c / (N + U)[gid] if discount == 0 else np.maximum(c - discount, 0) / N[gid]
        qc, _, lamc = quantised(q, listed, gid, len(starts))
        contexts.append(kept_order(o, u, gid, starts, keep_ctx, listed, qc, lamc))
        log(f'order {o}: {len(starts)} contexts, kept {int(keep_ctx.sum())} with {int(listed.sum())} bytes ({time.time() - t:.0f} s)')
    return p0, contexts


def build_by_gain(data, orders, min_count, top, min_pair, tau, log):
    """Like build, but a context (seen >= min_count[o] times, its parent kept) is kept when the
    bits it saves over the corpus, against its parent's prediction as the reader computes it
    (before the reader's normalising by the sum, which stays near 1), are at least tau per
    byte of file it costs (its table slot at 80 % load, its lambda and its
    pairs): relative-entropy pruning. It keeps contexts whose next byte differs from what the
    shorter context already says, instead of every frequent one."""
    p0 = order0(data)
    p0q = dequant(quant(p0))  # what the reader starts from
    contexts = []
    prev_u = prev_p = prev_ok = None
    for o in range(1, orders + 1):
        t = time.time()
        u, c, gid, starts, N, U = order_pairs(data, o)
        if o == 1:
            p_parent = p0q[(u & np.uint64(255)).astype(np.int64)]
            ok_parent = np.ones(len(starts), dtype=bool)
        else:
            # the pair (context without its oldest byte, next byte) at order o - 1
            mask = np.uint64((1 << (8 * (o - 1))) - 1)
            parent = (((u >> np.uint64(8)) & mask) << np.uint64(8)) | (u & np.uint64(255))
            idx = np.searchsorted(prev_u, parent)
            # every pair's parent pair occurred (at the same position, one byte shorter)
            assert (idx < len(prev_u)).all() and (prev_u[idx] == parent).all()
            del parent
            p_parent = prev_p[idx]
            ok_parent = prev_ok[idx[starts]]
            del idx
        cand = (N >= min_count[o]) & ok_parent
        listed = listed_pairs(c, gid, starts, cand, top, min_pair)
        qc, qk, lamc = quantised(c / (N + U)[gid], listed, gid, len(starts))
        p = dequant(lamc)[gid] * p_parent + qk
        gain = np.bincount(gid, weights=c * np.log2(p / p_parent), minlength=len(starts))
        cost = SLOT_BYTES / LOAD + 1 + 2 * np.bincount(gid, weights=listed, minlength=len(starts))
        keep_ctx = cand & (gain >= tau * cost)
        contexts.append(kept_order(o, u, gid, starts, keep_ctx, listed, qc, lamc))
        log(f'order {o}: {len(starts)} contexts, {int(cand.sum())} candidates, kept {int(keep_ctx.sum())} with '
            f'{len(contexts[-1]["byte"])} bytes, {gain[keep_ctx].sum() / 8e6:.2f} MB saved on the corpus ({time.time() - t:.0f} s)')
        prev_u, prev_p, prev_ok = u, p, keep_ctx[gid]
        del c, gid, listed, qc, qk, p_parent
    return p0, contexts


def pack(p0, contexts, orders):
    n_ctx = sum(len(c['kept_ctx']) for c in contexts)
    slots = max(1024, int(np.ceil(n_ctx / LOAD)) + 1)
    check = np.zeros(slots, dtype=np.uint16)
    info = np.zeros(slots, dtype=np.uint32)
    blob = bytearray()
    for c in contexts:
        # pairs grouped per kept context
        remap = -np.ones(c['n_ctx'], dtype=np.int64)
        remap[c['kept_ctx']] = np.arange(len(c['kept_ctx']))
        g = remap[c['gid']]
        counts = np.bincount(g, minlength=len(c['kept_ctx']))
        firsts = np.r_[0, np.cumsum(counts)[:-1]]
        h = ctx_hash(c['key'])
        home = (((h >> np.uint64(32)) * np.uint64(slots)) >> np.uint64(32)).astype(np.int64)
        chk = (h & np.uint64(0xFFFF)).astype(np.uint16) | np.uint16(1)
        pb, pq = c['byte'], c['q']
        for i in range(len(c['kept_ctx'])):
            s = home[i]
            while check[s] != 0:
                s = s + 1 if s + 1 < slots else 0
            off = len(blob)
            if off >= 1 << 24:
                raise SystemExit('blob over 16 MB: prune more')
            k = int(counts[i])
            blob.append(int(c['lam'][i]))
            a = firsts[i]
            for j in range(a, a + k):
                blob.append(int(pb[j])); blob.append(int(pq[j]))
            check[s] = chk[i]
            info[s] = off | (k << 24)
    head = np.array([0x31474E4B, VERSION, orders, slots, len(blob)], dtype=np.uint32).tobytes()
    table = np.zeros(slots, dtype=[('check', '<u2'), ('info', '<u4')])  # packed: 6 bytes a slot
    table['check'], table['info'] = check, info
    return head + quant(p0).tobytes() + table.tobytes() + bytes(blob), slots


def reference_log2p(model, text):
    """log2 p(byte) for each byte of text under a KNG1 file, in float64: the parity reference
    for the codec's f32 kernel (test/ngram.test.ts)."""
    magic, version, orders, slots, blob_bytes = [int(x) for x in np.frombuffer(model[:20], dtype=np.uint32)]
    assert magic == 0x31474E4B and version == VERSION
    p0 = dequant(np.frombuffer(model[20:276], dtype=np.uint8))
    table = np.frombuffer(model[276:276 + SLOT_BYTES * slots], dtype=[('check', '<u2'), ('info', '<u4')])
    blob = np.frombuffer(model[276 + SLOT_BYTES * slots:], dtype=np.uint8)

    def find(key):
        h = int(ctx_hash(np.array([key], dtype=np.uint64))[0])
        s, check = ((h >> 32) * slots) >> 32, (h & 0xFFFF) | 1
        for _ in range(slots):
            if table['check'][s] == check:
                return int(table['info'][s])
            if table['check'][s] == 0:
                return None
            s = s + 1 if s + 1 < slots else 0
        return None

    history, out = [], []
    for c in text:
        d = p0.copy()
        for o in range(1, min(orders, len(history)) + 1):
            key = sum(history[-j] << (8 * (j - 1)) for j in range(1, o + 1)) | (o << 56)
            info = find(key)
            if info is None:
                break
            off, k = info & 0xFFFFFF, info >> 24
            d *= dequant(blob[off:off + 1])[0]
            pairs = blob[off + 1:off + 1 + 2 * k]
            d[pairs[0::2]] += dequant(pairs[1::2])
        out.append(float(np.log2(d[c] / d.sum())))
        if c != 13:
            history.append(c)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', default='/tmp/corpus-raw')
    ap.add_argument('--out', help='the model file to write')
    ap.add_argument('--parity', nargs=3, metavar=('MODEL', 'TEXT', 'JSON'),
                    help='instead of building: write the float64 log2 p of each byte of TEXT under MODEL (test fixture)')
    ap.add_argument('--orders', type=int, default=6)
    ap.add_argument('--min-count', default='1,1,64,128,256,512', help='per order 1..orders')
    ap.add_argument('--top', type=int, default=24)
    ap.add_argument('--min-pair', type=int, default=2)
    ap.add_argument('--discount', type=float, default=0.0, help='0: Witten-Bell; D > 0: absolute discounting by D')
    ap.add_argument('--gain', type=float, default=0.0,
                    help='> 0: keep a context (seen >= its min count) when it saves at least this many bits on the corpus per byte of file (build_by_gain)')
    args = ap.parse_args()
    if args.parity:
        model, text = open(args.parity[0], 'rb').read(), open(args.parity[1], 'rb').read()
        log2p = reference_log2p(model, text)
        json.dump(dict(model=os.path.basename(args.parity[0]), bytes=len(text), text_base64=__import__('base64').b64encode(text).decode(),
                       log2p=log2p, bits_total=-sum(log2p)), open(args.parity[2], 'w'))
        print(f'{args.parity[2]}: {len(text)} bytes, {-sum(log2p):.3f} bits')
        return
    if not args.out:
        ap.error('--out is required')
    mc_list = [int(x) for x in args.min_count.split(',')]
    # what the reader (assembly/ngram/ngram.ts) assumes
    if not 1 <= args.orders <= 7:
        ap.error('--orders must be 1..7 (context keys hold 7 bytes)')
    if not 0 <= args.top <= 255:
        ap.error('--top must be <= 255 (the pair count is 8 bits)')
    if len(mc_list) != args.orders or any(b < a for a, b in zip(mc_list, mc_list[1:])):
        ap.error('--min-count needs one count per order, never decreasing (the reader stops at the first missing order)')
    t0 = time.time()
    log = lambda s: print(f'{time.time() - t0:7.1f}s {s}', flush=True)
    files = sorted(glob.glob(os.path.join(args.corpus, '*.txt')))
    data = np.concatenate([np.fromfile(f, dtype=np.uint8) for f in files])
    data = data[data != 13]
    log(f'{len(files)} shards, {len(data)} bytes without CR')
    mc = [0] + mc_list  # indexed by order
    if args.gain < 0:
        ap.error('--gain must be >= 0 (0: the count rule)')
    if args.gain > 0:
        if args.discount:
            ap.error('--gain builds Witten-Bell estimates only')
        p0, contexts = build_by_gain(data, args.orders, mc, args.top, args.min_pair, args.gain, log)
    else:
        p0, contexts = build(data, args.orders, mc, args.top, args.min_pair, log, args.discount)
    blob, slots = pack(p0, contexts, args.orders)
    tmp = args.out + '.tmp'
    open(tmp, 'wb').write(blob)
    os.replace(tmp, args.out)
    card = dict(name=os.path.basename(args.out)[:-4], file=os.path.basename(args.out), file_bytes=len(blob),
                sha256=hashlib.sha256(blob).hexdigest(), format=f'KNG1 v{VERSION} (see train/ngram.py)',
                orders=args.orders, min_count=mc[1:], top=args.top, min_pair=args.min_pair, table_slots=slots,
                contexts=[dict(order=c['order'], seen=c['n_ctx'], kept=len(c['kept_ctx']), bytes=len(c['byte'])) for c in contexts],
                corpus=files and [os.path.basename(f) for f in files],
                command='/usr/bin/python3 train/ngram.py ' + ' '.join(f'--{k.replace("_", "-")} {v}' for k, v in vars(args).items() if k != 'parity'))
    json.dump(card, open(args.out[:-4] + '.json', 'w'), indent=1)
    log(f'wrote {args.out}: {len(blob)} bytes, {slots} slots')


if __name__ == '__main__':
    main()
