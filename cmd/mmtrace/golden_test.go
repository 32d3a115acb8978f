package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden timelines in testdata/golden")

// goldenScenarios are the handouts: every scenario, with arguments that
// make it quick and independent of the machine (waitpid's ps and ls load
// the machine's libraries, so only its process calls are kept).
var goldenScenarios = []struct {
	name string
	args []string
}{
	{"write", nil},
	{"fork-shared", nil},
	{"fork-private", nil},
	{"anon", nil},
	{"devzero", nil},
	{"pitfalls", nil},
	{"myths", nil},
	// The notes' programs as written, bugs included: NAME-verbatim.*.golden.
	{"write", []string{"--verbatim"}},
	{"devzero", []string{"--verbatim"}},
	{"anon", []string{"--verbatim"}},
	{"ipc", []string{"--count", "3", "--interval", "100ms"}},
	{"waitpid", []string{"--scale", "0.1", "-e", "trace=fork,clone,wait4,exit_group"}},
	{"copy", []string{"$T/src.bin", "$T/dst.bin", "-n", "3"}},
}

// TestGoldenHandouts runs every scenario with --stable in both languages
// and compares the timeline with its golden file, byte for byte: a serial
// run gives the same order of events every time.
func TestGoldenHandouts(t *testing.T) {
	for _, sc := range goldenScenarios {
		file := sc.name
		if slices.Contains(sc.args, "--verbatim") {
			file += "-verbatim"
		}
		for _, lang := range []string{"en", "zh"} {
			t.Run(file+"/"+lang, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "src.bin"), []byte(strings.Repeat("mmap!", 2000)), 0o644); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "timeline")
				args := []string{sc.name, "--stable", "--lang", lang, "-o", out}
				for _, a := range sc.args {
					args = append(args, strings.ReplaceAll(a, "$T", dir))
				}
				cmd := exec.Command(mmtraceBin, args...)
				// A fixed environment: execve prints how many variables.
				cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C"}
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("mmtrace %v: %v\n%s", args, err, b)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got := strings.ReplaceAll(string(b), dir, "$T")
				golden := filepath.Join("testdata", "golden", file+"."+lang+".golden")
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/mmtrace -run Golden -update)", err)
				}
				if got != string(want) {
					t.Errorf("the timeline differs from %s at %s\n--- got\n%s", golden, firstDifference(string(want), got), got)
				}
			})
		}
	}
}
