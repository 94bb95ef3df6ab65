#!/usr/bin/env python3
"""Draws a held-out evaluation file from the full UCI News Aggregator data, built the way the dev
sample was (every row of 600 stories chosen at random), from stories NOT in the dev sample.

    python3 Benchmarks/Clustering/make_heldout.py [DATA_DIR] [OUT.tsv]

DATA_DIR defaults to ../shared/data/uci-news-aggregator, OUT to /tmp/uci-heldout-600-stories.tsv.
The output is for evaluation only and never belongs in the repository.
"""
import gzip
import os
import random
import sys

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/data/uci-news-aggregator")
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/uci-heldout-600-stories.tsv"
full = os.path.join(data, "newsCorpora.full.tsv.gz")
dev = os.path.join(data, "uci-sample-600-stories.tsv")
for path in (full, dev):
    if not os.path.exists(path):
        sys.exit(f"make_heldout: {path}: not found (see ../shared/data/SOURCES.md)")

with open(dev, encoding="utf-8") as f:
    dev_stories = {line.split("\t")[5] for line in f.read().split("\n")[1:] if line}

rows = []
with gzip.open(full, "rt", encoding="utf-8", newline="\n") as f:
    for line in f:
        line = line.rstrip("\n")
        if line:
            rows.append(line)
stories = sorted({row.split("\t")[5] for row in rows} - dev_stories)
# The dev sample used random.seed(20140310); this one uses another seed on the other stories.
random.seed(20140828)
chosen = set(random.sample(stories, 600))
kept = [row for row in rows if row.split("\t")[5] in chosen]
with open(out, "w", encoding="utf-8") as f:
    f.write("ID\tTITLE\tURL\tPUBLISHER\tCATEGORY\tSTORY\tHOSTNAME\tTIMESTAMP\n")
    for row in kept:
        f.write(row + "\n")
print(f"{out}: {len(kept)} rows, {len(chosen)} stories (none of the dev sample's {len(dev_stories)})")
