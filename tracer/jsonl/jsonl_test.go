package jsonl_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// obj is one decoded line; numbers stay json.Number so that 64-bit
// values compare exactly.
type obj map[string]any

// parse checks that every line is valid UTF-8 and one JSON object of
// schema version 1, and decodes them.
func parse(t testing.TB, out []byte) []obj {
	t.Helper()
	var objs []obj
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		b := sc.Bytes()
		if !utf8.Valid(b) {
			t.Fatalf("line is not UTF-8: %q", b)
		}
		if !json.Valid(b) {
			t.Fatalf("line is not JSON: %s", b)
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var o obj
		if err := d.Decode(&o); err != nil {
			t.Fatalf("line %s: %v", b, err)
		}
		if o["v"] != json.Number("1") {
			t.Fatalf("line without \"v\":1: %s", b)
		}
		for _, k := range []string{"type", "time", "pid", "tid"} {
			if _, ok := o[k]; !ok {
				t.Fatalf("line without %q: %s", k, b)
			}
		}
		objs = append(objs, o)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return objs
}

func (o obj) str(k string) string {
	s, _ := o[k].(string)
	return s
}

func (o obj) int(k string) int64 {
	n, _ := o[k].(json.Number)
	v, _ := n.Int64()
	return v
}

func (o obj) args() []string {
	var out []string
	a, _ := o["args"].([]any)
	for _, x := range a {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func (o obj) raw(i int) string {
	a, _ := o["args_raw"].([]any)
	if i >= len(a) {
		return ""
	}
	return string(a[i].(json.Number))
}

// find returns the lines of type typ (and call name, for calls).
func find(objs []obj, typ, name string) []obj {
	var out []obj
	for _, o := range objs {
		if o.str("type") == typ && (name == "" || o.str("name") == name) {
			out = append(out, o)
		}
	}
	return out
}

func TestLesson(t *testing.T) {
	var buf bytes.Buffer
	w := jsonl.New(&buf, jsonl.Options{})
	res := traceLesson(t, w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, buf.Bytes())
	root := int64(res.Pid)

	// The shared mapping of 4 bytes, with its raw arguments as numbers.
	var mapped obj
	for _, o := range find(objs, "call", "mmap") {
		if o.raw(1) == "4" && o.str("errno") == "" && o.int("pid") == root {
			mapped = o
			break
		}
	}
	if mapped == nil {
		t.Fatalf("no successful mmap of 4 bytes:\n%s", buf.String())
	}
	if a := mapped.args(); len(a) != 6 || a[0] != "NULL" || a[1] != "4" || a[3] != "MAP_SHARED" {
		t.Errorf("mmap args %q", a)
	}
	if mapped.raw(0) != "0" || mapped.raw(3) != "1" { // MAP_SHARED
		t.Errorf("mmap args_raw %v", mapped["args_raw"])
	}
	if !strings.HasPrefix(mapped.str("result"), "0x") || mapped.int("ret") <= 0 {
		t.Errorf("mmap result %q ret %v", mapped.str("result"), mapped["ret"])
	}
	if _, ok := mapped["dur"]; !ok {
		t.Errorf("call without dur: %v", mapped)
	}

	// The notes' mistakes fail with their errno.
	errnos := map[string]int{}
	for _, o := range find(objs, "call", "") {
		if e := o.str("errno"); e != "" {
			errnos[o.str("name")+" "+e]++
			if o.int("ret") >= 0 || !strings.HasPrefix(o.str("result"), "-1 "+e) {
				t.Errorf("failed call: ret %v result %q", o["ret"], o.str("result"))
			}
		}
	}
	for _, want := range []string{"mmap EINVAL", "munmap EINVAL", "mmap EACCES"} {
		if errnos[want] == 0 {
			t.Errorf("no %s line; errors seen: %v", want, errnos)
		}
	}

	// Two children, one killed by SIGTERM after the signal's delivery.
	spawns := find(objs, "spawn", "")
	if len(spawns) != 2 {
		t.Fatalf("%d spawn lines, want 2", len(spawns))
	}
	killed := spawns[1].int("child")
	if spawns[1].int("parent") != root || spawns[1]["thread"] != false {
		t.Errorf("spawn line %v", spawns[1])
	}
	var sawSignal, sawKill bool
	for _, o := range objs {
		switch {
		case o.str("type") == "signal" && o.int("pid") == killed:
			si, _ := o["siginfo"].(map[string]any)
			if o.str("signal") != "SIGTERM" || si == nil || si["code"] != "SI_USER" || si["pid"] != json.Number(o["pid"].(json.Number)) {
				t.Errorf("signal line %v", o)
			}
			sawSignal = true
		case o.str("type") == "exit" && o.int("pid") == killed:
			if o.str("signal") != "SIGTERM" || o["code"] != nil || o["leader"] != true {
				t.Errorf("exit line of the killed child %v", o)
			}
			sawKill = true
		case o.str("type") == "exit" && o.int("pid") == root:
			if o["code"] != json.Number("3") {
				t.Errorf("root's exit line %v", o)
			}
		}
	}
	if !sawSignal || !sawKill {
		t.Errorf("killed child: signal line %v, exit line %v", sawSignal, sawKill)
	}

	// exit_group never returns: one line each, unfinished, before the
	// thread's exit line.
	groups := find(objs, "call", "exit_group")
	if len(groups) != 2 {
		t.Errorf("%d exit_group lines, want 2 (root and first child)", len(groups))
	}
	for _, o := range groups {
		if o["unfinished"] != true || o["result"] != nil || o["ret"] != nil {
			t.Errorf("exit_group line %v", o)
		}
	}
	wantOrder(t, objs, root)
}

// wantOrder checks that each thread's call lines come in the order of
// their entry times and do not overlap.
func wantOrder(t *testing.T, objs []obj, root int64) {
	t.Helper()
	end := map[int64]float64{}
	for _, o := range find(objs, "call", "") {
		tm, _ := o["time"].(json.Number).Float64()
		d, _ := o["dur"].(json.Number).Float64()
		tid := o.int("tid")
		if tm+1e-9 < end[tid] {
			t.Errorf("tid %d: %s at %v starts before the previous call ended (%v)", tid, o.str("name"), tm, end[tid])
		}
		end[tid] = tm + d
	}
	if len(end) == 0 {
		t.Error("no calls")
	}
}

func TestCopy(t *testing.T) {
	var buf bytes.Buffer
	w := jsonl.New(&buf, jsonl.Options{Enter: true})
	res := traceCopy(t, "5", w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, buf.Bytes())
	children := map[int64]bool{}
	for _, o := range find(objs, "spawn", "") {
		children[o.int("child")] = true
	}
	if len(children) != 5 {
		t.Fatalf("%d children, want 5", len(children))
	}
	reaped := 0
	for _, o := range find(objs, "call", "wait4") {
		if children[o.int("ret")] {
			reaped++
		}
	}
	if reaped != 5 {
		t.Errorf("%d children reaped by wait4, want 5", reaped)
	}
	for _, o := range find(objs, "call", "write") {
		if a := o.args(); len(a) != 3 || !strings.Contains(a[1], "copies bytes [") {
			t.Errorf("child's write %q", a)
		}
	}
	exits := 0
	for _, o := range find(objs, "exit", "") {
		if o["leader"] == true && o["code"] == json.Number("0") {
			exits++
		}
	}
	if exits != 6 {
		t.Errorf("%d processes exited with 0, want 6", exits)
	}
	// With Enter, every call line has an enter line before it.
	enters := len(find(objs, "enter", ""))
	if calls := len(find(objs, "call", "")); enters != calls {
		t.Errorf("%d enter lines, %d call lines", enters, calls)
	}
	wantOrder(t, objs, int64(res.Pid))
}

// fakeMem is a tracee's memory: byte strings at fixed addresses.
type fakeMem map[uint64][]byte

func (m fakeMem) Read(addr uint64, p []byte) (int, error) {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, syscall.EFAULT
}

// newCall makes a call of the host's ABI as the tracer does at entry.
func newCall(t testing.TB, name string, mem sys.Memory, args ...uint64) *sys.Call {
	nr, ok := sys.Number(sys.HostArch(), name)
	if !ok {
		t.Skipf("no %s on this ABI", name)
	}
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.HostArch(), nr, a)
	c.Enter(mem, &sys.Options{})
	return c
}

func TestUnfinishedAndSuperseded(t *testing.T) {
	var buf bytes.Buffer
	w := jsonl.New(&buf, jsonl.Options{})
	mem := fakeMem{0x1000: []byte("/bin/true\x00")}
	ev := func(k tracer.Kind, ms, pid, tid int, c *sys.Call) *tracer.Event {
		return &tracer.Event{Kind: k, Time: time.Duration(ms) * time.Millisecond, Pid: pid, Tid: tid, Call: c}
	}
	// Thread 11 of process 10 execs while the leader is in wait4.
	wait := newCall(t, "wait4", mem, ^uint64(0))
	w.Event(ev(tracer.CallEnter, 1, 10, 10, wait))
	exec := newCall(t, "execve", mem, 0x1000)
	w.Event(ev(tracer.CallEnter, 2, 10, 11, exec))
	sup := ev(tracer.Superseded, 3, 10, 11, nil)
	sup.OldTid = 11
	w.Event(sup)
	exec.Exit(mem, 0, &sys.Options{})
	w.Event(ev(tracer.CallExit, 4, 10, 10, exec))
	// A call in flight when the trace is cut short.
	w.Event(ev(tracer.CallEnter, 5, 10, 10, newCall(t, "exit_group", mem, 0)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, buf.Bytes())
	var got []string
	for _, o := range objs {
		s := o.str("type") + " " + o.str("name") + " tid=" + string(o["tid"].(json.Number))
		if o["unfinished"] == true {
			s += " unfinished"
		}
		got = append(got, s)
	}
	want := []string{
		"call wait4 tid=10 unfinished",
		"superseded  tid=11",
		"call execve tid=10",
		"call exit_group tid=10 unfinished",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s\n\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), buf.String())
	}
	if a := objs[2].args(); len(a) == 0 || a[0] != `"/bin/true"` {
		t.Errorf("execve args %q", a)
	}
	if objs[2]["time"] != json.Number("0.002000000") || objs[2]["dur"] != json.Number("0.002000000") {
		t.Errorf("execve time %v dur %v", objs[2]["time"], objs[2]["dur"])
	}
}

// FuzzLines feeds arbitrary bytes through every path that puts a string on
// a line: a path and a write buffer read from tracee memory by the
// decoders, a call's name, the notes, and a signal; every line must stay
// valid JSON and valid UTF-8.
func FuzzLines(f *testing.F) {
	f.Add([]byte("/tmp/dd.txt"), "mmap")
	f.Add([]byte("\xff\xfe\x00abc\"\\\n\t\u2028"), "\xc3")
	f.Add([]byte("caf\xc3\xa9 \xe2\x82"), "explain: <b>&</b>")
	f.Fuzz(func(t *testing.T, data []byte, s string) {
		var buf bytes.Buffer
		w := jsonl.New(&buf, jsonl.Options{Enter: true})
		path := append(append([]byte(nil), data...), 0)
		mem := fakeMem{0x1000: path, 0x2000: data}
		open := newCall(t, "openat", mem, uint64(^uint32(99)), 0x1000, 0)
		e := &tracer.Event{Kind: tracer.CallEnter, Pid: 1, Tid: 1, Call: open, Notes: []string{s, string(data)}}
		w.Event(e)
		open.Exit(mem, 3, &sys.Options{StringLimit: 1 << 10})
		e.Kind = tracer.CallExit
		w.Event(e)

		write := newCall(t, "write", mem, 1, 0x2000, uint64(len(data)))
		write.Name = s
		w.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 1, Tid: 1, Call: write})
		write.Exit(mem, -int64(syscall.EFAULT), &sys.Options{})
		w.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 1, Tid: 1, Call: write, Notes: []string{s}})

		w.Event(&tracer.Event{Kind: tracer.Signal, Pid: 1, Tid: 1, Signal: syscall.SIGBUS,
			Siginfo: sys.ParseSiginfo(append(data, make([]byte, 128)...)), Notes: []string{string(data)}})
		w.Event(&tracer.Event{Kind: tracer.Exit, Pid: 1, Tid: 1, KilledBy: syscall.SIGBUS, Leader: true, Notes: []string{s}})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if n := len(parse(t, buf.Bytes())); n != 6 {
			t.Fatalf("%d lines, want 6:\n%s", n, buf.String())
		}
	})
}
