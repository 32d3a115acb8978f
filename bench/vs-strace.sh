#!/usr/bin/env bash
# mmtrace against strace and against no tracing, side by side in one run,
# on a syscall-heavy workload (dd with 1-byte blocks: two calls per byte).
# Prints each time (median of RUNS) and the ratios the project targets:
#   full tracing   mmtrace run -a  vs  strace -f            target <= 0.8
#   filtered       mmtrace run     vs  untraced             target <= 1.15
#                  mmtrace run     vs  strace -f --seccomp-bpf (same calls)
#   memory         peak RSS of mmtrace tracing 1,000 short-lived children, target <= 40 MiB
# and, where gcc is installed, the floor under any seccomp-filtering tracer:
# the workload under a filter that allows every call, with no tracer
# (bench/seccomp-allow.c).
# mmtrace is built as the README installs it: CGO_ENABLED=0, a static
# binary, which starts about 0.8 ms sooner than a cgo build (pflag and gops
# import net, which links the C library when cgo is on).
# Usage: bench/vs-strace.sh [COUNT] [RUNS]   (COUNT dd blocks, default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
count=${1:-100000}
runs=${2:-5}
command -v strace >/dev/null || { echo "strace is not installed (apt-get install strace)"; exit 1; }
bin=$(mktemp -d)/mmtrace
trap 'rm -rf "$(dirname "$bin")"' EXIT
CGO_ENABLED=0 go build -o "$bin" ./cmd/mmtrace
floor=()
if command -v gcc >/dev/null; then
  gcc -O2 -o "$(dirname "$bin")/seccomp-allow" bench/seccomp-allow.c
  floor=("$(dirname "$bin")/seccomp-allow")
fi

work=(dd if=/dev/zero of=/dev/null bs=1 count="$count")
lesson=open,openat,creat,close,ftruncate,truncate,mmap,munmap,mprotect,msync,madvise,mremap,fork,vfork,clone,clone3,execve,execveat,wait4,waitid,exit,exit_group,unlink,unlinkat,kill,tgkill

# median TIME of RUNS runs of a command, in seconds
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
ratio() { echo "scale=3; $1 / $2" | bc -l; }

echo "workload: ${work[*]}  (median of $runs runs)"
t_plain=$(median "${work[@]}")
t_floor=""
if [ ${#floor[@]} -gt 0 ]; then t_floor=$(median "${floor[@]}" "${work[@]}"); fi
t_strace=$(median strace -f -o /dev/null -- "${work[@]}")
t_full=$(median "$bin" run -a -o /dev/null -- "${work[@]}")
t_strace_bpf=$(median strace -f --seccomp-bpf -e trace=$lesson -o /dev/null -- "${work[@]}")
t_filtered=$(median "$bin" run -o /dev/null -- "${work[@]}")
t_nopin=$(median "$bin" run -a --pin-cpu=never -o /dev/null -- "${work[@]}")
# Ten times the calls: the start-up cost, fixed, weighs a tenth as much.
long=(dd if=/dev/zero of=/dev/null bs=1 count=$((count * 10)))
t_plain_long=$(median "${long[@]}")
t_floor_long=""
if [ ${#floor[@]} -gt 0 ]; then t_floor_long=$(median "${floor[@]}" "${long[@]}"); fi
t_filtered_long=$(median "$bin" run -o /dev/null -- "${long[@]}")
t_bpf_long=$(median strace -f --seccomp-bpf -e trace=$lesson -o /dev/null -- "${long[@]}")
printf '%-44s %8.3f s\n' "untraced" "$t_plain" \
  "strace -f -o /dev/null" "$t_strace" \
  "mmtrace run -a -o /dev/null" "$t_full" \
  "strace -f --seccomp-bpf -e trace=LESSON" "$t_strace_bpf" \
  "mmtrace run -o /dev/null (lesson's calls)" "$t_filtered" \
  "mmtrace run -a --pin-cpu=never" "$t_nopin" \
  "untraced, 10x the calls" "$t_plain_long" \
  "mmtrace run, 10x the calls" "$t_filtered_long" \
  "strace --seccomp-bpf, 10x the calls" "$t_bpf_long"
echo "full tracing:  mmtrace / strace            = $(ratio "$t_full" "$t_strace")   (target <= 0.8)"
echo "filtered:      mmtrace / untraced          = $(ratio "$t_filtered" "$t_plain")   (target <= 1.15)"
echo "filtered:      mmtrace / strace --seccomp  = $(ratio "$t_filtered" "$t_strace_bpf")   (target <= 1)"
echo "  10x calls:   mmtrace / untraced          = $(ratio "$t_filtered_long" "$t_plain_long");  mmtrace / strace --seccomp = $(ratio "$t_filtered_long" "$t_bpf_long")"
echo "  without sharing a CPU: mmtrace -a / strace = $(ratio "$t_nopin" "$t_strace")"
if [ -n "$t_floor" ]; then
  printf '%-44s %8.3f s\n' "untraced under an allow-all seccomp filter" "$t_floor" \
    "the same, 10x the calls" "$t_floor_long"
  echo "seccomp floor: allow-all filter / untraced  = $(ratio "$t_floor" "$t_plain");  10x calls: $(ratio "$t_floor_long" "$t_plain_long")"
  echo "  mmtrace run / floor = $(ratio "$t_filtered" "$t_floor");  10x calls: $(ratio "$t_filtered_long" "$t_floor_long")"
fi

rssfile=$(dirname "$bin")/rss
/usr/bin/time -f '%M' -o "$rssfile" "$bin" run -o /dev/null -- sh -c 'i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done' >/dev/null 2>&1 || true
rss=$(tail -1 "$rssfile")
echo "memory:        peak RSS tracing 1,000 children = $((rss / 1024)) MiB   (target <= 40)"
