// Command mmtrace makes memory mapping visible: it runs the classic mmap
// exercises, or any program, as traced children and prints an annotated
// timeline of their calls.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/scenarios"
)

func main() {
	tuneGC()
	err := route(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		if msg := err.Error(); msg != "" {
			// A message may quote a path or a program's name as given:
			// nothing in it may reach the terminal raw.
			fmt.Fprintln(os.Stderr, "mmtrace: "+escape.Message(msg))
		}
	}
	if os.Getenv("MMTRACE_REPORT_HWM") == "1" {
		reportHWM(os.Stderr)
	}
	os.Exit(exitCode(err))
}

// reportHWM prints mmtrace's own peak resident set (VmHWM, its children
// not counted) for bench/run.sh: read by the process itself at exit, as
// nothing outside it can be sure to read it before the process is gone.
func reportHWM(w io.Writer) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Fprintln(w, "mmtrace: "+strings.Join(strings.Fields(line), " "))
		}
	}
}

// route runs the subcommand args name.
func route(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	l := langInArgs(args)
	if len(args) == 0 {
		usage(stderr, l)
		return usageIn(l, msgNoCommand)
	}
	switch args[0] {
	case "run":
		return runCommand(args[1:], stdout, stderr)
	case "attach":
		return attachCommand(args[1:], stdout, stderr)
	case "list":
		return listCommand(args[1:], stdout, stderr)
	case "explain":
		return explainCommand(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "mmtrace", version)
		return nil
	case "help", "-h", "--help":
		return helpCommand(args[1:], stdout, stderr)
	}
	if sc, ok := scenarios.Lookup(args[0]); ok {
		return scenarioCommand(sc, args[1:], stdout, stderr)
	}
	if alt := suggestCommand(l, args[0]); alt != "" {
		return usageIn(l, msgUnknownCommandMaybe, args[0], alt)
	}
	return usageIn(l, msgUnknownCommand, args[0])
}
