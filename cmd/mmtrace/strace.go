package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/fdinfo"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/summary"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// straceFlags are strace's output flags, for its users: what each one
// changes is strace's meaning, as strace 6.1 prints it.
type straceFlags struct {
	follow         int  // -f (always so), -ff
	separately     bool // --output-separately
	failedOnly     bool // -Z
	successfulOnly bool // -z
	numbers        bool // -n
	hex            int  // -x, -xx
	decodeFDs      int  // -y, -yy
	sortBy         string
	wall           bool   // -w: what -c measures anyway
	verbose        bool   // -v
	xlat           string // -X raw|abbrev|verbose

	// From -e: the qualifiers other than trace=.
	status  uint8 // bits over filter.Statuses; 0: every call
	signals *filter.SignalSet
	quiet   map[string]bool
}

func (s *straceFlags) register(fs *pflag.FlagSet) {
	fs.CountVarP(&s.follow, "follow-forks", "f", "accepted as strace's: mmtrace always follows child processes and threads; -ff with -o PREFIX writes each thread's lines to PREFIX.TID")
	fs.BoolVar(&s.separately, "output-separately", false, "with -o PREFIX, each thread's lines to its own file PREFIX.TID (strace -ff)")
	fs.BoolVarP(&s.failedOnly, "failed-only", "Z", false, "print only the calls that failed (-e status=failed)")
	fs.BoolVarP(&s.successfulOnly, "successful-only", "z", false, "print only the calls that succeeded (-e status=successful)")
	fs.BoolVarP(&s.numbers, "syscall-number", "n", false, "print each call's number before its name: [ 257] openat(...)")
	fs.CountVarP(&s.hex, "strings-in-hex", "x", "print in hex each string that holds a byte other than printable ASCII (-xx: every string)")
	fs.CountVarP(&s.decodeFDs, "decode-fds", "y", "print what each fd refers to after it: 3</tmp/f.dat>, 4<pipe:[1234]> (-yy: sockets' protocol and addresses too)")
	fs.StringVarP(&s.sortBy, "summary-sort-by", "S", "time", "sort -c's table by `KEY`: time, min-time, max-time, avg-time, calls, errors, name or nothing")
	fs.BoolVarP(&s.verbose, "no-abbrev", "v", false, "print in full execve's arguments and environment, and the structures strace abbreviates (stat, statx, rusage, uname, termios, directory entries)")
	fs.StringVarP(&s.xlat, "const-print-style", "X", "abbrev", "print constants as `STYLE`: abbrev (names: O_RDWR|O_CREAT), raw (numbers: 0x42) or verbose (0x42 /* O_RDWR|O_CREAT */)")
	fs.BoolVarP(&s.wall, "summary-wall-clock", "w", false, "accepted as strace's: -c's times are always wall time, from each call's entry to its exit")
}

// ff says the timeline goes to one file per thread: -ff or
// --output-separately with -o. Without -o, strace writes one timeline,
// as -f does; so does mmtrace.
func (s *straceFlags) ff(f *traceFlags) bool {
	return (s.follow >= 2 || s.separately) && f.output != ""
}

// traceExprs returns the -e values that choose calls: trace= or none.
func (s *straceFlags) traceExprs(exprs []string) []string {
	var out []string
	for _, e := range exprs {
		if q, _ := filter.Qualifier(e); q == "trace" {
			out = append(out, e)
		}
	}
	return out
}

// apply checks the flags, reads the -e qualifiers other than trace=, and
// sets the decoding options.
func (s *straceFlags) apply(f *traceFlags, cfg *tracer.Config) error {
	for _, e := range f.exprs {
		q, expr := filter.Qualifier(e)
		var err error
		switch q {
		case "trace":
		case "signal":
			s.signals, err = filter.ParseSignals(expr)
		case "status":
			s.status, err = filter.ParseStatus(expr)
		case "quiet":
			s.quiet, err = filter.ParseQuiet(expr)
		case "decode-fds":
			switch expr {
			case "path":
				s.decodeFDs = max(s.decodeFDs, 1)
			case "all", "socket", "path,socket", "socket,path":
				s.decodeFDs = 2
			default:
				err = fmt.Errorf("decode-fds=%s: mmtrace decodes path (-y) and all (-yy, paths and sockets)", expr)
			}
		case "abbrev", "verbose", "raw":
			err = fmt.Errorf("%s=: strace's per-call %s is not supported by mmtrace; -v and -X apply to every call", q, q)
		default:
			err = fmt.Errorf("%s=: strace's %s qualifier is not supported by mmtrace", q, q)
		}
		if err != nil {
			return usageErrorf("-e: %v", err)
		}
	}
	switch {
	case s.failedOnly && s.successfulOnly:
		return usageErrorf("-z and -Z: give one (-e status=successful,failed prints both)")
	case s.failedOnly:
		s.status = 1 << slices.Index(filter.Statuses, "failed")
	case s.successfulOnly:
		s.status = 1 << slices.Index(filter.Statuses, "successful")
	}
	if s.sortBy != "" && !slices.Contains(summary.SortKeys, s.sortBy) {
		return usageErrorf("-S %q: want %s", s.sortBy, strings.Join(summary.SortKeys, ", "))
	}
	if s.ff(f) && (f.json || f.summary || f.summaryToo || f.step) {
		return usageErrorf("-ff writes a timeline per thread: not with --json, -c, -C or --step")
	}
	if s.follow >= 2 || s.separately {
		if f.stable {
			return usageErrorf("-ff: not with --stable, whose labels name the threads in one timeline")
		}
	}
	cfg.Decode.Hex = min(s.hex, 2)
	cfg.Decode.Verbose = s.verbose
	x := 0 // abbrev: the scenarios, which do not take -X
	if s.xlat != "" {
		x = slices.Index(sys.XlatStyles, s.xlat)
	}
	if x < 0 {
		return usageErrorf("-X %q: want %s", s.xlat, strings.Join(sys.XlatStyles, ", "))
	}
	cfg.Decode.Xlat = sys.Xlat(x)
	if s.decodeFDs > 0 {
		cfg.Decode.FDPath = fdinfo.Resolver(fdinfo.Level(min(s.decodeFDs, 2)))
	}
	return nil
}

// textOptions sets the timeline's options the flags ask for.
func (s *straceFlags) textOptions(opt *text.Options) {
	opt.Numbers = s.numbers
	opt.Xlat = sys.Xlat(max(0, slices.Index(sys.XlatStyles, s.xlat)))
	opt.Status = text.Status(s.status) // the same bits, in the same order
	if s.signals != nil {
		opt.Signals = func(sig syscall.Signal) bool { return s.signals.Has(sig) }
	}
	opt.QuietExit = s.quiet["exit"]
	opt.QuietSuperseded = s.quiet["thread-execve"]
}

// quietAttach says -e quiet=attach: no message on detaching.
func (s *straceFlags) quietAttach() bool { return s.quiet["attach"] }

// straceRefused are strace 6.1's flags mmtrace does not take, each with
// what to use instead. (-a COLUMN is refused before parsing: see
// refuseColumns.)
var straceRefused = map[string]string{
	"A": "strace's -A (append to -o FILE) is not supported: mmtrace writes -o FILE whole, under a temporary name renamed at the end",
	"D": "strace's -D (tracer as a detached grandchild) is not supported: mmtrace stays the program's parent",
	"I": "strace's -I (interruptible) is not supported: Ctrl-C ends the traced program (mmtrace run) or detaches (mmtrace attach)",
	"i": "strace's -i (instruction pointer) is not supported",
	"k": "strace's -k (stack traces) is not supported",
	"O": "strace's -O (overhead) is not supported: -c's times are wall time, entry to exit",
	"U": "strace's -U (summary columns) is not supported: -c prints strace's default columns",
	"Y": "strace's -Y (command names of pids) is not supported",
	"d": "strace's -d (debug output) is not supported: see --gops",
}

// unknownShorthand matches pflag's error for a flag it does not know.
var unknownShorthand = regexp.MustCompile(`unknown shorthand flag: '(.)'`)

// straceFlagError turns pflag's "unknown shorthand flag" for one of
// strace's flags into a pointer to what mmtrace does instead.
func straceFlagError(err error) error {
	if m := unknownShorthand.FindStringSubmatch(err.Error()); m != nil {
		if msg, ok := straceRefused[m[1]]; ok {
			return fmt.Errorf("-%s: %s", m[1], msg)
		}
	}
	return err
}

// digits matches strace's -a COLUMN, given as -a40 or -a 40.
var digits = regexp.MustCompile(`^[0-9]+$`)

// refuseColumns refuses strace's -a COLUMN (the alignment column) before
// the flags are parsed: mmtrace's -a means every call, and "-a 40 ls"
// would otherwise run a program called 40.
func refuseColumns(args []string) error {
	const msg = "strace's -a COLUMN (alignment) is not supported; mmtrace's -a traces every call, and its lines are not aligned"
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return nil
		}
		if strings.HasPrefix(a, "--columns") ||
			(strings.HasPrefix(a, "-a") && digits.MatchString(a[2:])) ||
			(a == "-a" && i+1 < len(args) && digits.MatchString(args[i+1])) {
			return usageErrorf("%s", msg)
		}
	}
	return nil
}
