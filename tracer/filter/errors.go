package filter

import (
	"fmt"
	"strings"
)

// Kind says what was wrong with an -e expression or a -P path. The
// command line says each kind in the user's language; Error's English
// text is the one mmtrace always printed.
type Kind uint8

// The kinds of error. Each names the fields of Error it fills.
const (
	_ Kind = iota
	// EmptyExpr: a trace expression that names nothing. Expr.
	EmptyExpr
	// Personality32: a call asked for with @32 or @x32. Word.
	Personality32
	// BadPersonality: a designator other than @64, @32, @x32. Item is
	// the designator, Word the value it ends.
	BadPersonality
	// NotNumber: a value that starts with a digit but is not a number.
	// Word.
	NotNumber
	// NoSuchNumber: a call number no architecture has. Word.
	NoSuchNumber
	// BadRegexp: a /regex that does not compile. Word; Err is
	// regexp's error.
	BadRegexp
	// RegexpMatchesNone: a /regex that matches no call's name. Word.
	RegexpMatchesNone
	// UnknownClass: a %class that is not one. Word; Suggest.
	UnknownClass
	// UnknownCall: a name that is no call's. Word; Suggest.
	UnknownCall
	// Unsupported: a qualifier of strace's mmtrace does not take. Word
	// is the qualifier as typed, Item the option it stands for.
	Unsupported
	// EmptySet: a set of signals, statuses or messages with nothing in
	// it.
	EmptySet
	// EmptyItem: an empty item in such a set. Expr is the set.
	EmptyItem
	// NoSignalNumber: a signal number out of range. Expr, Word; Max is
	// the highest.
	NoSignalNumber
	// NotSignal: a name that is no signal's. Expr, Word.
	NotSignal
	// NotStatus: a word that is no status. Expr, Word.
	NotStatus
	// NoStatus: a status set that selects no call. Expr.
	NoStatus
	// NotQuiet: a word that is no message strace can silence. Expr,
	// Word.
	NotQuiet
	// EmptyPath: -P with an empty path.
	EmptyPath
	// RelativePattern: a -P pattern that is not an absolute path. Word.
	RelativePattern
	// BadPattern: a -P pattern path.Match rejects. Word; Err.
	BadPattern
)

// Error is an error in an -e expression or a -P path: its kind, and the
// words the message quotes.
type Error struct {
	Kind    Kind
	Expr    string // the expression, or set, the error is in
	Word    string // the value that is wrong, as typed
	Item    string // a second word: the designator, the option
	Suggest string // the nearest valid value, or ""
	Max     int    // NoSignalNumber: the highest signal
	Err     error  // the cause: regexp's or path.Match's error
}

// Error says what is wrong in English, as strace would where strace says
// it.
func (e *Error) Error() string {
	switch e.Kind {
	case EmptyExpr:
		return fmt.Sprintf("empty trace expression %q: name calls (trace=mmap,munmap), a class (trace=%%memory), all or none", e.Expr)
	case Personality32:
		return fmt.Sprintf("invalid system call %q: mmtrace traces only the 64-bit personality", e.Word)
	case BadPersonality:
		return fmt.Sprintf("incorrect personality designator %q in %q", e.Item, e.Word)
	case NotNumber:
		return fmt.Sprintf("invalid system call %q: not a number", e.Word)
	case NoSuchNumber:
		return fmt.Sprintf("invalid system call %q: no architecture has a call with that number", e.Word)
	case BadRegexp:
		return fmt.Sprintf("invalid system call %q: %v", e.Word, e.Err)
	case RegexpMatchesNone:
		return fmt.Sprintf("invalid system call %q: the regular expression matches no system call", e.Word)
	case UnknownClass:
		return fmt.Sprintf("invalid system call class %q%s", e.Word, didYouMean(e.Suggest))
	case UnknownCall:
		return fmt.Sprintf("invalid system call %q%s", e.Word, didYouMean(e.Suggest))
	case Unsupported:
		return fmt.Sprintf("-e %s=: strace's %s qualifier is not supported by mmtrace", e.Word, e.Item)
	case EmptySet:
		return "empty set"
	case EmptyItem:
		return fmt.Sprintf("%q: an empty item", e.Expr)
	case NoSignalNumber:
		return fmt.Sprintf("signal=%s: no signal %s (1 to %d)", e.Expr, e.Word, e.Max)
	case NotSignal:
		return fmt.Sprintf("signal=%s: %q is not a signal", e.Expr, e.Word)
	case NotStatus:
		return fmt.Sprintf("status=%s: %q is not a status (want %s)", e.Expr, e.Word, strings.Join(Statuses, ", "))
	case NoStatus:
		return fmt.Sprintf("status=%s: selects no call", e.Expr)
	case NotQuiet:
		return fmt.Sprintf("quiet=%s: %q is not a message strace can silence (want attach, exit, path-resolution, personality or thread-execve)", e.Expr, e.Word)
	case EmptyPath:
		return "-P: an empty path"
	case RelativePattern:
		return fmt.Sprintf("-P %q: a pattern must be an absolute path", e.Word)
	case BadPattern:
		return fmt.Sprintf("-P %q: %v", e.Word, e.Err)
	}
	return fmt.Sprintf("filter error %d %q", e.Kind, e.Word)
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// didYouMean returns ` (did you mean "x"?)`, or "" when there is no x.
func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s)
}
