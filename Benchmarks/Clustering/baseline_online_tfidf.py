#!/usr/bin/env python3
"""A simple online TF-IDF clusterer in plain Python, the yardstick for Parallax's speed:
lower-cased words minus English stopwords, document frequencies counted as articles arrive,
each headline compared (cosine) with the centroids of stories seen within 48 hours that share
a word with it (an inverted index that idle stories leave every hour, so it does not scan every
story), joining the best at or above the threshold or opening a story. Timestamp order, one article at a time.

    python3 Benchmarks/Clustering/baseline_online_tfidf.py FILE.tsv [--predictions OUT.tsv] [--threshold 0.3]

Prints articles per CPU second of the clustering loop (reading the file excluded).
"""
import argparse
import math
import re
import sys
import time

STOP = set("a about after again all also an and are as at be been but by can could did do does for from had has "
           "have he her his how i if in into is it its just may more most new no not now of on one or other our out over "
           "said says she so some than that the their them then there these they this to too up was we were what when "
           "where which while who will with would you your".split())
WORD = re.compile(r"[a-z0-9]+")

parser = argparse.ArgumentParser()
parser.add_argument("file")
parser.add_argument("--predictions")
parser.add_argument("--threshold", type=float, default=0.3)
parser.add_argument("--window-hours", type=float, default=48)
args = parser.parse_args()

rows = []
with open(args.file, encoding="utf-8", errors="replace") as f:
    for number, line in enumerate(f):
        fields = line.rstrip("\n").split("\t")
        if number == 0 and fields[0] == "ID":
            continue
        if len(fields) >= 8:
            rows.append((int(fields[7]) / 1000.0, fields[0], fields[1]))
rows.sort()

started = time.process_time()
df = {}
documents = 0
centroids = {}   # story -> {term: weight}
last_seen = {}   # story -> time
postings = {}    # term -> set(story)
assignment = {}
stories = 0
window = args.window_hours * 3600
last_sweep = None
for when, ident, title in rows:
    # Hourly, stories idle past the window leave the index, as they do in Parallax.
    if last_sweep is None or when - last_sweep >= 3600:
        last_sweep = when
        for story in [s for s, seen in last_seen.items() if when - seen > window]:
            for term in centroids[story]:
                postings[term].discard(story)
            del centroids[story], last_seen[story]
    terms = [w for w in WORD.findall(title.lower()) if w not in STOP]
    documents += 1
    tf = {}
    for term in terms:
        tf[term] = tf.get(term, 0) + 1
    for term in tf:
        df[term] = df.get(term, 0) + 1
    vector = {t: c * (math.log((documents + 1) / (df[t] + 1)) + 1) for t, c in tf.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    vector = {t: v / norm for t, v in vector.items()}
    candidates = set()
    for term in vector:
        candidates |= postings.get(term, set())
    best, best_score = None, 0.0
    for story in candidates:
        if when - last_seen[story] > window:
            continue
        centroid = centroids[story]
        dot = sum(v * centroid.get(t, 0.0) for t, v in vector.items())
        cnorm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        score = dot / cnorm
        if score > best_score:
            best, best_score = story, score
    if best is None or best_score < args.threshold:
        stories += 1
        best = stories
        centroids[best] = {}
    centroid = centroids[best]
    for term, value in vector.items():
        centroid[term] = centroid.get(term, 0.0) + value
        postings.setdefault(term, set()).add(best)
    last_seen[best] = when
    assignment[ident] = best
seconds = time.process_time() - started
print(f"{args.file}: {len(rows)} headlines, {stories} stories, {seconds:.1f} s, {len(rows) / max(seconds, 1e-9):.0f} headlines/s")
if args.predictions:
    with open(args.predictions, "w") as f:
        f.write("id\tcluster\n")
        for ident, story in assignment.items():
            f.write(f"{ident}\t{story}\n")
