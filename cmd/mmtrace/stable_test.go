package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// stableScenarios are every scenario, with arguments that keep each run
// short. $T is the test's directory.
var stableScenarios = []struct {
	name string
	args []string
	// programOutput: what the programs the scenario runs print is not
	// mmtrace's to make the same (ps lists pids and times, ls -l dates):
	// their lines in the timeline and the JSON are left out of the
	// comparison (see withoutProgramOutput).
	programOutput bool
}{
	{"write", nil, false},
	{"fork-shared", nil, false},
	{"fork-private", nil, false},
	{"anon", nil, false},
	{"devzero", nil, false},
	{"ipc", []string{"--count", "2", "--interval", "20ms"}, false},
	{"waitpid", []string{"--scale", "0.02"}, true},
	{"pitfalls", nil, false},
	{"myths", nil, false},
	{"copy", []string{"$T/src.bin", "$T/dst.bin", "-n", "3"}, false},
}

// TestStableSameEveryRun runs every scenario with --stable, 20 times (5
// with -short), in both languages, and wants every output byte for byte
// the same each time: the timeline, the picture (--svg), the JSON Lines
// (--json), and what the scenario writes to stderr (its processes' own
// messages and its closing lines).
func TestStableSameEveryRun(t *testing.T) {
	runs := 20
	if testing.Short() {
		runs = 5
	}
	start := time.Now()
	for _, sc := range stableScenarios {
		for _, lang := range []string{"en", "zh"} {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "src.bin"), bytes.Repeat([]byte("stable!\n"), 3000), 0o644); err != nil {
					t.Fatal(err)
				}
				var args []string
				for _, a := range sc.args {
					args = append(args, strings.ReplaceAll(a, "$T", dir))
				}
				var first map[string]string
				for i := range runs {
					got := stableRun(t, dir, sc.name, lang, args, sc.programOutput)
					if first == nil {
						first = got
						continue
					}
					for _, what := range []string{"timeline", "svg", "json", "stdout", "stderr"} {
						if got[what] != first[what] {
							t.Errorf("run %d: the %s differs from run 1's:\n%s", i+1, what, firstDifference(first[what], got[what]))
						}
					}
					if t.Failed() {
						return
					}
				}
			})
		}
	}
	t.Logf("%d runs of each scenario in each language took %v", runs, time.Since(start).Round(time.Millisecond))
}

// stableRun runs one scenario twice (the timeline and the picture, then
// the JSON Lines) and returns each output by name.
func stableRun(t *testing.T, dir, name, lang string, args []string, programOutput bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	timeline, pic, js := filepath.Join(dir, "timeline"), filepath.Join(dir, "pic.svg"), filepath.Join(dir, "out.jsonl")
	for _, extra := range [][]string{{"-o", timeline, "--svg", pic}, {"--json", "-o", js}} {
		os.Remove(filepath.Join(dir, "dst.bin"))
		a := append([]string{name, "--stable", "--lang", lang}, extra...)
		a = append(a, args...)
		cmd := exec.Command(mmtraceBin, a...)
		cmd.Dir = dir
		// A fixed environment: execve prints how many variables.
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C"}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("mmtrace %s: %v\n%s", strings.Join(a, " "), err, stderr.String())
		}
		if !programOutput {
			out["stdout"] += stdout.String()
		}
		out["stderr"] += stderr.String()
	}
	for what, path := range map[string]string{"timeline": timeline, "svg": pic, "json": js} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[what] = strings.ReplaceAll(string(b), dir, "$T")
		if programOutput && what != "svg" {
			out[what] = withoutProgramOutput(t, out[what], what == "json")
		}
	}
	return out
}

// withoutProgramOutput leaves out of a --stable timeline, or its JSON
// Lines, the lines a process printed after it replaced itself with
// another program (execve returned 0): that program's own output. What
// the scenario's own processes print stays, and must be the same.
func withoutProgramOutput(t *testing.T, s string, isJSON bool) string {
	t.Helper()
	var (
		execed   = regexp.MustCompile(`^(P\d+) (?:execve\(|<\.\.\. execve resumed>).*\) = 0$`)
		printed  = regexp.MustCompile(`^(P\d+) (?:stdout|stderr): `)
		replaced = map[string]bool{}
		kept     []string
	)
	for _, l := range strings.SplitAfter(s, "\n") {
		if isJSON {
			var o struct {
				Type string
				Name string
				Pid  int
				Ret  *int64
			}
			if err := json.Unmarshal([]byte(l), &o); err != nil && strings.TrimSpace(l) != "" {
				t.Fatalf("not JSON: %v\n%s", err, l)
			}
			who := fmt.Sprint(o.Pid)
			if o.Type == "call" && o.Name == "execve" && o.Ret != nil && *o.Ret == 0 {
				replaced[who] = true
			}
			if o.Type == "message" && replaced[who] {
				continue
			}
		} else {
			line := strings.TrimSuffix(l, "\n")
			if m := execed.FindStringSubmatch(line); m != nil {
				replaced[m[1]] = true
			}
			if m := printed.FindStringSubmatch(line); m != nil && replaced[m[1]] {
				continue
			}
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "")
}

// firstDifference shows the first line where two outputs differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  was: %.300s\n  now: %.300s\n  run 1 there:\n%s  this run there:\n%s", i+1, x, y, around(al, i), around(bl, i))
		}
	}
	return "(the same lines)"
}

// around returns the lines of ls from 8 before i to 4 after, each cut at
// 300 bytes and indented: where two runs part.
func around(ls []string, i int) string {
	var b strings.Builder
	for j := max(i-8, 0); j < min(i+5, len(ls)); j++ {
		mark := "   "
		if j == i {
			mark = ">> "
		}
		fmt.Fprintf(&b, "    %s%.300s\n", mark, ls[j])
	}
	return b.String()
}

// TestStableRefusesTimes: --stable prints no time, so a flag that asks for
// one is a usage error, before anything runs.
func TestStableRefusesTimes(t *testing.T) {
	for _, flag := range []string{"-t", "-tt", "-ttt", "-r", "-T"} {
		t.Run(flag, func(t *testing.T) {
			for _, args := range [][]string{
				{"write", "--stable", flag},
				{"run", "--stable", flag, "--", "true"},
			} {
				_, stderr, status := mmtrace(t, args...)
				if status != 2 {
					t.Errorf("mmtrace %s: exit status %d, want 2\n%s", strings.Join(args, " "), status, stderr)
				}
				if !strings.Contains(stderr, "--stable") || strings.Count(stderr, "\n") != 1 {
					t.Errorf("mmtrace %s: want one line naming --stable, got %q", strings.Join(args, " "), stderr)
				}
			}
		})
	}
}

// TestStableMapsAndClosingLines: --maps shows labels where it showed
// addresses, and a scenario's closing lines name its files by $DIR and its
// processes by their labels.
func TestStableMapsAndClosingLines(t *testing.T) {
	_, stderr, status := mmtrace(t, "write", "--stable", "--maps", "--lang", "en")
	if status != 0 {
		t.Fatalf("exit status %d\n%s", status, stderr)
	}
	for _, want := range []string{
		"  A1-A1+4KiB rw-s 00000000 file shared        $DIR/dd.txt",
		"(and the mappings it had before: program, libraries, stack)",
		"$DIR/dd.txt now holds 4 bytes",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q in\n%s", want, stderr)
		}
	}
	if regexp.MustCompile(`[0-9a-f]{12}|/tmp/`).MatchString(stderr) {
		t.Errorf("an address or a temporary path is left:\n%s", stderr)
	}
	_, stderr, status = mmtrace(t, "ipc", "--stable", "--count", "2", "--interval", "10ms")
	if status != 0 {
		t.Fatalf("exit status %d\n%s", status, stderr)
	}
	if !strings.Contains(stderr, "the reader (pid P3) saw 2 of the 2 records the writer (pid P2) stored") {
		t.Errorf("the closing line does not name P2 and P3:\n%s", stderr)
	}
}

// TestStableJSONNumbersStayNumbers: under --stable a number in a call's
// arguments that happens to equal a process id stays the number it is
// (waitpid's mmap length 5840 became "P2" in 1 of 20 runs, when a process
// had that id). Here lseek's offset is the process's own id.
func TestStableJSONNumbersStayNumbers(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	stdout, stderr, status := mmtrace(t, "run", "--stable", "--json", "-o", "/dev/stdout", "-e", "trace=lseek", "--",
		py, "-c", "import os, sys; os.lseek(os.open(sys.executable, os.O_RDONLY), os.getpid(), os.SEEK_SET)")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	seen := false
	for _, l := range strings.Split(stdout, "\n") {
		var o struct {
			Name   string   `json:"name"`
			Args   []string `json:"args"`
			Result string   `json:"result"`
		}
		if json.Unmarshal([]byte(l), &o) != nil || o.Name != "lseek" || len(o.Args) != 3 || o.Args[2] != "SEEK_SET" {
			continue
		}
		seen = true
		if o.Args[1] != o.Result || strings.HasPrefix(o.Args[1], "P") {
			t.Errorf("lseek's offset %q, its result %q: want the same number", o.Args[1], o.Result)
		}
	}
	if !seen {
		t.Fatalf("no lseek(..., SEEK_SET) in:\n%s", stdout)
	}
}

// TestStableWithoutASLR: --stable runs the programs without address-space
// randomisation (personality ADDR_NO_RANDOMIZE, inherited by their
// children and kept across exec), so that the sizes and places the loader
// chooses repeat: on arm64 they did not (issue 16).
func TestStableWithoutASLR(t *testing.T) {
	const addrNoRandomize = 0x0040000
	for _, stable := range []bool{false, true} {
		args := []string{"run", "-o", os.DevNull}
		if stable {
			args = append(args, "--stable")
		}
		args = append(args, "--", "sh", "-c", "cat /proc/self/personality")
		stdout, stderr, status := mmtrace(t, args...)
		if status != 0 {
			t.Fatalf("mmtrace %v: status %d\n%s", args, status, stderr)
		}
		var p uint64
		if _, err := fmt.Sscanf(stdout, "%x", &p); err != nil {
			t.Fatalf("mmtrace %v: personality %q: %v", args, stdout, err)
		}
		if got := p&addrNoRandomize != 0; got != stable {
			t.Errorf("mmtrace %v: the program's personality is %#x: ADDR_NO_RANDOMIZE %v, want %v", args, p, got, stable)
		}
	}
}
