package tracer_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestCompareWithStrace runs ordinary programs under strace 6.1 (-f -qq)
// and under `mmtrace run -a -q`, and compares their lines process by
// process. It logs, per program, the share of strace's lines mmtrace
// printed identically and every line that differs; it fails when a call
// mmtrace decodes prints differently from strace.
//
// The programs: ls in a directory of three files, sh -c 'echo hi | cat',
// the Python interpreter importing json (skipped without python3), and
// testdata/stracecmp.c (skipped without gcc): files, fds, pipes, a pty,
// sockets, signals, a thread, polling, the event fds, ids and limits.
// MMTRACE_STRACE_COMPARE adds programs: "git status;tar cf /dev/null .".
//
// Lines are compared after these normalisations, and no others:
//
//   - strace's alignment before " = " is removed; a call split by another
//     thread's line ("<unfinished ...>" / "<... resumed>") is joined;
//     mmtrace's folded repeats are unfolded; "+++ exited +++" lines are
//     dropped (strace -qq does not print them).
//   - Processes and threads are named by their place in the process tree
//     (P0, P0.1 for its first child...), and a task's id is replaced by
//     its name where a line shows a process or thread id: the result of
//     the calls that return one, the first arguments of those that take
//     one (the second of tgkill, setpgid and waitid), and si_pid=, pid=,
//     l_pid=, parent_tid=[]. (Not anywhere: ids
//     wrap around, and a read of 798 bytes is no process.) getppid() of
//     the first process returns the tracer's pid: it is replaced by
//     TRACER.
//   - Hex numbers of 8 digits or more (addresses, which ASLR moves) read
//     ADDR.
//   - What changes from run to run whoever traces: getrandom's bytes,
//     clock_gettime's time, sysinfo's numbers, the kernel's choice of
//     ephemeral ports (htons(N) with N >= 1024), and the clock ticks of
//     si_utime and si_stime (and the seconds comment strace adds when
//     they are not zero); rt_sigreturn's result, which is the register
//     of the code the signal interrupted (a pid wait4 returned, an errno),
//     and so where the signal landed. Its mask is compared.
//   - sched_getaffinity's CPU list: mmtrace pins the traced program to one
//     CPU by default (--pin-cpu auto), so the kernel's answer differs.
//   - Names newer than strace 6.1 that mmtrace prints as current strace
//     does: MADV_GUARD_INSTALL, MADV_GUARD_REMOVE, AT_EXECVE_CHECK, which
//     strace 6.1 prints as 0x66 /* MADV_??? */, 0x67 /* MADV_??? */,
//     0x10000 /* AT_??? */.
//
// A differing line fails the test when it is a call in mmtrace's decoded
// set, paired (same place in the diff) with a line of the same call:
// extra or missing lines come from timing (which child a wait4 reaps
// first, where a signal lands) and are only logged. A call a signal
// interrupted ("= ? ERESTARTNOINTR"), which only one trace may have, is
// paired only with another interrupted call.
func TestCompareWithStrace(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real programs under strace and mmtrace")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	mmtrace := buildMmtrace(t)

	type program struct {
		name  string
		argv  []string
		dir   string // working directory: its contents show in ls
		fresh bool   // the program writes: dir is emptied before each run
	}
	empty := t.TempDir()
	for _, f := range []string{"a.txt", "b.txt", "sub"} {
		if err := os.WriteFile(filepath.Join(empty, f), []byte(f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	programs := []program{
		{name: "ls", argv: []string{"ls"}, dir: empty},
		{name: "pipeline", argv: []string{"sh", "-c", "echo hi | cat"}, dir: empty},
	}
	// The interpreter itself, not a wrapper script (pyenv's shim runs
	// bash, whose children race each other differently every run). One
	// run first, so that both traced runs find Python's caches written.
	if out, err := exec.Command("python3", "-c", "import json, sys; print(sys.executable)").Output(); err == nil {
		py := strings.TrimSpace(string(out))
		programs = append(programs, program{name: "python3", argv: []string{py, "-c", "import json"}, dir: empty})
	} else {
		t.Log("python3 not installed: not compared")
	}
	// More programs to compare, for whoever changes a decoder:
	// MMTRACE_STRACE_COMPARE="git status;tar cf /dev/null ." (each run in
	// the test's empty directory).
	for i, c := range strings.Split(os.Getenv("MMTRACE_STRACE_COMPARE"), ";") {
		if argv := strings.Fields(c); len(argv) > 0 {
			programs = append(programs, program{name: fmt.Sprintf("extra%d-%s", i, filepath.Base(argv[0])),
				argv: argv, dir: filepath.Join(t.TempDir(), "w"), fresh: true})
		}
	}
	if _, err := exec.LookPath("gcc"); err == nil {
		bin := buildC(t, "stracecmp.c", "-pthread")
		programs = append(programs, program{name: "stracecmp", argv: []string{bin, "."}, dir: filepath.Join(t.TempDir(), "w"), fresh: true})
	} else {
		t.Log("gcc not installed: the C program is not compared")
	}

	out := t.TempDir()
	for _, p := range programs {
		t.Run(p.name, func(t *testing.T) {
			run := func(tracer string, args ...string) string {
				file := filepath.Join(out, p.name+"."+tracer)
				if p.fresh {
					if err := os.RemoveAll(p.dir); err != nil {
						t.Fatal(err)
					}
					if err := os.Mkdir(p.dir, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				bin := strace
				if tracer == "mmtrace" {
					bin = mmtrace
				}
				cmd := exec.Command(bin, append(append(args, "-o", file, "--"), p.argv...)...)
				cmd.Dir = p.dir
				if b, err := cmd.CombinedOutput(); err != nil {
					if _, ok := err.(*exec.ExitError); !ok {
						t.Fatalf("%s: %v\n%s", tracer, err, b)
					}
				}
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			want := parseTrace(run("strace", "-f", "-qq"), false)
			got := parseTrace(run("mmtrace", "run", "-a", "-q"), true)
			if len(want.order) == 0 || len(got.order) == 0 {
				t.Fatalf("empty trace: strace %d processes, mmtrace %d", len(want.order), len(got.order))
			}
			compareTraces(t, want, got)
		})
	}
}

// buildMmtrace builds the mmtrace command into a temp dir.
func buildMmtrace(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mmtrace")
	if b, err := exec.Command("go", "build", "-o", bin, "github.com/mmtrace/mmtrace/cmd/mmtrace").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// A trace is the lines of each task, by its label in the process tree.
type trace struct {
	order []string            // labels, in tree order
	lines map[string][]string // normalised lines, by label
}

var (
	cmpStraceLine  = regexp.MustCompile(`^(\d+)\s+(.*)$`)
	cmpMmtraceLine = regexp.MustCompile(`^(\d+)\s+[0-9.]+ (.*)$`)
	cmpResumed     = regexp.MustCompile(`^<\.\.\. ([\w]+) resumed>(.*)$`)
	cmpFold        = regexp.MustCompile(`^(.*)  \(repeated (\d+) more times? over [^)]*\)$`)
	cmpAlign       = regexp.MustCompile(`^(.*\))\s+= (.*)$`)
	cmpChild       = regexp.MustCompile(`^(fork|vfork|clone|clone3)\(.*\) = (\d+)$`)
	// The places of process and thread ids in a line.
	cmpPidPlaces = []*regexp.Regexp{
		regexp.MustCompile(`^(?:fork|vfork|clone|clone3|wait4|waitid|getpid|getppid|gettid|set_tid_address|getpgrp|getpgid|getsid|setsid)\(.*\) = (\d+)`),
		regexp.MustCompile(`^(?:kill|tkill|tgkill|wait4|prlimit64|sched_getaffinity|sched_setaffinity|getpgid|getsid|setpgid|pidfd_open)\((-?\d+)`),
		regexp.MustCompile(`^(?:tgkill|setpgid|waitid)\([^,]+, (\d+)`),
		regexp.MustCompile(`(?:si_pid|[{ ]pid|l_pid)=(\d+)`),
		regexp.MustCompile(`parent_tid=\[(\d+)\]`),
	}
	cmpAddr = regexp.MustCompile(`0x[0-9a-f]{8,}`)
	cmpName = regexp.MustCompile(`^(\w+)\(`)

	// The run-to-run normalisations TestCompareWithStrace documents.
	cmpVarying = []struct {
		re   *regexp.Regexp
		with string
	}{
		{regexp.MustCompile(`^(getrandom\()"[^"]*"`), `$1"RANDOM"`},
		{regexp.MustCompile(`^(clock_gettime\(\w+, )\{tv_sec=\d+, tv_nsec=\d+\}`), `${1}{TIME}`},
		{regexp.MustCompile(`^sysinfo\(\{.*\}\)`), `sysinfo({INFO})`},
		{regexp.MustCompile(`htons\(\d{4,5}\)`), `htons(PORT)`},
		{regexp.MustCompile(`(si_[us]time)=\d+ /\* [0-9.]+ s \*/`), `$1=T`},
		{regexp.MustCompile(`(si_[us]time)=\d+`), `$1=T`},
		{regexp.MustCompile(`^(rt_sigreturn\(.*\)) = .*$`), `$1 = INTERRUPTED`},
		{regexp.MustCompile(`^(sched_getaffinity\([^,]+, \d+, )\[[\d ]*\]`), `${1}[CPUS]`},
	}
	cmpNewer = strings.NewReplacer(
		"0x66 /* MADV_??? */", "MADV_GUARD_INSTALL",
		"0x67 /* MADV_??? */", "MADV_GUARD_REMOVE",
		"0x10000 /* AT_??? */", "AT_EXECVE_CHECK",
	)
)

// parseTrace reads a strace -f or mmtrace timeline into tasks' lines,
// joined, unfolded and normalised as TestCompareWithStrace says.
func parseTrace(s string, mmtrace bool) trace {
	type line struct {
		tid  string
		text string
	}
	var lines []line
	open := map[string]int{} // tid -> index of its unfinished call
	re := cmpStraceLine
	if mmtrace {
		re = cmpMmtraceLine
	}
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil {
			lines = append(lines, line{"?", sc.Text()})
			continue
		}
		tid, rest := m[1], m[2]
		repeat := 1
		if f := cmpFold.FindStringSubmatch(rest); f != nil {
			// The line of the first call came before: this one
			// stands for the repeats only.
			rest = f[1]
			repeat, _ = strconv.Atoi(f[2])
		}
		switch {
		case strings.HasPrefix(rest, "+++"):
			continue
		case strings.HasSuffix(rest, " <unfinished ...>"):
			open[tid] = len(lines)
			lines = append(lines, line{tid, strings.TrimSuffix(rest, " <unfinished ...>")})
			continue
		case cmpResumed.MatchString(rest):
			r := cmpResumed.FindStringSubmatch(rest)
			if i, ok := open[tid]; ok {
				delete(open, tid)
				lines[i].text += r[2]
				continue
			}
		}
		for range repeat {
			lines = append(lines, line{tid, rest})
		}
	}
	for _, i := range open {
		lines[i].text += " <unfinished ...>"
	}

	// Name the tasks by the tree their fork, vfork, clone and clone3
	// results draw.
	tr := trace{lines: map[string][]string{}}
	if len(lines) == 0 {
		return tr
	}
	label := map[string]string{lines[0].tid: "P0"}
	children := map[string]int{}
	tr.order = append(tr.order, "P0")
	for _, l := range lines {
		text := cmpAlign.ReplaceAllString(l.text, "$1 = $2")
		if m := cmpChild.FindStringSubmatch(text); m != nil {
			parent, ok := label[l.tid]
			if _, seen := label[m[2]]; ok && !seen {
				children[parent]++
				label[m[2]] = fmt.Sprintf("%s.%d", parent, children[parent])
				tr.order = append(tr.order, label[m[2]])
			}
		}
	}
	for _, l := range lines {
		name, ok := label[l.tid]
		if !ok {
			name = "unknown-" + l.tid
			if _, seen := tr.lines[name]; !seen {
				tr.order = append(tr.order, name)
			}
		}
		text := cmpAlign.ReplaceAllString(l.text, "$1 = $2")
		if name == "P0" && strings.HasPrefix(text, "getppid() = ") {
			text = "getppid() = TRACER"
		}
		text = replacePids(text, label)
		text = cmpAddr.ReplaceAllString(text, "ADDR")
		for _, v := range cmpVarying {
			text = v.re.ReplaceAllString(text, v.with)
		}
		if !mmtrace {
			text = cmpNewer.Replace(text)
		}
		tr.lines[name] = append(tr.lines[name], text)
	}
	return tr
}

// replacePids replaces the process and thread ids of a line by their
// labels, in the places cmpPidPlaces lists.
func replacePids(text string, label map[string]string) string {
	for _, re := range cmpPidPlaces {
		for {
			m := re.FindStringSubmatchIndex(text)
			if m == nil {
				break
			}
			id := strings.TrimPrefix(text[m[2]:m[3]], "-")
			l, ok := label[id]
			if !ok {
				break
			}
			if strings.HasPrefix(text[m[2]:m[3]], "-") {
				l = "-" + l
			}
			text = text[:m[2]] + l + text[m[3]:]
		}
	}
	return text
}

// compareTraces diffs each task's lines, logs the differences and the
// share of strace's lines mmtrace printed identically, and fails on
// decoded calls that print differently.
func compareTraces(t *testing.T, want, got trace) {
	t.Helper()
	failures, same, total, gotTotal := diffTraces(want, got, t.Logf)
	t.Logf("identical: %d of strace's %d lines (%.1f%%); mmtrace printed %d lines, %d of them not strace's",
		same, total, 100*float64(same)/float64(max(total, 1)), gotTotal, gotTotal-same)
	sort.Strings(failures)
	for _, f := range failures {
		t.Errorf("decoded call differs from strace:\n  %s", f)
	}
}

// diffTraces diffs each task's lines and logs the differences. It returns
// the paired lines of decoded calls that differ, and counts: lines in both,
// strace's lines, mmtrace's lines.
func diffTraces(want, got trace, logf func(string, ...any)) (failures []string, same, total, gotTotal int) {
	labels := append([]string(nil), want.order...)
	for _, l := range got.order {
		if _, ok := want.lines[l]; !ok {
			labels = append(labels, l)
		}
	}
	for _, l := range labels {
		w, g := want.lines[l], got.lines[l]
		total += len(w)
		gotTotal += len(g)
		ops := diffLines(w, g)
		var dels, ins []string
		pair := func(dels, ins []string) {
			for i := 0; i < max(len(dels), len(ins)); i++ {
				var wl, gl string
				if i < len(dels) {
					wl = dels[i]
				}
				if i < len(ins) {
					gl = ins[i]
				}
				logf("%s:\n  strace:  %s\n  mmtrace: %s", l, wl, gl)
				if wl != "" && gl != "" && callName(wl) == callName(gl) && sys.Decoded(callName(wl)) {
					failures = append(failures, l+": "+wl+"\n           "+gl)
				}
			}
		}
		flush := func() {
			// An interrupted call is paired only with an interrupted
			// one: whether a trace has one is timing.
			dr, dk := splitRestarted(dels)
			ir, ik := splitRestarted(ins)
			pair(dr, ir)
			pair(dk, ik)
			dels, ins = dels[:0], ins[:0]
		}
		for _, op := range ops {
			switch op.kind {
			case '=':
				flush()
				same++
			case '-':
				dels = append(dels, op.text)
			case '+':
				ins = append(ins, op.text)
			}
		}
		flush()
	}
	return failures, same, total, gotTotal
}

// cmpRestarted is a call a signal interrupted and the kernel restarts
// ("= ? ERESTARTNOINTR"): whether a trace has one depends on where a
// signal landed.
var cmpRestarted = regexp.MustCompile(`^\w+\(.*\) = \? ERESTART\w+`)

// splitRestarted separates the interrupted calls among differing lines
// from the others, keeping their order.
func splitRestarted(lines []string) (restarted, others []string) {
	for _, l := range lines {
		if cmpRestarted.MatchString(l) {
			restarted = append(restarted, l)
		} else {
			others = append(others, l)
		}
	}
	return restarted, others
}

// callName is the call a line is about, or "" for a signal or exit.
func callName(line string) string {
	if m := cmpName.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	return ""
}

// A diffOp is one line of a diff: '=' in both, '-' strace's only, '+'
// mmtrace's only.
type diffOp struct {
	kind byte
	text string
}

// diffLines diffs two sequences by their longest common subsequence.
// Traces of a few thousand lines a task keep the table small enough.
func diffLines(a, b []string) []diffOp {
	const maxCells = 16_000_000
	if len(a)*len(b) > maxCells {
		// Too long to diff: compare line by line.
		var ops []diffOp
		for i := 0; i < max(len(a), len(b)); i++ {
			switch {
			case i < len(a) && i < len(b) && a[i] == b[i]:
				ops = append(ops, diffOp{'=', a[i]})
			default:
				if i < len(a) {
					ops = append(ops, diffOp{'-', a[i]})
				}
				if i < len(b) {
					ops = append(ops, diffOp{'+', b[i]})
				}
			}
		}
		return ops
	}
	n, m := len(a), len(b)
	lcs := make([]uint16, (n+1)*(m+1))
	at := func(i, j int) int { return i*(m+1) + j }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				lcs[at(i, j)] = lcs[at(i+1, j+1)] + 1
			case lcs[at(i+1, j)] >= lcs[at(i, j+1)]:
				lcs[at(i, j)] = lcs[at(i+1, j)]
			default:
				lcs[at(i, j)] = lcs[at(i, j+1)]
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			ops = append(ops, diffOp{'=', a[i]})
			i++
			j++
		case lcs[at(i+1, j)] >= lcs[at(i, j+1)]:
			ops = append(ops, diffOp{'-', a[i]})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, diffOp{'-', a[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, diffOp{'+', b[j]})
	}
	return ops
}

// TestDiffTracesRestarted checks the pairing of TestCompareWithStrace: a
// call a signal interrupted in one trace only is logged, not paired with
// the other trace's call, while two interrupted calls that differ fail.
func TestDiffTracesRestarted(t *testing.T) {
	const (
		restarted = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = ? ERESTARTNOINTR (To be restarted)"
		cloned    = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = P0.1"
		sigchld   = "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P0.2, si_uid=0, si_status=0, si_utime=T, si_stime=T} ---"
		sigreturn = "rt_sigreturn({mask=[]}) = INTERRUPTED"
	)
	one := func(lines ...string) trace {
		return trace{order: []string{"P0"}, lines: map[string][]string{"P0": lines}}
	}
	for _, tc := range []struct {
		name     string
		strace   trace
		mmtrace  trace
		failures int
	}{
		// The signal landed on strace's clone, after mmtrace's: the
		// diff puts strace's interrupted clone beside mmtrace's clone.
		{"signal on one side's clone",
			one(restarted, sigchld, sigreturn, cloned),
			one(cloned, sigchld, sigreturn), 0},
		{"the same on the other side",
			one(cloned, sigchld, sigreturn),
			one(restarted, sigchld, sigreturn, cloned), 0},
		{"both interrupted, decoded alike",
			one(restarted, sigchld, sigreturn, cloned),
			one(restarted, sigchld, sigreturn, cloned), 0},
		{"both interrupted, decoded differently",
			one(restarted, sigchld, sigreturn, cloned),
			one(strings.Replace(restarted, "SIGCHLD", "SIGCHLD|CLONE_VM", 1), sigchld, sigreturn, cloned), 1},
		{"a clone decoded differently",
			one(sigchld, cloned),
			one(sigchld, strings.Replace(cloned, "NULL", "ADDR", 1)), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failures, _, _, _ := diffTraces(tc.strace, tc.mmtrace, t.Logf)
			if len(failures) != tc.failures {
				t.Errorf("%d failures, want %d: %q", len(failures), tc.failures, failures)
			}
		})
	}
}
