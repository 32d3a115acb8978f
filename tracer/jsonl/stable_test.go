package jsonl_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
	"github.com/mmtrace/mmtrace/tracer/stable"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestStableLabels: with Labels, the lines name processes by their labels'
// numbers, addresses by labels, and leave out the raw registers, the
// children's CPU times and the fault address, which vary run to run.
func TestStableLabels(t *testing.T) {
	var out bytes.Buffer
	labels := stable.New()
	w := jsonl.New(&out, jsonl.Options{Labels: labels})
	send := func(e *tracer.Event) {
		labels.Event(e) // first, as in the pipeline: it sets the time
		w.Event(e)
	}
	mmap := newCall(t, "mmap", fakeMem{}, 0, 4096, 3, 1, 3, 0)
	send(&tracer.Event{Kind: tracer.CallEnter, Pid: 4242, Tid: 4242, Call: mmap, Time: time.Second})
	mmap.Exit(fakeMem{}, 0x7f3c1a2b4000, &sys.Options{})
	send(&tracer.Event{Kind: tracer.CallExit, Pid: 4242, Tid: 4242, Call: mmap, Time: 2 * time.Second,
		Notes: []string{"1 page at 0x7f3c1a2b4000"}})
	send(&tracer.Event{Kind: tracer.Spawn, Pid: 4242, Tid: 4242, Child: 4250})
	send(&tracer.Event{Kind: tracer.Signal, Pid: 4242, Tid: 4242, Signal: 17,
		Siginfo: sys.Siginfo{Signo: 17, Code: 1, Pid: 4250, Utime: 3, Stime: 5}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, out.Bytes())
	if len(objs) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(objs), out.String())
	}
	call, spawn, sig := objs[0], objs[1], objs[2]
	for _, o := range objs {
		if o["stable"] != true {
			t.Errorf("not marked stable: %v", o)
		}
		if p := o["pid"]; p == nil || p.(interface{ String() string }).String() != "1" {
			t.Errorf("pid %v, want 1 (P1)", o["pid"])
		}
	}
	if call.str("result") != "A1" || call["ret"] != nil || call["args_raw"] != nil {
		t.Errorf("call: result %q, ret %v, args_raw %v; want A1 and neither number", call.str("result"), call["ret"], call["args_raw"])
	}
	if call["time"].(interface{ String() string }).String() != "0.001000000" {
		t.Errorf("call time %v, want the first event's, 0.001", call["time"])
	}
	if notes := call["notes"].([]any); len(notes) != 1 || notes[0] != "1 page at A1" {
		t.Errorf("notes %v", call["notes"])
	}
	if c := spawn["child"].(interface{ String() string }).String(); c != "2" {
		t.Errorf("spawn child %s, want 2 (P2)", c)
	}
	si := sig["siginfo"].(map[string]any)
	if si["pid"].(interface{ String() string }).String() != "2" || si["utime"] != nil || si["stime"] != nil {
		t.Errorf("siginfo %v: want pid 2 and no CPU times", si)
	}
	if text := si["text"].(string); !strings.Contains(text, "si_pid=P2") || !strings.Contains(text, "si_utime=?") {
		t.Errorf("siginfo text %q", text)
	}
}

// TestStableMessage: a message names a process as "pid N", labelled; its
// other numbers stay numbers even when a process has that id.
func TestStableMessage(t *testing.T) {
	var out bytes.Buffer
	labels := stable.New()
	w := jsonl.New(&out, jsonl.Options{Labels: labels})
	for _, e := range []*tracer.Event{
		{Kind: tracer.Spawn, Pid: 4242, Tid: 4242, Child: 5840},
		{Kind: tracer.Message, Pid: 4242, Tid: 4242, FD: 1, Text: "the reader (pid 5840) saw 5840 bytes"},
	} {
		labels.Event(e)
		w.Event(e)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, out.Bytes())
	if got := objs[len(objs)-1].str("text"); got != "the reader (pid P2) saw 5840 bytes" {
		t.Errorf("message %q, want the pid labelled and the size kept", got)
	}
}
