#!/usr/bin/env python3
"""Letters benchmark, two builds side by side: letters per CPU-second of one-thread runs.

usage: python3 bench/letters_side_by_side.py OLD_BENCH NEW_BENCH [RUNS] [LETTERS]
  OLD_BENCH, NEW_BENCH: letters_bench binaries (e.g. one built from an older commit in
  another work tree). The runs alternate (old --embed, old, new) so that both see the same
  machine; CPU time (user + sys) is far less disturbed by other work on a shared machine
  than wall time, which is printed too (meaningful on an idle machine). Prints the median
  of RUNS (default 5) for each.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

old, new = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
cfgs = [("old, every letter embedded (--embed)", old, ["--embed"]),
        ("old, built-in Helvetica where the text allows", old, []),
        ("new, every letter embedded", new, [])]
res = {c[0]: [] for c in cfgs}
wall = {c[0]: [] for c in cfgs}
for _ in range(runs):
    for label, binary, extra in cfgs:
        d = tempfile.mkdtemp(dir=base)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run([binary, str(n), "1", d] + extra, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        res[label].append(n / cpu)
        wall[label].append(n / elapsed)
        shutil.rmtree(d)
print(f"| build | letters per CPU-second, 1 thread | letters/s, 1 thread (wall) |")
print("|---|---|---|")
for label, v in res.items():
    print(f"| {label} | {statistics.median(v):.0f} | {statistics.median(wall[label]):.0f} |")
print(f"(median of {runs} runs of {n} letters each)")
