#!/usr/bin/env bash
# bench/run.sh: the benchmark suite of issue 15, in one command.
#
#   bench/run.sh [--quick] [--loaded] [--only NAME[,NAME...]] [--rounds N]
#
# It prints, as markdown to paste into the README, the command line and the
# machine (nproc, kernel, CPU, load average before and after), then:
#
#   tracing  real programs (python, git, gcc, tar, ls, forks, threads) under
#            mmtrace run -a -q (full tracing), strace -f, mmtrace run -q (the
#            lesson's calls, seccomp), strace -f --seccomp-bpf -e trace=(the
#            same calls), the allow-all seccomp filter with no tracer (the
#            floor, bench/seccomp-allow.c), the least a ptrace tracer can
#            do (bench/ptrace-floor.c, every call and the lesson's calls)
#            and untraced;
#   copy     mmtrace copy SRC DST -n N (N = 1, 2, 5, 16) at 64 MiB and 1 GiB,
#            against cp and against mmtrace copy -e trace=none; every output
#            compared with SRC by cmp (a difference fails the run); each
#            size from two sources with the same bytes, one written in 8 KiB
#            pieces (head -c), one in 2 MiB pieces (dd bs=2M), whose page
#            cache differs: small folios, mapped 4 KiB at a time, against
#            2 MiB folios, mapped whole (see "The copy" in the README);
#   rss      peak RSS (VmHWM) of mmtrace itself, not its children, tracing a
#            program that forks 1,000 children and a shell that runs 1,000.
#
# Every group runs in rounds: a round runs each contender once, and each
# round starts one contender further on (rotated order), so that none
# always runs first or after the same one. Times are wall-clock; a table
# gives min, median and max over the rounds, and each ratio is the median
# (and the range) of the per-round ratios, with the issue's target beside
# it and MISSED where the median is above the target.
#
#   --quick    tiny sizes and 2 rounds: checks that everything runs; its
#              times are not results
#   --loaded   also run the tracing group under load: two idle-priority spin
#              loops (chrt -i 0), then two normal-priority ones, started here
#              and killed at the end, whatever happens
#   --only     run only these: python git gcc tar ls forks threads copy rss
#              (a workload name runs the tracing group for it alone)
#   --rounds   rounds per group (default 5; 2 with --quick)
#
# Nothing is dropped from the page cache: the copy's source is read warm
# (made just before), as every contender sees it. Before each contender of
# the copy group, bench/warm.c touches and frees 1.5 times the copy's size
# of memory, untimed: in a VM that hands free memory back to its host, the
# contender's new page cache would otherwise cost 10-25 times more or not
# depending on what ran before it. Everything is made in a
# fresh directory under ${TMPDIR:-/tmp} (one filesystem for SRC and DST),
# removed at the end. mmtrace is built as the README installs it:
# CGO_ENABLED=0. Run it from anywhere; it needs go, gcc, strace, git, tar,
# python3 and chrt (--loaded). The environment passes through: GOGC=50
# bench/run.sh --only rss measures mmtrace with another GC setting.
set -euo pipefail
export LC_ALL=C # a decimal point in $EPOCHREALTIME and in awk

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

quick=0 loaded=0 rounds="" only=""
args=("$@")
while (($#)); do
	case $1 in
	--quick) quick=1 ;;
	--loaded) loaded=1 ;;
	--only) only+="${only:+,}${2:?--only needs a name}"; shift ;;
	--only=*) only+="${only:+,}${1#--only=}" ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift ;;
	--rounds=*) rounds=${1#--rounds=} ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ -z $rounds ]] && rounds=$((quick ? 2 : 5))
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --rounds wants a positive number, not $rounds" >&2; exit 2; }

all_workloads=(python git gcc tar ls forks threads)
declare -A want=()
if [[ -n $only ]]; then
	IFS=, read -ra names <<<"$only"
	for n in "${names[@]}"; do
		case " ${all_workloads[*]} copy rss " in
		*" $n "*) want[$n]=1 ;;
		*) echo "bench/run.sh: --only: no such part $n (python git gcc tar ls forks threads copy rss)" >&2; exit 2 ;;
		esac
	done
fi
wanted() { [[ -z $only || -n ${want[$1]:-} ]]; }

for tool in go gcc strace git tar python3 cmp; do
	command -v "$tool" >/dev/null || [[ $tool == go && -x /usr/local/go/bin/go ]] ||
		{ echo "bench/run.sh: $tool is not installed" >&2; exit 1; }
done
((loaded)) && { command -v chrt >/dev/null || { echo "bench/run.sh: --loaded needs chrt (util-linux)" >&2; exit 1; }; }

root=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$PATH:/usr/local/go/bin
dir=$(mktemp -d "${TMPDIR:-/tmp}/mmtrace-bench.XXXXXX")
spinners=()
stop_load() {
	local p
	for p in "${spinners[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${spinners[@]}"; do wait "$p" 2>/dev/null || true; done
	spinners=()
}
cleanup() { stop_load; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { printf '%s\n' "$*" >&2; } # progress, on stderr: stdout is the report

# ---- what is measured, built and made first ----------------------------
say "building in $dir"
bin=$dir/mmtrace
(cd "$root" && CGO_ENABLED=0 go build -o "$bin" ./cmd/mmtrace)
gcc -O2 -o "$dir/seccomp-allow" "$root/bench/seccomp-allow.c"
gcc -O2 -o "$dir/ptrace-floor" "$root/bench/ptrace-floor.c"
gcc -O2 -o "$dir/forks" "$root/bench/forks.c"
gcc -O2 -pthread -o "$dir/threads" "$root/bench/threads.c"
gcc -O2 -o "$dir/warm" "$root/bench/warm.c"
# The interpreter itself, not a wrapper that finds it (pyenv's shim is a
# shell script that would be most of what is measured).
py=$(python3 -c 'import sys; print(sys.executable)')

if ((quick)); then
	forks_n=100 threads_n=8 threads_iter=50 ls_dir=/usr/include/linux tar_dir=/usr/include/linux
	copy_sizes=(1 8) rss_children=100
else
	forks_n=1000 threads_n=64 threads_iter=500 ls_dir=/usr/lib tar_dir=/usr/include
	copy_sizes=(64 1024) rss_children=1000
fi
copy_procs=(1 2 5 16)
copy_layouts=(8k 2m) # how the source was written: see bench_copy
piece() { case $1 in 8k) echo "8 KiB" ;; 2m) echo "2 MiB" ;; esac; }
lesson=open,openat,creat,close,ftruncate,truncate,mmap,munmap,mprotect,msync,madvise,mremap,fork,vfork,clone,clone3,execve,execveat,wait4,waitid,exit,exit_group,unlink,unlinkat,kill,tgkill

cat >"$dir/small.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct point { int x, y; };
static int cmp(const void *a, const void *b) {
	const struct point *p = a, *q = b;
	return p->x != q->x ? p->x - q->x : p->y - q->y;
}
int main(int argc, char **argv) {
	struct point pts[64];
	for (int i = 0; i < 64; i++)
		pts[i] = (struct point){(i * 37) % 64, argc + i};
	qsort(pts, 64, sizeof pts[0], cmp);
	printf("%s %d %zu\n", argv[0], pts[0].x, strlen(argv[0]));
	return 0;
}
EOF
if wanted git; then
	say "cloning $root"
	git clone -q --no-hardlinks "$root" "$dir/clone"
	git -C "$dir/clone" status >/dev/null # the index up to date before any run
fi
if wanted tar; then
	say "making the tarball of $tar_dir"
	tar cf "$dir/t.tar" -C "$(dirname "$tar_dir")" "$(basename "$tar_dir")"
	mkdir "$dir/x"
fi

declare -A work prep
work[python]=$(printf '%q ' "$py" -c 'import json')
work[git]=$(printf '%q ' git -C "$dir/clone" status)
work[gcc]=$(printf '%q ' gcc -c "$dir/small.c" -o "$dir/small.o")
work[tar]=$(printf '%q ' tar xf "$dir/t.tar" -C "$dir/x")
prep[tar]="rm -rf $(printf %q "$dir/x") && mkdir $(printf %q "$dir/x")"
work[ls]=$(printf '%q ' ls -lR "$ls_dir")
work[forks]=$(printf '%q ' "$dir/forks" "$forks_n")
work[threads]=$(printf '%q ' "$dir/threads" "$threads_n" "$threads_iter")

# The contenders of the tracing group, as prefixes of the workload.
tracers=(untraced floor strace full strace-bpf filtered ptrace-full ptrace-lesson)
declare -A prefix label
prefix[untraced]="" label[untraced]="untraced"
prefix[floor]=$(printf '%q ' "$dir/seccomp-allow") label[floor]="allow-all seccomp, no tracer"
prefix[strace]="strace -f -o /dev/null --" label[strace]="strace -f"
prefix[full]=$(printf '%q ' "$bin" run -a -q -o /dev/null --) label[full]="mmtrace run -a -q"
prefix[strace-bpf]="strace -f --seccomp-bpf -e trace=$lesson -o /dev/null --" label[strace-bpf]="strace -f --seccomp-bpf"
prefix[filtered]=$(printf '%q ' "$bin" run -q -o /dev/null --) label[filtered]="mmtrace run -q"
# The least a ptrace tracer can do (bench/ptrace-floor.c: every stop, no
# decoding, no output): the floor under strace and mmtrace alike.
prefix[ptrace-full]=$(printf '%q ' "$dir/ptrace-floor" full) label[ptrace-full]="ptrace floor, every call"
prefix[ptrace-lesson]=$(printf '%q ' "$dir/ptrace-floor" lesson) label[ptrace-lesson]="ptrace floor, lesson's calls (seccomp)"

# ---- measuring -----------------------------------------------------------
# times[KEY] holds one time per round (microseconds), in round order, for
# KEY = GROUP|ROW|CONTENDER.
declare -A times

# timed KEY CMD...: runs CMD, output to a log, and appends its time to
# times[KEY]. A command that fails fails the run.
timed() {
	local key=$1
	shift
	local t0=$EPOCHREALTIME
	if ! "$@" >/dev/null 2>"$dir/log"; then
		say "FAILED ($key): $*"
		tail -5 "$dir/log" >&2
		exit 1
	fi
	local t1=$EPOCHREALTIME
	times[$key]+="$((10#${t1/./} - 10#${t0/./})) "
}

# rotate I N: the order of round I over N contenders (0-based indexes).
rotate() {
	local i
	for ((i = 0; i < $2; i++)); do printf '%d ' $((($1 + i) % $2)); done
}

# bench_tracing COND: the tracing group under condition COND.
bench_tracing() {
	local cond=$1 w r i c cmd
	for w in "${all_workloads[@]}"; do
		wanted "$w" || continue
		say "tracing ($cond): $w, $rounds rounds"
		for ((r = 0; r < rounds; r++)); do
			for i in $(rotate "$r" ${#tracers[@]}); do
				c=${tracers[i]}
				[[ -n ${prep[$w]:-} ]] && eval "${prep[$w]}"
				eval "cmd=(${prefix[$c]} ${work[$w]})"
				timed "$cond|$w|$c" "${cmd[@]}"
			done
		done
	done
}

# start_load idle|normal: two spin loops at that priority.
start_load() {
	local i
	for i in 1 2; do
		if [[ $1 == idle ]]; then
			chrt -i 0 sh -c 'while :; do :; done' &
		else
			sh -c 'while :; do :; done' &
		fi
		spinners+=($!)
	done
	sleep 1 # let them run before the first round
}

# cpu[KEY] holds, like times[KEY], one CPU time per round (microseconds):
# user + system time of the command and every process it waited for, as
# the shell's `times` counts its children. The copy group records it
# beside wall time: on a busy machine, or in a VM that hands free memory
# back to its host (free page reporting: the next first touch of that
# memory costs the host's fault, 10-25 times a warm one), wall time moves
# with everything else running and CPU time shows what the copy cost.
declare -A cpu

# childcpu: sets child_us to the user + system time of the shell's
# waited-for children so far, in microseconds, from the second line of
# `times` ("1m2.345s 0m0.678s"). Builtins only, and no $(childcpu): in a
# pipe or $(...) it would run in a forked subshell, which has no children
# yet, and a sed or awk would add its own time to the next reading.
childcpu() {
	local u s t=0 v
	times >"$dir/times"
	{ read -r _ _; read -r u s; } <"$dir/times"
	for v in "$u" "$s"; do
		v=${v%s}                                   # 1m2.345
		t=$((t + ${v%%m*} * 60000000))             # the minutes
		v=${v#*m}                                  # 2.345
		t=$((t + 10#${v%.*} * 1000000 + 10#${v#*.} * 1000))
	done
	child_us=$t
}

# cputimed KEY CMD...: timed, and the command's CPU time into cpu[KEY].
cputimed() {
	local c0
	childcpu
	c0=$child_us
	timed "$@"
	childcpu
	cpu[$1]+="$((child_us - c0)) "
}

bench_copy() {
	local size n r i c key layout
	say "making the copy's sources: ${copy_sizes[*]} MiB of random data in $dir, written in 8 KiB and in 2 MiB pieces"
	for size in "${copy_sizes[@]}"; do
		head -c $((size << 20)) /dev/urandom >"$dir/src-$size-8k.bin"
		dd if="$dir/src-$size-8k.bin" of="$dir/src-$size-2m.bin" bs=2M status=none
	done
	sync
	local contenders=(cp)
	for n in "${copy_procs[@]}"; do contenders+=("faults-$n" "none-$n"); done
	for size in "${copy_sizes[@]}"; do
		for layout in "${copy_layouts[@]}"; do
			local src=$dir/src-$size-$layout.bin dst=$dir/dst.bin
			cat "$src" >/dev/null # warm, as every round after the first finds it
			say "copy: $size MiB written in $(piece "$layout") pieces, $rounds rounds"
			for ((r = 0; r < rounds; r++)); do
				for i in $(rotate "$r" ${#contenders[@]}); do
					c=${contenders[i]}
					key="copy|$size|$layout|$c"
					rm -f "$dst"
					"$dir/warm" $((size * 3 / 2 + 64)) # the same warm free memory for each (bench/warm.c)
					case $c in
					cp) cputimed "$key" cp "$src" "$dst" ;;
					faults-*) cputimed "$key" "$bin" copy "$src" "$dst" -n "${c#faults-}" -o /dev/null ;;
					none-*) cputimed "$key" "$bin" copy "$src" "$dst" -n "${c#none-}" -e trace=none -o /dev/null ;;
					esac
					cmp "$src" "$dst" || { say "FAILED ($key): $dst differs from $src"; exit 1; }
				done
			done
			rm -f "$dst" "$src"
		done
	done
}

# hwm CMD...: mmtrace's own VmHWM in kB, as it reports it at exit.
hwm() {
	MMTRACE_REPORT_HWM=1 "$@" >/dev/null 2>"$dir/log" || { say "FAILED (rss): $*"; tail -5 "$dir/log" >&2; exit 1; }
	sed -n 's/^mmtrace: VmHWM: \([0-9]*\) kB$/\1/p' "$dir/log" | tail -1
}

declare -A rss
bench_rss() {
	local shloop="i=0; while [ \$i -lt $rss_children ]; do /bin/true; i=\$((i+1)); done"
	local -a progs=(forks shell)
	local -a modes=(filtered explained full)
	local p m r v
	say "rss: $rounds rounds"
	for ((r = 0; r < rounds; r++)); do
		for p in "${progs[@]}"; do
			local -a prog
			if [[ $p == forks ]]; then prog=("$dir/forks" "$rss_children"); else prog=(sh -c "$shloop"); fi
			for m in "${modes[@]}"; do
				case $m in
				filtered) v=$(hwm "$bin" run -q -o /dev/null -- "${prog[@]}") ;;
				explained) v=$(hwm "$bin" run -o /dev/null -- "${prog[@]}") ;;
				full) v=$(hwm "$bin" run -a -q -o /dev/null -- "${prog[@]}") ;;
				esac
				[[ -n $v ]] || { say "FAILED (rss): mmtrace printed no VmHWM"; exit 1; }
				rss[$p|$m]+="$v "
			done
			if [[ -x /usr/bin/time ]]; then
				/usr/bin/time -f %M -o "$dir/time" strace -f -o /dev/null -- "${prog[@]}" >/dev/null 2>&1
				rss[$p|strace]+="$(tail -1 "$dir/time") "
			fi
		done
	done
}

# ---- statistics and the report --------------------------------------------
# stats LIST: "min median max" of a list of numbers.
# (An even count's median is the mean of the middle two.)
stats() {
	tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g |
		awk '{a[NR]=$1} END {if (NR) print a[1], (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[NR]}'
}

# ratios A B: the per-round ratios of two lists, one per line.
ratios() { paste -d' ' <(tr ' ' '\n' <<<"$1" | sed '/^$/d') <(tr ' ' '\n' <<<"$2" | sed '/^$/d') | awk '$2 > 0 {printf "%.4f\n", $1/$2}'; }

ms() { awk -v u="$1" 'BEGIN {v = u/1000; if (v >= 100) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.2f", v}'; }

timecell() {
	local s min med max
	s=$(stats "${times[$1]:-}")
	read -r min med max <<<"$s"
	[[ -n $med ]] || { printf '—'; return; }
	printf '%s (%s–%s)' "$(ms "$med")" "$(ms "$min")" "$(ms "$max")"
}

# ratiocell A_KEY B_KEY TARGET: "median (min–max)" of the per-round ratios
# of A to B, and whether it meets TARGET ("" for none).
ratiocell() {
	local list min med max
	list=$(ratios "${times[$1]:-}" "${times[$2]:-}" | tr '\n' ' ')
	read -r min med max <<<"$(stats "$list")"
	[[ -n $med ]] || { printf '— | %s' "${3:-}"; return; }
	printf '%.2f (%.2f–%.2f) | ' "$med" "$min" "$max"
	if [[ -n $3 ]]; then
		if awk -v m="$med" -v t="$3" 'BEGIN {exit !(m > t)}'; then printf '≤ %s **MISSED**' "$3"; else printf '≤ %s met' "$3"; fi
	fi
}

machine() {
	echo "Command: \`bench/run.sh${args[*]:+ ${args[*]}}\` ($(date -u '+%Y-%m-%d %H:%M UTC'), mmtrace $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ', uncommitted changes'))"
	echo
	echo "Machine: nproc $(nproc), Linux $(uname -r), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(go version | awk '{print $3}'), $(strace -V | head -1 | sed 's/^strace -- version/strace/'); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	((quick)) && echo && echo "**Quick mode: tiny sizes, $rounds rounds. These times check the script; they are not results.**"
	echo
}

report_tracing() {
	local cond=$1 w c full_target=0.2
	[[ $cond != quiet ]] && full_target=0.8
	local ran=0
	for w in "${all_workloads[@]}"; do [[ -n ${times[$cond|$w|untraced]:-} ]] && ran=1; done
	((ran)) || return 0
	case $cond in
	quiet) echo "### Tracing, quiet: milliseconds, median (min–max) of $rounds rounds" ;;
	idle) echo "### Tracing, loaded: two idle-priority spin loops (chrt -i 0); milliseconds, median (min–max) of $rounds rounds" ;;
	normal) echo "### Tracing, loaded: two normal-priority spin loops; milliseconds, median (min–max) of $rounds rounds" ;;
	esac
	echo
	printf '| workload |'
	for c in "${tracers[@]}"; do printf ' %s |' "${label[$c]}"; done
	echo
	printf '|---|'
	for c in "${tracers[@]}"; do printf -- '---|'; done
	echo
	for w in "${all_workloads[@]}"; do
		[[ -n ${times[$cond|$w|untraced]:-} ]] || continue
		printf '| `%s` |' "$(workname "$w")"
		for c in "${tracers[@]}"; do printf ' %s |' "$(timecell "$cond|$w|$c")"; done
		echo
	done
	echo
	echo "Ratios: median (min–max) of the per-round ratios."
	echo
	echo '| workload | full: mmtrace -a / strace -f | target | filtered: mmtrace / strace --seccomp-bpf | target | mmtrace / untraced | floor / untraced | ptrace floor / strace -f | ptrace floor (seccomp) / strace --seccomp-bpf |'
	echo '|---|---|---|---|---|---|---|---|---|'
	for w in "${all_workloads[@]}"; do
		[[ -n ${times[$cond|$w|untraced]:-} ]] || continue
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$w" \
			"$(ratiocell "$cond|$w|full" "$cond|$w|strace" "$full_target")" \
			"$(ratiocell "$cond|$w|filtered" "$cond|$w|strace-bpf" 0.8)" \
			"$(ratiocell "$cond|$w|filtered" "$cond|$w|untraced" "" | sed 's/ | $//')" \
			"$(ratiocell "$cond|$w|floor" "$cond|$w|untraced" "" | sed 's/ | $//')" \
			"$(ratiocell "$cond|$w|ptrace-full" "$cond|$w|strace" "" | sed 's/ | $//')" \
			"$(ratiocell "$cond|$w|ptrace-lesson" "$cond|$w|strace-bpf" "" | sed 's/ | $//')"
	done
	echo
}

workname() {
	case $1 in
	python) echo "python3 -c 'import json'" ;;
	git) echo "git status (a clone of mmtrace)" ;;
	gcc) echo "gcc -c (a 20-line C file)" ;;
	tar) echo "tar xf ($(basename "$tar_dir"), $(($(stat -c %s "$dir/t.tar") >> 20)) MiB)" ;;
	ls) echo "ls -lR $ls_dir" ;;
	forks) echo "forks: $forks_n forks, one at a time" ;;
	threads) echo "threads: $threads_n threads × $threads_iter × (getppid, write)" ;;
	esac
}

report_copy() {
	[[ -n ${times[copy|${copy_sizes[0]}|${copy_layouts[0]}|cp]:-} ]] || return 0
	echo "### The copy: milliseconds, median (min–max) of $rounds rounds; page cache warm, nothing dropped, free memory warmed before each run (bench/warm.c); every output checked with cmp"
	echo
	echo "The source was written in 8 KiB pieces (head -c: its page cache is small folios, which a mapping maps 4 KiB at a time) or in 2 MiB pieces (dd bs=2M: 2 MiB folios, each mapped by one entry)."
	echo
	echo '| size | source written in | N | cp | mmtrace copy (faults shown) | -e trace=none | copy / cp | target | copy / trace=none | target |'
	echo '|---|---|---|---|---|---|---|---|---|---|'
	local size n cp_target layout k
	for size in "${copy_sizes[@]}"; do
		for layout in "${copy_layouts[@]}"; do
			for n in "${copy_procs[@]}"; do
				k="copy|$size|$layout"
				cp_target=""
				[[ $size == 1024 && ($n == 2 || $n == 5) ]] && cp_target=0.7
				printf '| %s MiB | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$(piece "$layout")" "$n" \
					"$(timecell "$k|cp")" "$(timecell "$k|faults-$n")" "$(timecell "$k|none-$n")" \
					"$(ratiocell "$k|faults-$n" "$k|cp" "$cp_target")" \
					"$(ratiocell "$k|faults-$n" "$k|none-$n" 1.1)"
			done
		done
	done
	echo
	[[ -n ${cpu[copy|${copy_sizes[0]}|${copy_layouts[0]}|cp]:-} ]] || return 0
	echo "CPU time (user + system of the command and its children), milliseconds, median (min–max) of the same rounds:"
	echo
	echo '| size | source written in | N | cp | mmtrace copy (faults shown) | -e trace=none | copy / cp | copy / trace=none |'
	echo '|---|---|---|---|---|---|---|---|'
	local -A saved
	for k in "${!times[@]}"; do saved[$k]=${times[$k]}; done
	for k in "${!cpu[@]}"; do times[$k]=${cpu[$k]}; done # the cells read times[]
	for size in "${copy_sizes[@]}"; do
		for layout in "${copy_layouts[@]}"; do
			for n in "${copy_procs[@]}"; do
				k="copy|$size|$layout"
				printf '| %s MiB | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$(piece "$layout")" "$n" \
					"$(timecell "$k|cp")" "$(timecell "$k|faults-$n")" "$(timecell "$k|none-$n")" \
					"$(ratiocell "$k|faults-$n" "$k|cp" "" | sed 's/ | $//')" \
					"$(ratiocell "$k|faults-$n" "$k|none-$n" "" | sed 's/ | $//')"
			done
		done
	done
	for k in "${!saved[@]}"; do times[$k]=${saved[$k]}; done
	echo
}

report_rss() {
	[[ -n ${rss[forks|filtered]:-} ]] || return 0
	echo "### Peak RSS of mmtrace itself (VmHWM at its exit, its children not counted): kB, median (min–max) of $rounds rounds"
	echo
	echo '| traced program | mmtrace run -q | mmtrace run (explanations) | mmtrace run -a -q | target | strace -f (GNU time: the largest of strace and its children) |'
	echo '|---|---|---|---|---|---|'
	local p m s min med max cells worst
	for p in forks shell; do
		cells="" worst=0
		for m in filtered explained full; do
			read -r min med max <<<"$(stats "${rss[$p|$m]}")"
			med=$(printf '%.0f' "$med")
			cells+="$med ($min–$max) | "
			((med > worst)) && worst=$med
		done
		local verdict="≤ 10 MiB (10240 kB) met"
		((worst > 10240)) && verdict="≤ 10 MiB (10240 kB) **MISSED**"
		s="—"
		if [[ -n ${rss[$p|strace]:-} ]]; then
			read -r min med max <<<"$(stats "${rss[$p|strace]}")"
			s="$(printf '%.0f' "$med") ($min–$max)"
		fi
		if [[ $p == forks ]]; then
			printf '| forks: %d children, one at a time | %s%s | %s |\n' "$rss_children" "$cells" "$verdict" "$s"
		else
			printf '| sh: %d children (/bin/true) | %s%s | %s |\n' "$rss_children" "$cells" "$verdict" "$s"
		fi
	done
	echo
}

# ---- the run ---------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_tracing=0
for w in "${all_workloads[@]}"; do wanted "$w" && run_tracing=1; done
if ((run_tracing)); then
	bench_tracing quiet
	if ((loaded)); then
		start_load idle
		bench_tracing idle
		stop_load
		start_load normal
		bench_tracing normal
		stop_load
	fi
fi
wanted copy && bench_copy
wanted rss && bench_rss

machine
report_tracing quiet
((loaded)) && { report_tracing idle; report_tracing normal; }
report_copy
report_rss
