#!/usr/bin/env python3
"""How much of a day's B³ precision loss is gold stories that split one event.

Rule (stated, not by hand): two gold stories are "one event" when the cosine of their
centroids (TF-IDF of headline words, lower-cased, stopwords out, the day's own document
frequencies) is at least CUT. Such pairs are joined transitively and B³ is computed again
against the joined gold. A diagnostic only: nothing is tuned to it.

usage: gold_splits.py DAY.tsv PREDICTIONS.tsv [CUT ...]   (one CUT: also lists the pairs)
PREDICTIONS.tsv: "id<TAB>cluster" lines (as `fasteval` or `eval clustering --predictions` write).
"""
import collections, math, re, sys

STOP = set("a an and are as at be by for from has have in is it its of on or that the this to was were will with after over new says say said us".split())

def words(text):
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOP and len(w) > 1]

def bcubed(gold, pred):
    gsize = collections.Counter(gold.values()); psize = collections.Counter(pred.values())
    both = collections.Counter((gold[i], pred[i]) for i in gold)
    p = sum(n * n / psize[c] for (g, c), n in both.items()) / len(gold)
    r = sum(n * n / gsize[g] for (g, c), n in both.items()) / len(gold)
    return p, r, 2 * p * r / (p + r)

def main():
    tsv, predfile = sys.argv[1], sys.argv[2]
    cuts = [float(c) for c in sys.argv[3:]] or [0.3, 0.4, 0.5]
    gold, title = {}, {}
    for line in open(tsv, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 8 or f[0] == "ID": continue
        gold[f[0]] = f[5]; title[f[0]] = f[1]
    pred = {}
    for line in open(predfile):
        a, b = line.rstrip("\n").split("\t")
        if a != "id": pred[a] = b
    df = collections.Counter()
    for t in title.values(): df.update(set(words(t)))
    n = len(title)
    cent = collections.defaultdict(collections.Counter)
    for i, t in title.items():
        tf = collections.Counter(words(t))
        norm = math.sqrt(sum((c * math.log(n / df[w])) ** 2 for w, c in tf.items())) or 1
        for w, c in tf.items(): cent[gold[i]][w] += c * math.log(n / df[w]) / norm
    norms = {g: math.sqrt(sum(v * v for v in c.values())) or 1 for g, c in cent.items()}
    stories = sorted(cent)
    pairs = []
    for x in range(len(stories)):
        for y in range(x + 1, len(stories)):
            a, b = cent[stories[x]], cent[stories[y]]
            if len(a) > len(b): a, b = b, a
            dot = sum(v * b.get(w, 0) for w, v in a.items())
            pairs.append((dot / norms[stories[x]] / norms[stories[y]], stories[x], stories[y]))
    print("as labelled: P %.4f R %.4f F1 %.4f" % bcubed(gold, pred))
    for cut in cuts:
        parent = {g: g for g in stories}
        def find(g):
            while parent[g] != g: g = parent[g]
            return g
        joined = [(s, a, b) for s, a, b in pairs if s >= cut]
        for s, a, b in joined: parent[find(a)] = find(b)
        merged = {i: find(g) for i, g in gold.items()}
        print("gold pairs with centroid cosine >= %.2f joined (%d pairs, %d gold stories -> %d): P %.4f R %.4f F1 %.4f"
              % ((cut, len(joined), len(stories), len(set(merged.values()))) + bcubed(merged, pred)))
    if len(cuts) == 1:
        top = {}
        for i, g in gold.items(): top.setdefault(g, collections.Counter())[title[i]] += 1
        for s, a, b in sorted(pairs, reverse=True):
            if s < cuts[0]: break
            print("  %.2f  %s (%d)  |  %s (%d)" % (s, top[a].most_common(1)[0][0][:60], sum(top[a].values()),
                                                 top[b].most_common(1)[0][0][:60], sum(top[b].values())))

main()
