package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpTexts pins every help text with a golden file (go test -update
// rewrites them): help is documentation, and changes to it should be seen.
func TestHelpTexts(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"main", []string{"--help"}},
		{"help", []string{"help"}},
		{"scenarios", []string{"help", "scenarios"}},
		{"run", []string{"help", "run"}},
		{"attach", []string{"attach", "--help"}},
		{"explain", []string{"help", "explain"}},
		{"list", []string{"list"}},
		{"copy", []string{"copy", "--help"}},
		{"pitfalls", []string{"help", "pitfalls"}},
		{"myths", []string{"help", "myths"}},
		{"devzero", []string{"devzero", "--help"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if err := route(tc.args, nil, &out, &errs); err != nil {
				t.Fatalf("%v: %v", tc.args, err)
			}
			got := out.String() + errs.String()
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

func TestHelpUnknownTopic(t *testing.T) {
	var out, errs bytes.Buffer
	err := route([]string{"help", "nope"}, nil, &out, &errs)
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("help nope: %v (status %d)", err, exitCode(err))
	}
}
