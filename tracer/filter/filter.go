// Package filter selects which system calls mmtrace prints, with strace's
// "-e trace=" syntax.
//
// An expression is a comma-separated list of values, each one of
//
//	name       a syscall name: open, mmap, ...
//	%class     a class of calls (see sys.ClassByName): %file, %memory, ...
//	class      the legacy spelling of desc, file, memory, process, signal,
//	           ipc and network
//	/regex     the calls whose name the Go regular expression matches
//	           (unanchored, as strace's POSIX regexec is)
//	number     the call with that number on each architecture
//	all        every named call
//
// A value may start with '?' to make "matches nothing" not an error, and
// end with "@64" (the only personality mmtrace traces). The whole list may
// start with '!' to trace everything but the listed calls; "all" and
// "none" alone mean what they say.
//
// A name needs only be known on one of the architectures: arm64 has no
// open or fork, and "-e trace=open,fork" on arm64 is still valid, as in
// strace, which checks a name against every personality it supports.
package filter

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/editdist"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// maxNr bounds the syscall numbers a Set stores per architecture. The
// highest call today is 471; TestCapacity fails before the tables outgrow
// it.
const maxNr = 1024

// arches are the architectures a Set resolves names for.
var arches = [...]sys.Arch{sys.AMD64, sys.ARM64}

// Set is a set of system calls, by number, for each architecture.
//
// Has is on the tracer's hot path (every syscall stop), so the set is a
// fixed bitmap per architecture: a lookup is an index and a shift, with no
// map and no allocation. Like strace's number_set, a negated set keeps the
// calls it excludes plus an inversion flag, so "!open" also traces numbers
// the tables do not name.
type Set struct {
	bits [sys.ARM64 + 1][maxNr / 64]uint64
	not  bool
}

// Has reports whether the set holds syscall nr of arch. A nil Set holds
// every call, as strace traces everything without -e trace.
func (s *Set) Has(arch sys.Arch, nr int) bool {
	if s == nil {
		return true
	}
	if uint(arch) < uint(len(s.bits)) && uint(nr) < maxNr {
		return (s.bits[arch][nr>>6]>>(uint(nr)&63)&1 != 0) != s.not
	}
	return s.not
}

// Add puts the call called name into the set on every architecture that has
// it, and reports whether any does.
func (s *Set) Add(name string) bool {
	found := false
	for _, arch := range arches {
		if nr, ok := sys.Number(arch, name); ok {
			s.set(arch, nr, !s.not)
			found = true
		}
	}
	return found
}

// Merge adds every call of o to s. A nil o holds every call.
func (s *Set) Merge(o *Set) {
	if o == nil {
		o = All()
	}
	not := s.not || o.not
	for a := range s.bits {
		for w := range s.bits[a] {
			union := (s.bits[a][w] ^ mask(s.not)) | (o.bits[a][w] ^ mask(o.not))
			s.bits[a][w] = union ^ mask(not)
		}
	}
	s.not = not
}

// Names returns the names of the calls of arch in the set, sorted.
func (s *Set) Names(arch sys.Arch) []string {
	var names []string
	for _, name := range sys.Names(arch) {
		if nr, _ := sys.Number(arch, name); s.Has(arch, nr) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// set makes the raw bit of nr v, whatever the inversion flag.
func (s *Set) set(arch sys.Arch, nr int, v bool) {
	if uint(nr) >= maxNr {
		return
	}
	if v {
		s.bits[arch][nr>>6] |= 1 << (uint(nr) & 63)
	} else {
		s.bits[arch][nr>>6] &^= 1 << (uint(nr) & 63)
	}
}

func mask(not bool) uint64 {
	if not {
		return ^uint64(0)
	}
	return 0
}

// defaultCalls are the calls of the mmap lesson: files opened and sized,
// memory mapped and changed, processes created, replaced, waited for and
// signalled.
var defaultCalls = []string{
	"open", "openat", "creat", "close", "ftruncate", "truncate",
	"mmap", "munmap", "mprotect", "msync", "madvise", "mremap",
	"fork", "vfork", "clone", "clone3", "execve", "execveat",
	"wait4", "waitid", "exit", "exit_group",
	"unlink", "unlinkat", "kill", "tgkill",
}

// Default returns the set mmtrace traces when no -e trace is given.
func Default() *Set {
	s := &Set{}
	for _, name := range defaultCalls {
		s.Add(name)
	}
	return s
}

// All returns the set of every call, named or not.
func All() *Set {
	return &Set{not: true}
}

// Parse parses a strace "-e trace=" expression (without "trace=").
func Parse(expr string) (*Set, error) {
	s := &Set{}
	rest := expr
	// Each leading '!' inverts the rest, as in strace's
	// qualify_syscall_tokens.
	for strings.HasPrefix(rest, "!") {
		s.not = !s.not
		rest = rest[1:]
	}
	switch rest {
	case "none":
		return s, nil
	case "all":
		s.not = !s.not
		return s, nil
	}
	any := false
	for _, tok := range strings.Split(rest, ",") {
		// strace would reject "open, close"; a space is never part of
		// a value, so mmtrace forgives it.
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		any = true
		if err := s.addValue(tok); err != nil {
			return nil, err
		}
	}
	if !any {
		// strace says "invalid system call ''", which reads as if a call
		// were misspelt; nothing was named at all.
		return nil, &Error{Kind: EmptyExpr, Expr: expr}
	}
	return s, nil
}

// legacyClasses are the class names strace accepts without '%'.
var legacyClasses = map[string]bool{
	"desc": true, "file": true, "memory": true, "process": true,
	"signal": true, "ipc": true, "network": true,
}

// addValue adds the calls of one list value to s's raw bits.
func (s *Set) addValue(tok string) error {
	quiet := false
	for strings.HasPrefix(tok, "?") {
		quiet = true
		tok = tok[1:]
	}
	val := tok
	if i := strings.LastIndexByte(val, '@'); i >= 0 {
		// strace's personality designators. mmtrace decodes only
		// the 64-bit ABI of each machine, which strace calls @64.
		switch p := val[i+1:]; p {
		case "64":
			val = val[:i]
		case "32", "x32":
			if quiet {
				return nil
			}
			return &Error{Kind: Personality32, Word: tok}
		default:
			return &Error{Kind: BadPersonality, Word: tok, Item: p}
		}
	}

	found := false
	switch {
	case val != "" && val[0] >= '0' && val[0] <= '9':
		nr, err := strconv.Atoi(val)
		if err != nil {
			return &Error{Kind: NotNumber, Word: tok}
		}
		for _, arch := range arches {
			if _, ok := sys.Number(arch, sys.Name(arch, nr)); ok && nr < maxNr {
				s.set(arch, nr, true)
				found = true
			}
		}
		if !found && !quiet {
			return &Error{Kind: NoSuchNumber, Word: tok}
		}

	case strings.HasPrefix(val, "/"):
		re, err := regexp.Compile(val[1:])
		if err != nil {
			// strace dies on a bad regex even with '?'.
			return &Error{Kind: BadRegexp, Word: tok, Err: err}
		}
		found = s.addMatching(func(name string) bool { return re.MatchString(name) })
		if !found && !quiet {
			return &Error{Kind: RegexpMatchesNone, Word: tok}
		}

	case strings.HasPrefix(val, "%") || legacyClasses[val] || val == "all":
		var c sys.Class // "all" inside a list is strace's class 0: every named call
		if val != "all" {
			var ok bool
			if c, ok = sys.ClassByName(strings.TrimPrefix(val, "%")); !ok {
				if quiet {
					return nil
				}
				return &Error{Kind: UnknownClass, Word: tok, Suggest: suggest(val, classTokens())}
			}
		}
		// A class is valid even where it has no call, as in strace.
		s.addMatching(func(name string) bool { return sys.Classes(name)&c == c })

	default:
		for _, arch := range arches {
			if nr, ok := sys.Number(arch, val); ok {
				s.set(arch, nr, true)
				found = true
			}
		}
		if !found && !quiet {
			return &Error{Kind: UnknownCall, Word: tok, Suggest: suggest(val, append(allNames(), classTokens()...))}
		}
	}
	return nil
}

// addMatching sets the raw bit of every named call that match accepts, and
// reports whether there was one.
func (s *Set) addMatching(match func(name string) bool) bool {
	found := false
	for _, arch := range arches {
		for _, name := range sys.Names(arch) {
			if match(name) {
				nr, _ := sys.Number(arch, name)
				s.set(arch, nr, true)
				found = true
			}
		}
	}
	return found
}

// FromOptions returns the set chosen by the values of a command line's -e
// options, in order, or def when none of them is a trace option. Each value
// is "trace=SET", "t=SET" or a bare SET, which strace reads as trace=SET.
//
// A later trace option replaces an earlier one rather than adding to it:
// strace's qualify_syscall_tokens clears the set before parsing, so
// "-e trace=open -e trace=close" traces only close. Use Merge to combine
// sets explicitly.
func FromOptions(values []string, def *Set) (*Set, error) {
	set := def
	for _, v := range values {
		expr := v
		if q, rest, ok := strings.Cut(v, "="); ok && qualifiers[q] != "" {
			if qualifiers[q] != "trace" {
				return nil, &Error{Kind: Unsupported, Word: q, Item: qualifiers[q]}
			}
			expr = rest
		}
		s, err := Parse(expr)
		if err != nil {
			return nil, err
		}
		set = s
	}
	return set, nil
}

// qualifiers maps strace's -e qualifier names to the option they stand for.
var qualifiers = map[string]string{
	"trace": "trace", "t": "trace",
	"abbrev": "abbrev", "a": "abbrev",
	"verbose": "verbose", "v": "verbose",
	"raw": "raw", "x": "raw",
	"signal": "signal", "signals": "signal", "s": "signal",
	"status": "status",
	"read":   "read", "reads": "read", "r": "read",
	"write": "write", "writes": "write", "w": "write",
	"quiet": "quiet", "silent": "quiet", "silence": "quiet", "q": "quiet",
	"fault": "fault", "inject": "inject", "kvm": "kvm",
	"decode-fds": "decode-fds", "decode-pids": "decode-pids",
	"trace-fds": "trace-fds", "trace-fd": "trace-fds", "fd": "trace-fds", "fds": "trace-fds",
	"secontext": "secontext", "namespace": "namespace",
}

// allNames returns the names of both architectures, once each.
func allNames() []string {
	var names []string
	for _, arch := range arches {
		names = append(names, sys.Names(arch)...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// classTokens returns the classes as they are written in an expression.
func classTokens() []string {
	var toks []string
	for _, name := range sys.ClassNames() {
		toks = append(toks, "%"+name)
	}
	slices.Sort(toks)
	return toks
}

// suggest returns the candidate nearest to s within two edits, or "" when
// none is that close.
func suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editdist.Levenshtein(s, c); d < bestDist && d < len(s) {
			best, bestDist = c, d
		}
	}
	return best
}

// Full reports whether the set holds every call number of every
// architecture: a seccomp filter would then stop at every call anyway.
func (s *Set) Full() bool {
	for _, arch := range arches {
		for nr := 0; nr <= maxNr; nr++ {
			if !s.Has(arch, nr) {
				return false
			}
		}
	}
	return true
}
