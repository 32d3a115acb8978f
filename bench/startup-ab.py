#!/usr/bin/env python3
"""Compare the start-up of two (or more) mmtrace binaries.

    bench/startup-ab.py [-n RUNS] BIN... [-- ARGS...]

Runs each binary RUNS times (300 by default), alternating them and
reversing the order every other round so that a change in the machine's
load falls on all alike, and prints for each the median CPU time (user +
system of the command and its children), wall time and minor page faults.
ARGS default to `run -q -o /dev/null -e trace=exit_group -- true`; give
`-- version` to time the start alone. Build the binaries as installed:
CGO_ENABLED=0 go build -o /tmp/mmtrace.new ./cmd/mmtrace.
"""
import resource
import statistics
import subprocess
import sys
import time


def main(argv):
    runs = 300
    if argv[:1] == ["-n"]:
        runs, argv = int(argv[1]), argv[2:]
    args = ["run", "-q", "-o", "/dev/null", "-e", "trace=exit_group", "--", "true"]
    if "--" in argv:
        i = argv.index("--")
        argv, args = argv[:i], argv[i + 1:]
    if not argv:
        sys.exit(__doc__)
    cpu = {b: [] for b in argv}
    wall = {b: [] for b in argv}
    flt = {b: [] for b in argv}
    for i in range(runs):
        for b in argv if i % 2 == 0 else argv[::-1]:
            r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([b] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[b].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1e3)
            wall[b].append((t1 - t0) * 1e3)
            flt[b].append(r1.ru_minflt - r0.ru_minflt)
    print("%d runs each of: %s" % (runs, " ".join(args)))
    for b in argv:
        print("%s: CPU %.2f ms, wall %.2f ms, %d page faults (medians)" % (
            b, statistics.median(cpu[b]), statistics.median(wall[b]), statistics.median(flt[b])))


if __name__ == "__main__":
    main(sys.argv[1:])
