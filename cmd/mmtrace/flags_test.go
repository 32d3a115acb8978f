package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer/model"
)

// TestTraceFlags runs mmtrace run with each display flag and checks its
// mark on the timeline (written with -o, as a file never gets colour
// unless asked).
func TestTraceFlags(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		want  string // a regexp the timeline must match
		not   string // a regexp it must not match
	}{
		{"default", nil, `(?m)^\d+ +\d+\.\d{6} close\(`, `\x1b\[`},
		{"-e trace=", []string{"-e", "trace=openat"}, `openat\(`, `close\(`},
		{"-e %class", []string{"-e", "trace=%memory"}, `mmap\(`, `openat\(`},
		{"-e negated", []string{"-e", "trace=!close"}, `openat\(`, `close\(`},
		{"-a", []string{"-a"}, `brk\(`, ``},
		{"-s", []string{"-a", "-s", "4"}, `read\(\d+, "hell"\.\.\., `, ``},
		{"-t", []string{"-t"}, `(?m)^\d+ +\d\d:\d\d:\d\d close\(`, ``},
		{"-tt", []string{"-tt"}, `(?m)^\d+ +\d\d:\d\d:\d\d\.\d{6} close\(`, ``},
		{"-ttt", []string{"-ttt"}, `(?m)^\d+ +\d{10}\.\d{6} close\(`, ``},
		{"-r", []string{"-r"}, `(?m)^\d+ +\d+\.\d{6} close\(`, ``},
		{"-T", []string{"-T"}, `close\(\d+\) = 0 <\d+\.\d{6}>`, ``},
		{"--color=always", []string{"--color=always"}, `\x1b\[1;31m-1 ENOENT`, ``},
		{"--color=never", []string{"--color=never"}, `ENOENT`, `\x1b\[`},
		{"--no-fold", []string{"--no-fold"}, `close\(`, `repeated`},
		{"--seccomp=false", []string{"--seccomp=false"}, `close\(`, ``},
		{"--pin-cpu=never", []string{"--pin-cpu=never"}, `close\(`, ``},
		{"--json", []string{"--json"}, `(?m)^\{"v":1,.*"name":"close"`, `(?m)^\d+ `},
		{"-c", []string{"-c"}, `(?m)^% time +seconds +usecs/call +calls +errors syscall$`, `(?m)^\d+ +\d+\.\d+ close`},
		{"-C", []string{"-C"}, `(?s)close\(.*% time +seconds`, ``},
		{"-q", []string{"-q"}, `close\(`, `(?m)^ +> `},
		{"explanations", nil, `(?m)^ +> `, ``},
		{"--lang zh", []string{"--lang", "zh"}, `文件描述符`, ``},
		{"--maps", []string{"--maps"}, `> mappings of \d+:`, ``},
		{"--faults", []string{"--faults"}, `page fault`, ``},
		{"--stable", []string{"--stable"}, `(?m)^P1 close\(`, `0x[0-9a-f]{6,}`},
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.txt")
	if err := os.WriteFile(src, []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "timeline")
			args := append([]string{"run", "-o", out}, tc.flags...)
			// cat reads the file (read's buffer shows -s), and a missing
			// one fails with ENOENT (the colour of an error).
			args = append(args, "--", "sh", "-c", "cat "+src+" /nonexistent; exit 0")
			_, stderr, status := mmtrace(t, args...)
			if status != 0 {
				t.Fatalf("status %d\n%s", status, stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tc.want).Match(b) {
				t.Errorf("timeline does not match %q:\n%s", tc.want, b)
			}
			if tc.not != "" && regexp.MustCompile(tc.not).Match(b) {
				t.Errorf("timeline matches %q:\n%s", tc.not, b)
			}
		})
	}
}

// TestBadFlagValues: every invalid value is a usage error, status 2, with
// a one-line message naming the flag.
func TestBadFlagValues(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--color=sometimes"}, "--color"},
		{[]string{"--pin-cpu=maybe"}, "--pin-cpu"},
		{[]string{"-r", "-t"}, "-r and -t"},
		{[]string{"-s", "x"}, "string-limit"},
		{[]string{"-e", "trace=nosuchcall"}, "nosuchcall"},
		{[]string{"-a", "-e", "trace=mmap"}, "-a and -e"},
		{[]string{"--seccomp=perhaps"}, "seccomp"},
		{[]string{"-p", "x"}, "attach"},
		{[]string{"-c", "-C"}, "-c and -C"},
		{[]string{"--json", "-C"}, "--json"},
		{[]string{"--lang", "fr"}, "--lang"},
		{[]string{"--faults", "--no-faults"}, "--faults"},
		{[]string{"--perfetto", "/nonexistent/dir/x.json"}, "--perfetto /nonexistent/dir/x.json: no directory /nonexistent/dir"},
		{[]string{"-o", "/nonexistent/dir/timeline"}, "-o /nonexistent/dir/timeline: no directory /nonexistent/dir"},
		{[]string{"-o", "/"}, "-o /: is a directory"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, status := mmtrace(t, append(append([]string{"run"}, tc.args...), "--", "true")...)
			if status != 2 {
				t.Errorf("status %d, want 2\n%s", status, stderr)
			}
			if !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr does not name %q:\n%s", tc.msg, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !strings.Contains(stderr, "Usage") {
				t.Errorf("more than one line:\n%s", stderr)
			}
		})
	}
}

// TestPictureOutputs writes --perfetto and --svg files next to the
// timeline and checks each is what it claims to be.
func TestPictureOutputs(t *testing.T) {
	dir := t.TempDir()
	pf, sv := filepath.Join(dir, "trace.json"), filepath.Join(dir, "trace.svg")
	_, stderr, status := mmtrace(t, "fork-shared", "-o", filepath.Join(dir, "timeline"), "--perfetto", pf, "--svg", sv)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	b, err := os.ReadFile(pf)
	if err != nil || !json.Valid(b) || !strings.Contains(string(b), `"traceEvents"`) {
		t.Errorf("perfetto file: %v, %.200s", err, b)
	}
	b, err = os.ReadFile(sv)
	if err != nil || !strings.Contains(string(b), "<svg") || strings.Count(string(b), `class="lane"`) != 2 {
		t.Errorf("svg file: %v, %d lanes", err, strings.Count(string(b), `class="lane"`))
	}
	if !strings.Contains(string(b), ">mmtrace: fork-shared<") || strings.Contains(string(b), "mmtrace: mmtrace") {
		t.Errorf("svg title: want \"mmtrace: fork-shared\" once")
	}
}

// TestScenarioFlags covers the flags only scenarios take or default
// differently: --keep, --faults by default, --no-faults, and --step, which
// needs a terminal.
func TestScenarioFlags(t *testing.T) {
	t.Run("--keep", func(t *testing.T) {
		_, stderr, status := mmtrace(t, "write", "--keep", "-q")
		if status != 0 {
			t.Fatalf("status %d\n%s", status, stderr)
		}
		m := regexp.MustCompile(`keeps its files in (\S+)`).FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no kept directory named:\n%s", stderr)
		}
		defer os.RemoveAll(m[1])
		if b, err := os.ReadFile(filepath.Join(m[1], "dd.txt")); err != nil || string(b) != "abc\x00" {
			t.Errorf("kept dd.txt: %q, %v", b, err)
		}
	})
	t.Run("no --keep", func(t *testing.T) {
		_, stderr, _ := mmtrace(t, "write", "-q")
		m := regexp.MustCompile(`(/\S+)/dd\.txt now holds`).FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no file named:\n%s", stderr)
		}
		if _, err := os.Stat(m[1]); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", m[1], err)
		}
	})
	t.Run("faults by default, --no-faults", func(t *testing.T) {
		_, with, _ := mmtrace(t, "write")
		_, without, _ := mmtrace(t, "write", "--no-faults")
		if !strings.Contains(with, "page fault") {
			t.Errorf("a scenario shows no faults by default:\n%s", with)
		}
		if strings.Contains(without, "page fault") || !strings.Contains(without, "> 1 page of dd.txt") {
			t.Errorf("--no-faults:\n%s", without)
		}
	})
	t.Run("--step without a terminal", func(t *testing.T) {
		_, stderr, status := mmtrace(t, "write", "--step")
		if status != 2 || !strings.Contains(stderr, "--step") || !strings.Contains(stderr, "terminal") {
			t.Errorf("status %d\n%s", status, stderr)
		}
	})
}

// TestModelOnlyWhenRead: the address-space model is a sink of the
// pipeline exactly when another sink reads it. Applied for nothing (-q and
// no view), it read each new process's maps and fds in /proc: about 5% of
// the samples of a filtered git status trace (perf record, 30 runs).
func TestModelOnlyWhenRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		flags []string
		model bool
	}{
		{[]string{"-q"}, false},
		{[]string{"-q", "--json"}, false},
		{[]string{"-q", "-a"}, false},
		{nil, true}, // explanations
		{[]string{"--faults"}, true},
		{[]string{"-q", "-c"}, true},
		{[]string{"-q", "-C"}, true},
		{[]string{"-q", "--svg", filepath.Join(dir, "p.svg")}, true},
		{[]string{"-q", "--perfetto", filepath.Join(dir, "p.json")}, true},
		{[]string{"-q", "--html", filepath.Join(dir, "p.html")}, true},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.flags, " "), func(t *testing.T) {
			fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
			var tf traceFlags
			tf.register(fs)
			tf.strace.register(fs)
			if err := fs.Parse(append(append([]string{}, tc.flags...), "-o", filepath.Join(dir, "timeline"))); err != nil {
				t.Fatal(err)
			}
			cfg, err := tf.config()
			if err != nil {
				t.Fatal(err)
			}
			p, err := tf.pipeline(cfg, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			defer p.abort()
			has := false
			for _, s := range p.sinks {
				if _, ok := s.(*model.Model); ok {
					has = true
				}
			}
			if has != tc.model {
				t.Errorf("model among the sinks: %v, want %v", has, tc.model)
			}
		})
	}
}
