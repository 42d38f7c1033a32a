#!/usr/bin/env python3
"""Prints criterion's latest results as a Markdown table.

    scripts/criterion-table.py [PREFIX ...]

Reads $CARGO_TARGET_DIR/criterion (or target/criterion) */new/estimates.json
and benchmark.json; prints one row per benchmark whose id starts with one of
the prefixes (all when none): median, and the mean with its 95% interval.
"""
import json
import os
import sys


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def main():
    root = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")
    prefixes = sys.argv[1:]
    rows = []
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench_id = json.load(f)["full_id"]
        if prefixes and not any(bench_id.startswith(p) for p in prefixes):
            continue
        with open(os.path.join(dirpath, "estimates.json")) as f:
            e = json.load(f)
        mean = e["mean"]
        ci = mean["confidence_interval"]
        rows.append((bench_id, e["median"]["point_estimate"], mean["point_estimate"],
                     ci["lower_bound"], ci["upper_bound"]))
    print("| benchmark | median | mean [95% CI] |")
    print("|---|---:|---:|")
    for bench_id, median, mean, lo, hi in sorted(rows):
        print(f"| `{bench_id}` | {fmt(median)} | {fmt(mean)} [{fmt(lo)} – {fmt(hi)}] |")


if __name__ == "__main__":
    main()
