package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
)

const version = "0.1.0-dev"

func usage(w io.Writer) {
	fmt.Fprint(w, `mmtrace makes memory mapping visible: it runs the mmap exercises, or your
program, traced, and prints a timeline of its open, ftruncate, mmap, munmap,
fork and wait calls, each explained.

Usage:
  mmtrace list                             the scenarios, one line each
  mmtrace SCENARIO [ARGS] [FLAGS]          run a scenario of the mmap notes, traced
  mmtrace run [FLAGS] [--] CMD [ARGS...]   trace a program; exits with its status
  mmtrace attach PID [FLAGS]               trace a running process; Ctrl-C detaches
  mmtrace explain [SYSCALL|TOPIC]          explain a call or a topic, offline (--lang en|zh)
  mmtrace help [scenarios|COMMAND]         this text, the scenarios' lessons, a command's flags
  mmtrace version                          print the version

Examples:
  mmtrace copy                             copy a generated 64 MiB file with 5 processes
  mmtrace copy big.bin out.bin -n 5        the notes' exercise on your own file
  mmtrace pitfalls past-eof --lang zh      why a store past the end of a file is a SIGBUS
  mmtrace fork-private --stable --maps     a handout: the same every run, with the mappings
  mmtrace run -- ./a.out dd.txt            trace your own program (gcc -o a.out mmap.c)
  mmtrace run -e trace=%memory -T -- ls    strace-style: memory calls only, with their times
  mmtrace attach 4242                      watch a running ipc writer; Ctrl-C lets it go

Run 'mmtrace help run' or 'mmtrace SCENARIO --help' for the flags.
`)
}

// helpCommand is mmtrace help [TOPIC] [--lang en|zh].
func helpCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("help", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := langFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(stdout)
			return nil
		}
		return usageErrorf("help: %v", err)
	}
	l, err := lang()
	if err != nil {
		return usageErrorf("help: %v", err)
	}
	args = fs.Args()
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	if len(args) > 1 {
		return usageErrorf("help takes one topic: scenarios, or a command")
	}
	switch args[0] {
	case "scenarios":
		sl := scenarioLang(l)
		for i, s := range scenarios.All() {
			info := s.Info()
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s\n  %s\n\n", strings.TrimSpace("mmtrace "+info.Name+" "+info.Args), info.Summary.In(sl))
			for _, line := range strings.Split(info.Lesson.In(sl), "\n") {
				fmt.Fprintln(stdout, strings.TrimRight("  "+line, " "))
			}
		}
		return nil
	case "run", "attach", "explain":
		return route([]string{args[0], "--help", "--lang", l.String()}, nil, stdout, stdout)
	}
	if _, ok := scenarios.Lookup(args[0]); ok {
		return route([]string{args[0], "--help", "--lang", l.String()}, nil, stdout, stdout)
	}
	return usageErrorf("help: no topic %q (try 'mmtrace help scenarios')", args[0])
}
