package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/editdist"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

const version = "0.1.0-dev"

// usage prints the main help text in l.
func usage(w io.Writer, l explain.Lang) {
	fmt.Fprint(w, helpIn(l, "main", usageEN))
}

// usageEN is the main help text.
const usageEN = `mmtrace makes memory mapping visible: it runs the mmap exercises, or your
program, traced, and prints a timeline of its open, ftruncate, mmap, munmap,
fork and wait calls, each explained.

Usage:
  mmtrace list                          the scenarios, one line each
  mmtrace SCENARIO [ARGS] [FLAGS]       run a scenario of the mmap notes
  mmtrace run [FLAGS] [--] CMD [ARGS]   trace a program; exit with its status
  mmtrace attach PID [FLAGS]            trace a running process; Ctrl-C detaches
  mmtrace explain [SYSCALL|TOPIC]       explain a call or a topic, offline
  mmtrace help [TOPIC]                  this text; TOPIC: scenarios, a command
  mmtrace version                       print the version

Examples:
  mmtrace copy                          copy a generated 64 MiB file, 5 children
  mmtrace copy big.bin out.bin -n 5     the notes' exercise on your own file
  mmtrace pitfalls past-eof --lang zh   why a store past the end is a SIGBUS
  mmtrace fork-private --stable --maps  a handout: the same every run, with maps
  mmtrace run -- ./a.out dd.txt         trace your program (gcc -o a.out mmap.c)
  mmtrace run -e trace=%memory -T -- ls strace-style: memory calls, with times
  mmtrace attach 4242                   watch a running ipc writer; Ctrl-C ends

Run 'mmtrace help run' or 'mmtrace SCENARIO --help' for the flags.
`

// helpCommand is mmtrace help [TOPIC] [--lang en|zh].
func helpCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("help", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := langFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(stdout, langInArgs(args))
			return nil
		}
		return usageErrorf("help: %s", flagError(langInArgs(args), err))
	}
	l, err := lang()
	if err != nil {
		return usageErrorf("help: %v", err)
	}
	args = fs.Args()
	if len(args) == 0 {
		usage(stdout, l)
		return nil
	}
	if len(args) > 1 {
		return usageIn(l, msgHelpOneTopic)
	}
	switch args[0] {
	case "scenarios":
		sl := scenarioLang(l)
		for i, s := range scenarios.All() {
			info := s.Info()
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s\n%s\n%s", strings.TrimSpace("mmtrace "+info.Name+" "+info.Args),
				refill(info.Summary.In(sl), "  ", helpWidth), refill(info.Lesson.In(sl), "  ", helpWidth))
		}
		return nil
	case "list":
		fmt.Fprint(stdout, helpIn(l, "list", "Usage: mmtrace list [--lang en|zh]\n\n"+refill("Print the scenarios, each with the lesson it teaches in one line. "+
			"'mmtrace help scenarios' tells each lesson in full; 'mmtrace SCENARIO --help' gives a scenario's arguments and flags. "+
			"--lang chooses the language (default: the locale's, from LC_ALL, LC_MESSAGES or LANG).", "", helpWidth)))
		return nil
	case "version":
		fmt.Fprint(stdout, helpIn(l, "version", "Usage: mmtrace version\n\nPrint mmtrace's version.\n"))
		return nil
	case "filter":
		fmt.Fprint(stdout, filterHelp(l))
		return nil
	case "help":
		fmt.Fprint(stdout, helpIn(l, "help", "Usage: mmtrace help [TOPIC] [--lang en|zh]\n\n"+refill("With no TOPIC, what mmtrace does and its commands. "+
			"TOPIC is scenarios (every scenario's lesson), filter (-e trace=: the syntax and the classes of calls), a command (run, attach, explain, list, version) or a scenario's name (its arguments and flags).", "", helpWidth)))
		return nil
	case "run", "attach", "explain":
		return route([]string{args[0], "--help", "--lang", l.String()}, nil, stdout, stdout)
	}
	if _, ok := scenarios.Lookup(args[0]); ok {
		return route([]string{args[0], "--help", "--lang", l.String()}, nil, stdout, stdout)
	}
	if alt := suggestCommand(l, args[0]); alt != "" {
		return usageIn(l, msgHelpNoTopicMaybe, args[0], alt)
	}
	return usageIn(l, msgHelpNoTopic, args[0])
}

// commands are the subcommands route knows, besides the scenarios.
var commands = []string{"run", "attach", "list", "explain", "version", "help"}

// suggestCommand returns the subcommand or scenario name nearest to name
// (within two edits), or the ones name begins (fork: fork-shared or
// fork-private, said in l), or "" when none is close.
func suggestCommand(l explain.Lang, name string) string {
	names := slices.Clone(commands)
	for _, s := range scenarios.All() {
		names = append(names, s.Info().Name)
	}
	best, bestDist := "", 3
	for _, c := range names {
		if d := editdist.Levenshtein(name, c); d < bestDist && d < len(name) {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	var begun []string
	for _, c := range names {
		if len(name) >= 2 && strings.HasPrefix(c, name) {
			begun = append(begun, c)
		}
	}
	switch len(begun) {
	case 0:
		return ""
	case 1:
		return begun[0]
	}
	return msg(l, msgSuggestOr, strings.Join(begun[:len(begun)-1], msg(l, msgSuggestList)), begun[len(begun)-1])
}
