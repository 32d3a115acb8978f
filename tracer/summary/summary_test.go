package summary_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/summary"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// table is the printed summary, split into its two tables.
type table struct {
	calls map[string]callRow
	order []string // call names as printed
	total callRow
	procs map[int]string // pid -> the rest of its line
}

type callRow struct {
	pct, secs    float64
	usecs, calls int
	errors       int
}

var callLine = regexp.MustCompile(`^\s*(\d+\.\d\d)\s+(\d+\.\d{6})\s+(\d+)\s+(\d+)\s+(\d*)\s+(\S+)$`)

func parseTable(t *testing.T, out string) table {
	t.Helper()
	calls, procs, ok := strings.Cut(out, "\n\n")
	if !ok {
		t.Fatalf("no blank line between the tables:\n%s", out)
	}
	lines := strings.Split(calls, "\n")
	if lines[0] != "% time     seconds  usecs/call     calls    errors syscall" {
		t.Errorf("calls header %q is not strace -c's", lines[0])
	}
	tb := table{calls: map[string]callRow{}, procs: map[int]string{}}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "------") {
			continue
		}
		m := callLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("call line %q", l)
		}
		var r callRow
		r.pct, _ = strconv.ParseFloat(m[1], 64)
		r.secs, _ = strconv.ParseFloat(m[2], 64)
		r.usecs, _ = strconv.Atoi(m[3])
		r.calls, _ = strconv.Atoi(m[4])
		r.errors, _ = strconv.Atoi(m[5])
		if m[6] == "total" {
			tb.total = r
			continue
		}
		tb.calls[m[6]] = r
		tb.order = append(tb.order, m[6])
	}
	for _, l := range strings.Split(strings.TrimSpace(procs), "\n")[1:] {
		f := strings.Fields(l)
		pid, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("process line %q", l)
		}
		tb.procs[pid] = strings.Join(f[1:], " ")
	}
	return tb
}

// check checks what holds of every summary: sorted by time, the total
// adds up, the percentages too.
func (tb table) check(t *testing.T) {
	t.Helper()
	calls, errs, pct := 0, 0, 0.0
	for i, name := range tb.order {
		r := tb.calls[name]
		calls += r.calls
		errs += r.errors
		pct += r.pct
		if i > 0 && r.secs > tb.calls[tb.order[i-1]].secs {
			t.Errorf("%s (%v s) after %s (%v s): not sorted by time", name, r.secs, tb.order[i-1], tb.calls[tb.order[i-1]].secs)
		}
	}
	if calls != tb.total.calls || errs != tb.total.errors {
		t.Errorf("total %d calls %d errors; rows add up to %d, %d", tb.total.calls, tb.total.errors, calls, errs)
	}
	if tb.total.secs > 0 && (pct < 99.5 || pct > 100.5) {
		t.Errorf("percentages add up to %v", pct)
	}
}

func TestLesson(t *testing.T) {
	s := summary.New(nil, summary.Options{Faults: true})
	rec := &testutil.Record{}
	res := traceLesson(t, rec, s)
	var out bytes.Buffer
	if err := s.Write(&out); err != nil {
		t.Fatal(err)
	}
	tb := parseTable(t, out.String())
	tb.check(t)

	// What the record says the table must say.
	want := map[string]*callRow{}
	mmaps := 0
	for _, e := range rec.Events {
		if e.Kind == tracer.CallExit || e.Kind == tracer.Exit && e.Call != nil {
			r := want[e.Call.Name]
			if r == nil {
				r = &callRow{}
				want[e.Call.Name] = r
			}
			r.calls++
			if e.Call.Errno() != 0 {
				r.errors++
			}
			if e.Pid == res.Pid && e.Call.Name == "mmap" && e.Call.Errno() == 0 && e.Call.Done {
				mmaps++
			}
		}
	}
	for name, w := range want {
		if got := tb.calls[name]; got.calls != w.calls || got.errors != w.errors {
			t.Errorf("%s: %d calls %d errors, want %d and %d\n%s", name, got.calls, got.errors, w.calls, w.errors, out.String())
		}
	}
	if tb.calls["mmap"].errors != 2 || tb.calls["munmap"].errors != 1 {
		t.Errorf("the notes' mistakes: mmap %d errors (want 2), munmap %d (want 1)", tb.calls["mmap"].errors, tb.calls["munmap"].errors)
	}
	if len(tb.procs) != 3 {
		t.Fatalf("%d processes, want 3:\n%s", len(tb.procs), out.String())
	}
	root := tb.procs[res.Pid]
	if !strings.HasPrefix(root, "exited with 3 ") || !strings.HasSuffix(root, " in "+strconv.Itoa(mmaps)+" mmaps") {
		t.Errorf("root's line %q, want exit 3 and %d mmaps", root, mmaps)
	}
	var killed, clean int
	minflt := regexp.MustCompile(` (\d+)/\d+ `)
	for pid, l := range tb.procs {
		switch {
		case strings.HasPrefix(l, "killed by SIGTERM "):
			killed++
		case pid != res.Pid && strings.HasPrefix(l, "exited with 0 "):
			clean++
		}
		if m := minflt.FindStringSubmatch(l); m == nil || m[1] == "0" {
			t.Errorf("process %d: no minor faults in %q", pid, l)
		}
	}
	if killed != 1 || clean != 1 {
		t.Errorf("children: %d killed by SIGTERM, %d exited with 0; want 1 and 1\n%s", killed, clean, out.String())
	}
}

func TestCopy(t *testing.T) {
	var out bytes.Buffer
	s := summary.New(&out, summary.Options{})
	res := traceCopy(t, "5", s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	tb := parseTable(t, out.String())
	tb.check(t)
	for name, n := range map[string]int{testutil.ForkCall(): 5, "wait4": 5, "write": 5, "mmap": 2, "munmap": 2, "exit_group": 6} {
		if got := tb.calls[name].calls; got < n {
			t.Errorf("%s: %d calls, want %d at least\n%s", name, got, n, out.String())
		}
	}
	if len(tb.procs) != 6 {
		t.Errorf("%d processes, want 6:\n%s", len(tb.procs), out.String())
	}
	if got := tb.procs[res.Pid]; got != "exited with 0 2 MiB in 2 mmaps" {
		t.Errorf("root: %q", got)
	}
	for pid, l := range tb.procs {
		if pid != res.Pid && l != "exited with 0 0" {
			t.Errorf("child %d: %q, want exited with 0 and nothing mapped", pid, l)
		}
	}
}

// formatTrace feeds s a made-up trace: three mmaps (one fails), a fork,
// a child killed by SIGBUS with a core dump.
func formatTrace(t *testing.T, s *summary.Summary) {
	t.Helper()
	arch := sys.HostArch()
	call := func(name string, args ...uint64) *sys.Call {
		nr, ok := sys.Number(arch, name)
		if !ok {
			t.Skipf("no %s here", name)
		}
		var a [6]uint64
		copy(a[:], args)
		return sys.NewCall(arch, nr, a)
	}
	at := time.Duration(0)
	run := func(pid int, c *sys.Call, d time.Duration, ret int64) {
		s.Event(&tracer.Event{Kind: tracer.CallEnter, Time: at, Pid: pid, Tid: pid, Call: c})
		at += d
		if ret != 1 {
			c.Exit(nil, ret, nil)
			s.Event(&tracer.Event{Kind: tracer.CallExit, Time: at, Pid: pid, Tid: pid, Call: c})
		}
	}
	run(10, call("mmap", 0, 4096), 300*time.Microsecond, 0x7f0000000000)
	run(10, call("mmap", 0, 1<<20), 100*time.Microsecond, 0x7f0000100000)
	run(10, call("mmap", 0, 0), 100*time.Microsecond, -int64(syscall.EINVAL))
	run(10, call("fork"), 600*time.Microsecond, 11)
	s.Event(&tracer.Event{Kind: tracer.Spawn, Time: at, Pid: 10, Tid: 10, Child: 11})
	run(11, call("exit_group", 0), 10*time.Microsecond, 1)
	s.Event(&tracer.Event{Kind: tracer.Exit, Time: at, Pid: 11, Tid: 11, KilledBy: syscall.SIGBUS, CoreDumped: true, Leader: true})
	s.Event(&tracer.Event{Kind: tracer.Exit, Time: at, Pid: 10, Tid: 10, ExitCode: 0, Leader: true})
}

// TestFormat checks the exact text on a made-up trace.
func TestFormat(t *testing.T) {
	var out bytes.Buffer
	s := summary.New(&out, summary.Options{})
	formatTrace(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 54.55    0.000600         600         1           fork
 45.45    0.000500         166         3         1 mmap
  0.00    0.000000           0         1           exit_group
------ ----------- ----------- --------- --------- ----------------
100.00    0.001100         220         5         1 total

     pid  exit                            mapped
      10  exited with 0                   1.0 MiB in 2 mmaps
      11  killed by SIGBUS (core dumped)  0
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestFormatChinese: under --lang zh the headings and how each process
// ended are Chinese, in the same columns (a Chinese character takes two).
func TestFormatChinese(t *testing.T) {
	var out bytes.Buffer
	s := summary.New(&out, summary.Options{Lang: explain.ZH})
	formatTrace(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := ` 时间%          秒     微秒/次  调用次数      错误 系统调用
------ ----------- ----------- --------- --------- ----------------
 54.55    0.000600         600         1           fork
 45.45    0.000500         166         3         1 mmap
  0.00    0.000000           0         1           exit_group
------ ----------- ----------- --------- --------- ----------------
100.00    0.001100         220         5         1 合计

    进程  结束方式                              映射
      10  以状态 0 退出                         2 次 mmap，共 1.0 MiB
      11  被 SIGBUS 信号终止（已生成核心转储）  0
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestDetached: a process the trace let go (-b execve, --follow threads)
// is said to be let go, not still running, in both languages, and its
// execve in flight counts as a call.
func TestDetached(t *testing.T) {
	arch := sys.HostArch()
	nr, ok := sys.Number(arch, "execve")
	if !ok {
		t.Skip("no execve here")
	}
	for _, tc := range []struct {
		lang explain.Lang
		want string
	}{
		{explain.EN, "let go, untraced"},
		{explain.ZH, "已放开，不再跟踪"},
	} {
		var out bytes.Buffer
		s := summary.New(&out, summary.Options{Lang: tc.lang})
		s.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
		s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 11, Tid: 11, Call: sys.NewCall(arch, nr, [6]uint64{})})
		s.Event(&tracer.Event{Kind: tracer.Detached, Pid: 11, Tid: 11})
		s.Event(&tracer.Event{Kind: tracer.Exit, Pid: 10, Tid: 10, Leader: true})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^\s+11  `+tc.want).MatchString(out.String()) ||
			!regexp.MustCompile(`(?m)^.*\s1\s+execve$`).MatchString(out.String()) {
			t.Errorf("%s: process 11 not %q, or not 1 execve:\n%s", tc.lang, tc.want, out.String())
		}
	}
}
