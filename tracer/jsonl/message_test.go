package jsonl_test

import (
	"bytes"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
)

// TestMessageAndForkLines: a message line carries its text and stream
// (mmtrace's own with pid 0); a call of no arguments (fork) still has its
// "args", empty, as the schema says; a line of another type has none.
func TestMessageAndForkLines(t *testing.T) {
	var buf bytes.Buffer
	w := jsonl.New(&buf, jsonl.Options{})
	fork := newCall(t, "fork", nil)
	w.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: fork})
	w.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	w.Event(&tracer.Event{Kind: tracer.Message, Pid: 11, Tid: 11, FD: 1, Text: `child: stored "hi"`})
	fork.Exit(nil, 11, nil)
	w.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Call: fork})
	w.Event(&tracer.Event{Kind: tracer.Message, Pid: 11, Tid: 11, FD: 2, Text: "child: 中文"})
	w.Event(&tracer.Event{Kind: tracer.Message, Text: "the parent saw it"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	objs := parse(t, buf.Bytes())
	if len(objs) != 5 {
		t.Fatalf("%d lines:\n%s", len(objs), buf.String())
	}
	want := []struct {
		typ, stream, text string
		pid               int64
	}{
		{"spawn", "", "", 10},
		{"message", "stdout", `child: stored "hi"`, 11},
		{"call", "", "", 10},
		{"message", "stderr", "child: 中文", 11},
		{"message", "mmtrace", "the parent saw it", 0},
	}
	for i, w := range want {
		o := objs[i]
		if o.str("type") != w.typ || o.str("stream") != w.stream || o.str("text") != w.text || o.int("pid") != w.pid {
			t.Errorf("line %d: %v, want %+v", i+1, o, w)
		}
		_, hasArgs := o["args"]
		if hasArgs != (w.typ == "call") {
			t.Errorf("line %d (%s) has args: %v", i+1, w.typ, hasArgs)
		}
	}
	if args, ok := objs[2]["args"].([]any); !ok || len(args) != 0 {
		t.Errorf("fork's args: %#v, want []", objs[2]["args"])
	}
}
