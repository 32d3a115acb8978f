package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
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
	l := f.language()
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
				err = errors.New(msg(l, msgDecodeFDs, expr))
			}
		case "abbrev", "verbose", "raw":
			err = errors.New(msg(l, msgPerCall, q, q))
		default:
			err = errors.New(msg(l, msgQualifier, q, q))
		}
		if err != nil {
			return exprError(l, err)
		}
	}
	switch {
	case s.failedOnly && s.successfulOnly:
		return usageIn(l, msgZAndZ)
	case s.failedOnly:
		s.status = 1 << slices.Index(filter.Statuses, "failed")
	case s.successfulOnly:
		s.status = 1 << slices.Index(filter.Statuses, "successful")
	}
	if s.sortBy != "" && !slices.Contains(summary.SortKeys, s.sortBy) {
		sep := ", "
		if l == explain.ZH {
			sep = "、"
		}
		return usageIn(l, msgSortKey, s.sortBy, strings.Join(summary.SortKeys, sep))
	}
	if s.ff(f) && (f.json || f.summary || f.summaryToo || f.step) {
		return usageIn(l, msgFFNot)
	}
	if s.follow >= 2 || s.separately {
		if f.stable {
			return usageIn(l, msgFFStable)
		}
	}
	cfg.Decode.Hex = min(s.hex, 2)
	cfg.Decode.Verbose = s.verbose
	x := 0 // abbrev: the scenarios, which do not take -X
	if s.xlat != "" {
		x = slices.Index(sys.XlatStyles, s.xlat)
	}
	if x < 0 {
		return usageIn(l, msgXlatStyle, s.xlat, strings.Join(sys.XlatStyles, ", "))
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
var straceRefused = lazy.Of(func() map[string]message {
	return map[string]message{
		"A": {"strace's -A (append to -o FILE) is not supported: mmtrace writes -o FILE whole, under a temporary name renamed at the end",
			"不支持 strace 的 -A（追加到 -o FILE）：mmtrace 把 -o FILE 整个写出，先用临时名字，最后改名"},
		"D": {"strace's -D (tracer as a detached grandchild) is not supported: mmtrace stays the program's parent",
			"不支持 strace 的 -D（跟踪者作为脱离的孙进程）：mmtrace 始终是程序的父进程"},
		"I": {"strace's -I (interruptible) is not supported: Ctrl-C ends the traced program (mmtrace run) or detaches (mmtrace attach)",
			"不支持 strace 的 -I（可中断性）：Ctrl-C 结束被跟踪的程序（mmtrace run），或者脱离它（mmtrace attach）"},
		"i": {"strace's -i (instruction pointer) is not supported", "不支持 strace 的 -i（指令指针）"},
		"k": {"strace's -k (stack traces) is not supported", "不支持 strace 的 -k（调用栈）"},
		"O": {"strace's -O (overhead) is not supported: -c's times are wall time, entry to exit",
			"不支持 strace 的 -O（跟踪开销）：-c 的时间是从进入到返回的实际时间"},
		"U": {"strace's -U (summary columns) is not supported: -c prints strace's default columns",
			"不支持 strace 的 -U（统计表的列）：-c 打印 strace 默认的列"},
		"Y": {"strace's -Y (command names of pids) is not supported", "不支持 strace 的 -Y（进程号对应的命令名）"},
		"d": {"strace's -d (debug output) is not supported: see --gops", "不支持 strace 的 -d（调试输出）：请看 --gops"},
	}
})

// unknownShorthand matches pflag's error for a flag it does not know.
var unknownShorthand = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`unknown shorthand flag: '(.)'`) })

// straceFlagError turns pflag's "unknown shorthand flag" for one of
// strace's flags into a pointer to what mmtrace does instead, in l.
func straceFlagError(l explain.Lang, err error) error {
	if m := unknownShorthand.Get().FindStringSubmatch(err.Error()); m != nil {
		if _, ok := straceRefused.Get()[m[1]]; ok {
			return fmt.Errorf("-%s%s%s", m[1], colon(l), msg(l, msgID("strace-"+m[1])))
		}
	}
	return err
}

// digits matches strace's -a COLUMN, given as -a40 or -a 40.
var digits = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+$`) })

// refuseColumns refuses strace's -a COLUMN (the alignment column) before
// the flags are parsed: mmtrace's -a means every call, and "-a 40 ls"
// would otherwise run a program called 40.
func refuseColumns(l explain.Lang, args []string) error {
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return nil
		}
		if strings.HasPrefix(a, "--columns") ||
			(strings.HasPrefix(a, "-a") && digits.Get().MatchString(a[2:])) ||
			(a == "-a" && i+1 < len(args) && digits.Get().MatchString(args[i+1])) {
			return usageIn(l, msgColumns)
		}
	}
	return nil
}
