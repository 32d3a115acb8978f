#!/usr/bin/env bash
# copy-vs-cp.sh: time `mmtrace copy` (traced, N processes, timeline to
# /dev/null) against `cp` copying the same file, its page cache warm, and
# print the ratio of the medians (and of the best times).
#
#   bench/copy-vs-cp.sh [SIZE_MIB [ROUNDS [N]]]     defaults: 1024 9 5
#
# Run it from the module root on a quiet machine. The files go to a fresh
# directory under ${TMPDIR:-/tmp}, removed at the end. cp and mmtrace take
# turns going first, so neither always inherits the other's freed memory.
set -euo pipefail

size_mib=${1:-1024}
rounds=${2:-9}
procs=${3:-5}

dir=$(mktemp -d "${TMPDIR:-/tmp}/mmtrace-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

go build -o "$dir/mmtrace" ./cmd/mmtrace
# Data that never repeats, so nothing along the way can shortcut it.
head -c $((size_mib << 20)) /dev/urandom >"$dir/src.bin"
sync
cat "$dir/src.bin" >/dev/null # warm the page cache

now() { date +%s%N; }
run_cp() {
	rm -f "$dir/cp.bin"
	local t0; t0=$(now)
	cp "$dir/src.bin" "$dir/cp.bin"
	cp_ns+=($(($(now) - t0)))
}
run_mm() {
	rm -f "$dir/mm.bin"
	local t0; t0=$(now)
	"$dir/mmtrace" copy "$dir/src.bin" "$dir/mm.bin" -n "$procs" -o /dev/null 2>"$dir/mm.err" ||
		{ cat "$dir/mm.err" >&2; exit 1; }
	mm_ns+=($(($(now) - t0)))
}
ms() { printf '%.1f' "$(bc -l <<<"$1/1000000")"; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
best() { printf '%s\n' "$@" | sort -n | head -1; }

cp_ns=() mm_ns=()
for ((i = 0; i < rounds; i++)); do
	if ((i % 2 == 0)); then run_cp; run_mm; else run_mm; run_cp; fi
	if ((i == 0)); then cmp "$dir/src.bin" "$dir/mm.bin"; fi
	printf 'round %d: cp %s ms, mmtrace copy -n %d %s ms\n' $((i + 1)) "$(ms "${cp_ns[i]}")" "$procs" "$(ms "${mm_ns[i]}")"
done
cpm=$(median "${cp_ns[@]}") mmm=$(median "${mm_ns[@]}")
cpb=$(best "${cp_ns[@]}") mmb=$(best "${mm_ns[@]}")
printf '%d MiB, %d rounds: median cp %s ms, mmtrace copy -n %d %s ms: ratio %.2f (best %s vs %s ms: %.2f)\n' \
	"$size_mib" "$rounds" "$(ms "$cpm")" "$procs" "$(ms "$mmm")" "$(bc -l <<<"$mmm/$cpm")" \
	"$(ms "$cpb")" "$(ms "$mmb")" "$(bc -l <<<"$mmb/$cpb")"
