package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/cells"
)

// helpCases are every help text: the main one, each command's, each way
// of asking.
var helpCases = []struct {
	name string
	args []string
}{
	{"main", []string{"--help"}},
	{"help", []string{"help"}},
	{"help-help", []string{"help", "help"}},
	{"scenarios", []string{"help", "scenarios"}},
	{"run", []string{"help", "run"}},
	{"attach", []string{"attach", "--help"}},
	{"explain", []string{"help", "explain"}},
	{"list", []string{"list"}},
	{"help-list", []string{"help", "list"}},
	{"help-version", []string{"help", "version"}},
	{"copy", []string{"copy", "--help"}},
	{"pitfalls", []string{"help", "pitfalls"}},
	{"ipc", []string{"ipc", "-h"}},
	{"waitpid", []string{"help", "waitpid"}},
	{"myths", []string{"help", "myths"}},
	{"devzero", []string{"devzero", "--help"}},
	{"explain-list", []string{"explain"}},
	{"explain-list-zh", []string{"explain", "--lang", "zh"}},
	{"list-zh", []string{"list", "--lang", "zh"}},
	{"scenarios-zh", []string{"help", "scenarios", "--lang", "zh"}},
	{"write-zh", []string{"write", "--help", "--lang", "zh"}},
	{"pitfalls-zh", []string{"help", "pitfalls", "--lang", "zh"}},
	{"filter", []string{"help", "filter"}},
	{"filter-zh", []string{"help", "filter", "--lang", "zh"}},
	{"main-zh", []string{"--help", "--lang", "zh"}},
	{"help-help-zh", []string{"help", "help", "--lang", "zh"}},
	{"help-list-zh", []string{"help", "list", "--lang", "zh"}},
	{"help-version-zh", []string{"help", "version", "--lang", "zh"}},
	{"run-zh", []string{"help", "run", "--lang", "zh"}},
	{"attach-zh", []string{"attach", "--help", "--lang", "zh"}},
	{"explain-zh", []string{"explain", "--lang", "zh", "--help"}},
	{"copy-zh", []string{"copy", "--help", "--lang", "zh"}},
	{"ipc-zh", []string{"ipc", "-h", "--lang", "zh"}},
	{"waitpid-zh", []string{"help", "waitpid", "--lang", "zh"}},
}

// TestHelpTexts pins every help text with a golden file (go test -update
// rewrites them): help is documentation, and changes to it should be seen.
// Help goes to stdout, asked for in any way, and fits 80 columns.
func TestHelpTexts(t *testing.T) {
	// The language is --lang's where a case gives it, English otherwise,
	// whatever the locale of whoever runs the tests.
	t.Setenv("LC_ALL", "C")
	for _, tc := range helpCases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if err := route(tc.args, nil, &out, &errs); err != nil {
				t.Fatalf("%v: %v", tc.args, err)
			}
			if errs.Len() > 0 {
				t.Errorf("%v wrote to stderr, not stdout:\n%s", tc.args, errs.String())
			}
			got := out.String()
			for i, line := range strings.Split(got, "\n") {
				if w := cells.Width(line); w > helpWidth {
					t.Errorf("%v: line %d is %d columns, more than %d: %q", tc.args, i+1, w, helpWidth, line)
				}
			}
			golden := filepath.Join("testdata", "help", tc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./cmd/mmtrace -run HelpTexts -update)", err)
			}
			if got != string(want) {
				t.Errorf("%v differs from %s:\n%s", tc.args, golden, got)
			}
			if strings.TrimSpace(got) == "" {
				t.Errorf("%v printed nothing", tc.args)
			}
		})
	}
}

// TestHelpAsAProcess checks help as a shell sees it: on stdout, nothing on
// stderr, exit status 0, whichever way it is asked for.
func TestHelpAsAProcess(t *testing.T) {
	for _, args := range [][]string{
		{"copy", "--help"}, {"help", "copy"}, {"run", "--help"}, {"run", "-h"},
		{"attach", "--help"}, {"explain", "--help"}, {"help", "list"}, {"--help"},
	} {
		stdout, stderr, code := mmtrace(t, args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") && !strings.Contains(stdout, "mmtrace") {
			t.Errorf("mmtrace %v: status %d, stderr %q, stdout %.60q", args, code, stderr, stdout)
		}
	}
}

// TestHelpFlagPlaceholders checks what a flag's line shows: no type name
// for a switch that takes no value (-t is a count: -t, -tt, -ttt), a
// placeholder that is not one of the values, no default said twice.
func TestHelpFlagPlaceholders(t *testing.T) {
	var out bytes.Buffer
	if err := route([]string{"help", "run"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, bad := range []string{"--absolute-timestamps count", "--lang en", "--color auto", "--pin-cpu auto", "[=true|false]", `(default "auto")`} {
		if strings.Contains(help, bad) {
			t.Errorf("help run shows %q", bad)
		}
	}
	for _, want := range []string{"-t, --absolute-timestamps  ", "--lang LANG", "--color WHEN", "(default\u00a0auto)", "(default\u00a032)"} {
		if !strings.Contains(help, want) {
			t.Errorf("help run lacks %q:\n%s", want, help)
		}
	}
}

func TestHelpUnknownTopic(t *testing.T) {
	var out, errs bytes.Buffer
	err := route([]string{"help", "nope"}, nil, &out, &errs)
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("help nope: %v (status %d)", err, exitCode(err))
	}
}
