package filter

import (
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Qualifier splits one -e value into strace's qualifier, by its full name
// ("trace", "signal", "status", "quiet"...), and the expression after the
// "=". A value with no known qualifier is a trace expression, as in
// strace: "-e open" is "-e trace=open".
func Qualifier(v string) (name, expr string) {
	if q, rest, ok := strings.Cut(v, "="); ok && qualifiers[q] != "" {
		return qualifiers[q], rest
	}
	return "trace", v
}

// setItems parses the shape every strace set shares: an optional leading
// '!' that inverts the set, then a comma-separated list in which "all"
// and "none" stand for everything and nothing. add adds one item; it
// returns an error for an unknown one. The result says whether the set
// is inverted.
func setItems(expr string, add func(item string) error, all func()) (not bool, err error) {
	expr, not = strings.CutPrefix(expr, "!")
	if expr == "" {
		return false, &Error{Kind: EmptySet}
	}
	for _, item := range strings.Split(expr, ",") {
		switch item = strings.TrimSpace(item); item {
		case "":
			return false, &Error{Kind: EmptyItem, Expr: expr}
		case "all":
			all()
		case "none":
		default:
			if err := add(item); err != nil {
				return false, err
			}
		}
	}
	return not, nil
}

// SignalSet is the set of signals whose delivery lines print, strace's
// -e signal=SET.
type SignalSet struct {
	bits [65]bool
	not  bool
}

// Has says whether sig's lines print. A nil set prints every signal.
func (s *SignalSet) Has(sig syscall.Signal) bool {
	if s == nil {
		return true
	}
	if sig < 0 || int(sig) >= len(s.bits) {
		return s.not
	}
	return s.bits[sig] != s.not
}

// ParseSignals parses strace's -e signal=SET: signal names with or
// without "SIG", in any case (SIGUSR1, usr1), numbers from 1 to 64,
// "all", "none", and a leading '!' for all but those.
func ParseSignals(expr string) (*SignalSet, error) {
	s := &SignalSet{}
	not, err := setItems(expr, func(item string) error {
		if n, err := strconv.Atoi(item); err == nil {
			if n < 1 || n >= len(s.bits) {
				return &Error{Kind: NoSignalNumber, Expr: expr, Word: strconv.Itoa(n), Max: len(s.bits) - 1}
			}
			s.bits[n] = true
			return nil
		}
		name := strings.ToUpper(item)
		if !strings.HasPrefix(name, "SIG") {
			name = "SIG" + name
		}
		for n := 1; n < len(s.bits); n++ {
			if sys.SignalName(syscall.Signal(n)) == name {
				s.bits[n] = true
				return nil
			}
		}
		return &Error{Kind: NotSignal, Expr: expr, Word: item}
	}, func() {
		for n := range s.bits {
			s.bits[n] = true
		}
	})
	if err != nil {
		return nil, err
	}
	s.not = not
	return s, nil
}

// Statuses are the outcomes strace's -e status=SET names, in the order
// of the bits ParseStatus returns: successful is bit 0.
var Statuses = []string{"successful", "failed", "unfinished", "unavailable", "detached"}

// ParseStatus parses strace's -e status=SET into a bit set over
// Statuses: "successful,failed", "!unfinished", "all", "none".
func ParseStatus(expr string) (uint8, error) {
	var bits uint8
	not, err := setItems(expr, func(item string) error {
		i := slices.Index(Statuses, item)
		if i < 0 {
			return &Error{Kind: NotStatus, Expr: expr, Word: item}
		}
		bits |= 1 << i
		return nil
	}, func() { bits = 1<<len(Statuses) - 1 })
	if err != nil {
		return 0, err
	}
	if not {
		bits ^= 1<<len(Statuses) - 1
	}
	if bits == 0 {
		return 0, &Error{Kind: NoStatus, Expr: expr}
	}
	return bits, nil
}

// quietNames are the messages strace's -e quiet=SET can silence, by
// every name strace 6.1 accepts, mapped to the one mmtrace uses.
var quietNames = map[string]string{
	"attach": "attach", "exit": "exit", "exits": "exit",
	"path-resolution": "path-resolution", "personality": "personality",
	"thread-execve": "thread-execve", "superseded": "thread-execve",
}

// ParseQuiet parses strace's -e quiet=SET into the set of messages to
// leave out: attach, exit, path-resolution, personality, thread-execve
// (also spelled exits and superseded), "all", "none", '!'.
func ParseQuiet(expr string) (map[string]bool, error) {
	set := map[string]bool{}
	not, err := setItems(expr, func(item string) error {
		name, ok := quietNames[item]
		if !ok {
			return &Error{Kind: NotQuiet, Expr: expr, Word: item}
		}
		set[name] = true
		return nil
	}, func() {
		for _, n := range quietNames {
			set[n] = true
		}
	})
	if err != nil {
		return nil, err
	}
	if not {
		inv := map[string]bool{}
		for _, n := range quietNames {
			if !set[n] {
				inv[n] = true
			}
		}
		set = inv
	}
	return set, nil
}
