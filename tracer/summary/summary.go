// Package summary counts a trace's calls as strace -c does and says how
// each process ended: a table of calls by the time spent in them, then a
// table of processes with their exit, page faults and the bytes they
// mapped.
//
// The time of a call is wall time from its entry stop to its exit stop
// (strace -c -w), which under ptrace includes the tracer's own share. A
// call that never returns (exit_group, a thread killed in it) counts as a
// call with no time.
package summary

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options changes what is counted.
type Options struct {
	// Faults adds each process's page faults to the process table. They
	// are read from /proc at every call's entry (through a model.Model),
	// so the count runs to the process's last traced call: exit_group,
	// when it is traced.
	Faults bool
	// Model, when set, is a model the pipeline shares and applies before
	// this sink (see model.Model.Event); nil: the summary keeps its own.
	Model *model.Model
	// Lang is the language of the tables' headings and of how each
	// process ended. English gives strace -c's own headings.
	Lang explain.Lang
	// SortBy orders the calls table as strace -S does: "time" (the
	// default, also for ""), "min-time", "max-time", "avg-time", "calls",
	// "errors", "name" or "nothing" (by syscall number). See SortKeys.
	SortBy string
}

// SortKeys are the orders Options.SortBy takes, strace 6.1's -S values.
var SortKeys = []string{"time", "min-time", "max-time", "avg-time", "calls", "errors", "name", "nothing"}

// Summary is a tracer.Sink that counts the calls and the processes of a
// trace; Write prints the tables.
type Summary struct {
	w   io.Writer
	opt Options

	calls   map[string]*callStat
	entered map[int]inFlight // by tid: the call in flight
	procs   map[int]*procStat
	order   []int // pids in the order first seen
	model   *model.Shared
}

type inFlight struct {
	call *sys.Call
	at   time.Duration
}

type callStat struct {
	name     string
	nr       int // the number it was first seen with, for -S nothing
	calls    int
	errors   int
	time     time.Duration
	min, max time.Duration // the shortest and longest call
}

type procStat struct {
	pid    int
	exited bool
	// detached: the trace let it go (-b execve, --follow threads); how it
	// ends is not seen.
	detached bool
	code     int
	signal   syscall.Signal
	core     bool
	// faults are known once a call of the process was seen with the
	// model on.
	faults         bool
	minflt, majflt uint64
	mapped         uint64 // bytes of the mmaps that succeeded
	mmaps          int
}

// New returns a summary that Close prints to w.
func New(w io.Writer, opt Options) *Summary {
	s := &Summary{
		w: w, opt: opt,
		calls:   map[string]*callStat{},
		entered: map[int]inFlight{},
		procs:   map[int]*procStat{},
	}
	if opt.Faults {
		m := model.Use(opt.Model)
		s.model = &m
	}
	return s
}

// Event counts one event.
func (s *Summary) Event(e *tracer.Event) {
	if e.Kind == tracer.Message {
		return // a line of text: nothing to draw or count
	}
	p := s.proc(e.Pid)
	if s.model != nil {
		s.model.Apply(e)
		if e.Kind == tracer.CallEnter {
			// The model reads the counters at each call's entry; a
			// process that made no call shows "?".
			s.faults(p)
		}
	}
	switch e.Kind {
	case tracer.CallEnter:
		if f, ok := s.entered[e.Tid]; ok {
			// The previous call's exit was lost: it counts, without time.
			s.count(f.call, 0, false)
		}
		s.entered[e.Tid] = inFlight{e.Call, e.Time}
	case tracer.CallExit:
		f, ok := s.entered[e.Tid]
		delete(s.entered, e.Tid)
		var d time.Duration
		if ok {
			d = e.Time - f.at
		}
		c := e.Call
		s.count(c, d, true)
		if c.Name == "mmap" && c.Errno() == 0 && c.Done {
			p.mapped += c.Args[1]
			p.mmaps++
		}
	case tracer.Spawn:
		if !e.Thread {
			s.proc(e.Child)
		}
	case tracer.Exit:
		if f, ok := s.entered[e.Tid]; ok {
			delete(s.entered, e.Tid)
			s.count(f.call, 0, false)
		}
		if e.Leader {
			p.exited, p.code, p.signal, p.core = true, e.ExitCode, e.KilledBy, e.CoreDumped
		}
	case tracer.Detached:
		if f, ok := s.entered[e.Tid]; ok {
			delete(s.entered, e.Tid)
			s.count(f.call, 0, false)
		}
		p.detached = true
	case tracer.Superseded:
		if f, ok := s.entered[e.Pid]; ok {
			// The old leader vanished in its call.
			s.count(f.call, 0, false)
			delete(s.entered, e.Pid)
		}
		if f, ok := s.entered[e.OldTid]; ok {
			delete(s.entered, e.OldTid)
			s.entered[e.Pid] = f
		}
	}
}

func (s *Summary) count(c *sys.Call, d time.Duration, done bool) {
	st := s.calls[c.Name]
	if st == nil {
		st = &callStat{name: c.Name, nr: c.Nr, min: d}
		s.calls[c.Name] = st
	}
	st.calls++
	st.time += d
	st.min, st.max = min(st.min, d), max(st.max, d)
	if done && c.Errno() != 0 {
		st.errors++
	}
}

func (s *Summary) proc(pid int) *procStat {
	p := s.procs[pid]
	if p == nil {
		p = &procStat{pid: pid}
		s.procs[pid] = p
		s.order = append(s.order, pid)
	}
	return p
}

func (s *Summary) faults(p *procStat) {
	if mp := s.model.M.Process(p.pid); mp != nil {
		p.faults, p.minflt, p.majflt = true, mp.MinFlt, mp.MajFlt
	}
}

// Flush does nothing: the tables are printed at the end.
// KeepsNoCalls says the summary counts a call by its name, a string, at its end (tracer.KeepsNoCalls).
func (s *Summary) KeepsNoCalls() {}

func (s *Summary) Flush() error { return nil }

// Close prints the tables to the writer given to New.
func (s *Summary) Close() error { return s.Write(s.w) }

// Write prints the tables to w: the calls as strace -c prints them, sorted
// by time, then the processes in the order they appeared.
func (s *Summary) Write(w io.Writer) error {
	b := bufio.NewWriter(w)
	s.writeCalls(b)
	b.WriteByte('\n')
	s.writeProcs(b)
	return b.Flush()
}

const rule = "------ ----------- ----------- --------- --------- ----------------"

func (s *Summary) writeCalls(b *bufio.Writer) {
	stats := make([]*callStat, 0, len(s.calls))
	total := callStat{name: "total"}
	if s.opt.Lang == explain.ZH {
		total.name = "合计"
	}
	for _, st := range s.calls {
		stats = append(stats, st)
		total.calls += st.calls
		total.errors += st.errors
		total.time += st.time
	}
	slices.SortFunc(stats, func(a, b *callStat) int {
		if c := s.byKey(a, b); c != 0 {
			return c
		}
		switch {
		case a.time != b.time:
			return cmp.Compare(b.time, a.time)
		case a.calls != b.calls:
			return b.calls - a.calls
		}
		return strings.Compare(a.name, b.name)
	})
	if s.opt.Lang == explain.ZH {
		// The same columns, each heading right-aligned in terminal cells.
		fmt.Fprintf(b, "%s %s %s %s %s %s\n", padLeft("时间%", 6), padLeft("秒", 11), padLeft("微秒/次", 11),
			padLeft("调用次数", 9), padLeft("错误", 9), "系统调用")
	} else {
		fmt.Fprintf(b, "%6s %11s %11s %9s %9s %s\n", "% time", "seconds", "usecs/call", "calls", "errors", "syscall")
	}
	b.WriteString(rule + "\n")
	for _, st := range stats {
		row(b, st, total.time)
	}
	b.WriteString(rule + "\n")
	row(b, &total, total.time)
}

// byKey compares two rows by the -S key: the largest first, the names
// in alphabetical order, "nothing" by syscall number as strace's table
// is; 0 leaves the order to the default's.
func (s *Summary) byKey(a, b *callStat) int {
	avg := func(st *callStat) time.Duration { return st.time / time.Duration(max(st.calls, 1)) }
	switch s.opt.SortBy {
	case "min-time":
		return cmp.Compare(b.min, a.min)
	case "max-time":
		return cmp.Compare(b.max, a.max)
	case "avg-time":
		return cmp.Compare(avg(b), avg(a))
	case "calls":
		return b.calls - a.calls
	case "errors":
		return b.errors - a.errors
	case "name":
		return strings.Compare(a.name, b.name)
	case "nothing":
		return a.nr - b.nr
	}
	return 0
}

// row prints one line of the calls table as strace does: "%6.2f %11.6f
// %11lu %9u %9.u %s", the errors column blank when there are none.
func row(b *bufio.Writer, st *callStat, total time.Duration) {
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(st.time) / float64(total)
	}
	var per int64
	if st.calls > 0 {
		per = st.time.Microseconds() / int64(st.calls)
	}
	errs := ""
	if st.errors > 0 {
		errs = fmt.Sprint(st.errors)
	}
	fmt.Fprintf(b, "%6.2f %11.6f %11d %9d %9s %s\n", pct, st.time.Seconds(), per, st.calls, errs, st.name)
}

func (s *Summary) writeProcs(b *bufio.Writer) {
	zh := s.opt.Lang == explain.ZH
	// The exit column is 30 wide, as strace-like tables have it; in
	// Chinese as wide as its widest entry (被 SIGSEGV 信号终止（已生成核心转储）
	// takes 37 cells).
	exitWidth := 30
	if zh {
		for _, pid := range s.order {
			exitWidth = max(exitWidth, cells(s.procs[pid].exit(s.opt.Lang)))
		}
	}
	var head string
	if zh {
		head = padLeft("进程", 8) + "  " + padRight("结束方式", exitWidth)
		if s.opt.Faults {
			head += "  " + padLeft("缺页 次/主", 14)
		}
		b.WriteString(head + "  映射\n")
	} else {
		head = fmt.Sprintf("%8s  %-30s", "pid", "exit")
		if s.opt.Faults {
			head += fmt.Sprintf("  %14s", "faults min/maj")
		}
		b.WriteString(head + "  mapped\n")
	}
	for _, pid := range s.order {
		p := s.procs[pid]
		fmt.Fprintf(b, "%8d  %s", p.pid, padRight(p.exit(s.opt.Lang), exitWidth))
		if s.opt.Faults {
			f := "?"
			if p.faults {
				f = fmt.Sprintf("%d/%d", p.minflt, p.majflt)
			}
			fmt.Fprintf(b, "  %14s", f)
		}
		fmt.Fprintf(b, "  %s\n", mapped(p, s.opt.Lang))
	}
}

// exit says how the process ended, as the text timeline does.
func (p *procStat) exit(l explain.Lang) string {
	if l == explain.ZH {
		switch {
		case !p.exited && p.detached:
			return "已放开，不再跟踪"
		case !p.exited:
			return "仍在运行"
		case p.signal != 0 && p.core:
			return "被 " + sys.SignalName(p.signal) + " 信号终止（已生成核心转储）"
		case p.signal != 0:
			return "被 " + sys.SignalName(p.signal) + " 信号终止"
		}
		return fmt.Sprintf("以状态 %d 退出", p.code)
	}
	switch {
	case !p.exited && p.detached:
		return "let go, untraced"
	case !p.exited:
		return "still running"
	case p.signal != 0 && p.core:
		return "killed by " + sys.SignalName(p.signal) + " (core dumped)"
	case p.signal != 0:
		return "killed by " + sys.SignalName(p.signal)
	}
	return fmt.Sprintf("exited with %d", p.code)
}

func mapped(p *procStat, l explain.Lang) string {
	if p.mmaps == 0 {
		return "0"
	}
	if l == explain.ZH {
		return fmt.Sprintf("%d 次 mmap，共 %s", p.mmaps, model.SizeText(p.mapped))
	}
	n := "mmaps"
	if p.mmaps == 1 {
		n = "mmap"
	}
	return fmt.Sprintf("%s in %d %s", model.SizeText(p.mapped), p.mmaps, n)
}

// cells is how many terminal columns s takes: two for a Chinese character
// or fullwidth punctuation, one for anything else the tables print.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x2e80 && r <= 0x9fff, r >= 0xf900 && r <= 0xfaff, r >= 0xff00 && r <= 0xff60:
			n += 2
		default:
			n++
		}
	}
	return n
}

// padLeft right-aligns s in w cells, as %*s does for ASCII.
func padLeft(s string, w int) string {
	return strings.Repeat(" ", max(w-cells(s), 0)) + s
}

// padRight left-aligns s in w cells, as %-*s does for ASCII.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(w-cells(s), 0))
}
