package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
)

// jsonScenarios are the arguments that make each scenario quick ($T: the
// test's directory).
var jsonScenarios = map[string][]string{
	"ipc":     {"--count", "3", "--interval", "100ms"},
	"waitpid": {"--scale", "0.1"},
	"copy":    {"$T/src.bin", "$T/dst.bin", "-n", "3"},
}

// TestJSONStream runs every scenario with --json and reads its stdout as
// JSON Lines: every line one JSON object in valid UTF-8, with the fields
// docs/json-schema.md says its type has, and nothing else on stdout;
// stderr holds nothing but mmtrace's own one-line messages. What the
// processes printed, and the scenario's report, are message lines in the
// stream. Then the same on a terminal 40 columns wide: no line is cut.
func TestJSONStream(t *testing.T) {
	if testing.Short() {
		t.Skip("traces every scenario")
	}
	for _, sc := range scenarios.All() {
		name := sc.Info().Name
		for _, verbatim := range []bool{false, true} {
			args := []string{name, "--json"}
			label := name
			if verbatim {
				if !hasFlag(sc, "verbatim") {
					continue
				}
				args = append(args, "--verbatim")
				label += "-verbatim"
			}
			t.Run(label, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "src.bin"), bytes.Repeat([]byte("mmap!"), 2000), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, a := range jsonScenarios[name] {
					args = append(args, strings.ReplaceAll(a, "$T", dir))
				}
				cmd := exec.Command(mmtraceBin, args...)
				cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "HOME=" + dir}
				cmd.Dir = dir
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("mmtrace %v: %v\n%s", args, err, stderr.String())
				}
				for _, l := range strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n") {
					if l != "" && !strings.HasPrefix(l, "mmtrace: ") {
						t.Errorf("stderr holds more than mmtrace's own messages: %q", l)
					}
				}
				objs := checkJSONLines(t, stdout.Bytes())
				types := map[string]int{}
				for _, o := range objs {
					types[o["type"].(string)]++
				}
				for _, typ := range []string{"call", "exit", "message"} {
					if types[typ] == 0 {
						t.Errorf("no %s line:\n%s", typ, stdout.String())
					}
				}
				last := objs[len(objs)-1]
				if last["type"] != "message" || last["stream"] != "mmtrace" {
					t.Errorf("the last line is not the scenario's report: %v", last)
				}
			})
		}
	}
	t.Run("terminal", func(t *testing.T) {
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		defer ptmx.Close()
		if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 40}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, mmtraceBin, "pitfalls", "--json")
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm"}
		var stderr bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		tty.Close()
		var screen bytes.Buffer
		done := make(chan struct{})
		go func() { io.Copy(&screen, ptmx); close(done) }()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("mmtrace pitfalls --json: %v\n%s", err, stderr.String())
		}
		<-done
		if stderr.Len() > 0 {
			t.Errorf("stderr: %s", stderr.String())
		}
		// The terminal turns each \n into \r\n; nothing else may change.
		objs := checkJSONLines(t, bytes.ReplaceAll(screen.Bytes(), []byte("\r\n"), []byte("\n")))
		notes := 0
		for _, o := range objs {
			if n, ok := o["notes"].([]any); ok {
				notes += len(n)
			}
		}
		if notes == 0 {
			t.Error("no notes")
		}
	})
}

// hasFlag says whether scenario sc has the flag name.
func hasFlag(sc scenarios.Scenario, name string) bool {
	fs := pflag.NewFlagSet(sc.Info().Name, pflag.ContinueOnError)
	sc.Flags(fs)
	return fs.Lookup(name) != nil
}

// checkJSONLines parses every line of out as one object of the schema
// (docs/json-schema.md, version 1) and checks the fields its type
// requires.
func checkJSONLines(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	if len(out) == 0 {
		t.Fatal("no output")
	}
	if out[len(out)-1] != '\n' {
		t.Errorf("the stream does not end with a newline")
	}
	var objs []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if !utf8.Valid(b) {
			t.Fatalf("line %d is not UTF-8: %q", n, b)
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var o map[string]any
		if err := d.Decode(&o); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", n, err, b)
		}
		if d.More() {
			t.Fatalf("line %d holds more than one value: %s", n, b)
		}
		if err := checkLine(o); err != nil {
			t.Errorf("line %d: %v\n%s", n, err, b)
		}
		objs = append(objs, o)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return objs
}

// The kinds of JSON values the schema names.
type jsonKind int

const (
	jInt jsonKind = iota
	jNum
	jStr
	jBool
	jStrs
	jObj
	jInts6
)

// checkLine checks one line against the schema: the fields every line
// has, those its type must have, those it may have.
func checkLine(o map[string]any) error {
	for k, kind := range map[string]jsonKind{"v": jInt, "type": jStr, "time": jNum, "pid": jInt, "tid": jInt} {
		if err := checkField(o, k, kind, true); err != nil {
			return err
		}
	}
	if o["v"] != json.Number("1") {
		return fmt.Errorf("v is %v, want 1", o["v"])
	}
	if err := checkField(o, "notes", jStrs, false); err != nil {
		return err
	}
	type field struct {
		kind     jsonKind
		required bool
	}
	var fields map[string]field
	switch typ := o["type"]; typ {
	case "call":
		fields = map[string]field{"name": {jStr, true}, "nr": {jInt, true}, "args": {jStrs, true},
			"args_raw": {jInts6, true}, "dur": {jNum, true}, "errno": {jStr, false}, "unfinished": {jBool, false}}
		unfinished := o["unfinished"] == true
		fields["result"] = field{jStr, !unfinished}
		fields["ret"] = field{jInt, !unfinished}
		if _, ok := o["errno"]; ok {
			if r, _ := o["ret"].(json.Number).Int64(); r >= 0 {
				return fmt.Errorf("errno on a call that returned %d", r)
			}
		}
	case "signal":
		fields = map[string]field{"signal": {jStr, true}, "siginfo": {jObj, true}}
		si, _ := o["siginfo"].(map[string]any)
		for _, k := range []string{"signo", "code", "text"} {
			if err := checkField(si, k, jStr, true); err != nil {
				return fmt.Errorf("siginfo: %w", err)
			}
		}
	case "stopped":
		fields = map[string]field{"signal": {jStr, true}}
	case "spawn":
		fields = map[string]field{"parent": {jInt, true}, "child": {jInt, true}, "thread": {jBool, true}}
		if o["parent"] != o["pid"] {
			return fmt.Errorf("parent %v is not pid %v", o["parent"], o["pid"])
		}
	case "exit":
		_, code := o["code"]
		_, sig := o["signal"]
		if code == sig {
			return fmt.Errorf("an exit needs exactly one of code and signal")
		}
		fields = map[string]field{"code": {jInt, false}, "signal": {jStr, false}, "core": {jBool, false}, "leader": {jBool, false}}
	case "superseded":
		fields = map[string]field{"old_tid": {jInt, true}}
	case "message":
		fields = map[string]field{"text": {jStr, true}, "stream": {jStr, true}}
		stream, _ := o["stream"].(string)
		if !slices.Contains([]string{"stdout", "stderr", "mmtrace"}, stream) {
			return fmt.Errorf("stream %q", stream)
		}
		if (stream == "mmtrace") != (o["pid"] == json.Number("0")) {
			return fmt.Errorf("stream %s from pid %v", stream, o["pid"])
		}
		if text, _ := o["text"].(string); strings.ContainsAny(text, "\n\r\x1b") {
			return fmt.Errorf("a control character in the text: %q", text)
		}
	default:
		return fmt.Errorf("type %v is not in the schema", typ)
	}
	for k, f := range fields {
		if err := checkField(o, k, f.kind, f.required); err != nil {
			return err
		}
	}
	for k := range o {
		switch k {
		case "v", "type", "time", "pid", "tid", "notes":
			continue
		}
		if _, ok := fields[k]; !ok {
			return fmt.Errorf("field %q is not in the schema of %v", k, o["type"])
		}
	}
	return nil
}

// checkField checks that o[k] is of kind, and there if required.
func checkField(o map[string]any, k string, kind jsonKind, required bool) error {
	v, ok := o[k]
	if !ok {
		if required {
			return fmt.Errorf("no %q", k)
		}
		return nil
	}
	bad := fmt.Errorf("%q is %#v, not the schema's type", k, v)
	switch kind {
	case jInt:
		n, ok := v.(json.Number)
		if !ok || strings.ContainsAny(string(n), ".eE") {
			return bad
		}
	case jNum:
		if _, ok := v.(json.Number); !ok {
			return bad
		}
	case jStr:
		if _, ok := v.(string); !ok {
			return bad
		}
	case jBool:
		if _, ok := v.(bool); !ok {
			return bad
		}
	case jObj:
		if _, ok := v.(map[string]any); !ok {
			return bad
		}
	case jStrs, jInts6:
		a, ok := v.([]any)
		if !ok || (kind == jInts6 && len(a) != 6) {
			return bad
		}
		for _, e := range a {
			if _, isStr := e.(string); kind == jStrs && !isStr {
				return bad
			}
			if n, isNum := e.(json.Number); kind == jInts6 && (!isNum || strings.ContainsAny(string(n), ".eE-")) {
				return bad
			}
		}
	}
	return nil
}
