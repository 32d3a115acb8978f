package filter

import (
	"encoding/binary"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Paths is the set of files strace's -P selects: a call is shown only if it
// touches one of them, by a file name among its arguments or by a file
// descriptor that refers to one (as /proc/PID/fd says).
//
// A path is compared with the call's file name as the call gives it, as
// strace compares it: -P /etc/passwd does not match open("passwd") in /etc.
// As strace does, the path given is kept and, where it is a symbolic link
// or not canonical, so is the file it resolves to.
//
// Beyond strace, a path may be a pattern: '*', '?' and '[...]' match
// within one name (as path.Match), and a name of "**" matches any number
// of names, none included: "/tmp/**" is /tmp and everything under it. A
// pattern also matches a relative file name by where it leads: joined to
// the directory the call names it from (its dirfd, or the working
// directory).
type Paths struct {
	exact    map[string]bool
	patterns [][]string // each split at '/'
}

// Resolved is a -P path that led to another file, which is watched too.
type Resolved struct{ Path, Into string }

// String says it as strace does.
func (r Resolved) String() string {
	return fmt.Sprintf("Requested path %q resolved into %q", r.Path, r.Into)
}

// NewPaths returns the set of the -P arguments; resolve is filepath's
// EvalSymlinks made absolute, or a stand-in for tests. notes say which
// paths were resolved to another (strace: "Requested path \"/tmp/l\"
// resolved into \"/tmp/f\"").
func NewPaths(args []string, resolve func(string) (string, error)) (*Paths, []Resolved, error) {
	p := &Paths{exact: map[string]bool{}}
	var notes []Resolved
	for _, a := range args {
		if a == "" {
			return nil, nil, &Error{Kind: EmptyPath}
		}
		if isPattern(a) {
			if !strings.HasPrefix(a, "/") {
				return nil, nil, &Error{Kind: RelativePattern, Word: a}
			}
			segs := strings.Split(path.Clean(a), "/")
			for _, s := range segs {
				if _, err := path.Match(s, ""); err != nil {
					return nil, nil, &Error{Kind: BadPattern, Word: a, Err: err}
				}
			}
			p.patterns = append(p.patterns, segs)
			continue
		}
		p.exact[a] = true
		if r, err := resolve(a); err == nil && r != a && !p.exact[r] {
			p.exact[r] = true
			notes = append(notes, Resolved{a, r})
		}
	}
	return p, notes, nil
}

// isPattern says whether a -P argument has wildcards.
func isPattern(s string) bool { return strings.ContainsAny(s, "*?[") }

// Match says whether name is one of the paths or matches a pattern.
func (p *Paths) Match(name string) bool {
	if p.exact[name] {
		return true
	}
	if len(p.patterns) == 0 || !strings.HasPrefix(name, "/") {
		return false
	}
	segs := strings.Split(path.Clean(name), "/")
	for _, pat := range p.patterns {
		if matchSegs(pat, segs) {
			return true
		}
	}
	return false
}

// matchSegs matches names against a pattern's names, "**" standing for
// any number of them.
func matchSegs(pat, names []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(names); i++ {
				if matchSegs(pat[1:], names[i:]) {
					return true
				}
			}
			return false
		}
		if len(names) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], names[0]); !ok {
			return false
		}
		pat, names = pat[1:], names[1:]
	}
	return len(names) == 0
}

// Tracee is what Touches reads of the thread making a call.
type Tracee interface {
	sys.Memory
	// FDPath returns what fd refers to, as the link /proc/PID/fd/FD
	// reads: a file's path, "pipe:[1234]", "socket:[5678]".
	FDPath(fd int) (string, bool)
	// Cwd returns the working directory.
	Cwd() (string, bool)
}

// atFDCWD is AT_FDCWD.
const atFDCWD = -100

// pathArg is a file name argument and the dirfd argument it is relative
// to (-1: the working directory).
type pathArg struct{ arg, dirfd int }

// pathCall is how a call names files, where strace's pathtrace.c does not
// just look at its first argument.
type pathCall struct {
	fds   []int
	paths []pathArg
	none  bool // it names no file: never matched
	check func(p *Paths, args [6]uint64, t Tracee) bool
}

// pathCalls lists strace's special cases (pathtrace_match_set). It is
// built on first use: only -P needs it.
var pathCalls = lazy.Of(func() map[string]pathCall {
	m := map[string]pathCall{}
	add := func(c pathCall, names ...string) {
		for _, n := range names {
			m[n] = c
		}
	}
	add(pathCall{fds: []int{0, 1}}, "dup2", "dup3", "kexec_file_load")
	add(pathCall{fds: []int{0}, paths: []pathArg{{1, 0}}},
		"execveat", "faccessat", "faccessat2", "fchmodat", "fchmodat2", "fchownat", "fspick",
		"fstatat64", "futimesat", "inotify_add_watch", "mkdirat", "mknodat", "name_to_handle_at",
		"newfstatat", "open_tree", "openat", "openat2", "readlinkat", "statx", "unlinkat",
		"utimensat", "getxattrat", "setxattrat", "listxattrat", "removexattrat")
	add(pathCall{paths: []pathArg{{0, -1}, {1, -1}}}, "link", "mount", "pivot_root")
	add(pathCall{paths: []pathArg{{1, -1}}}, "quotactl", "symlink")
	add(pathCall{fds: []int{0, 2}, paths: []pathArg{{1, 0}, {3, 2}}}, "linkat", "move_mount", "renameat2", "renameat")
	add(pathCall{fds: []int{4}}, "mmap", "mmap2", "old_mmap")
	add(pathCall{fds: []int{1}, paths: []pathArg{{2, 1}}}, "symlinkat")
	add(pathCall{fds: []int{0, 2}}, "copy_file_range", "splice")
	add(pathCall{fds: []int{2}}, "epoll_ctl")
	add(pathCall{fds: []int{3}, paths: []pathArg{{4, 3}}}, "fanotify_mark")
	add(pathCall{check: pollMatch}, "poll", "ppoll")
	add(pathCall{check: selectMatch}, "select", "pselect6")
	add(pathCall{none: true},
		"accept4", "accept", "bpf", "epoll_create", "epoll_create1", "eventfd2", "eventfd",
		"fanotify_init", "inotify_init", "inotify_init1", "io_uring_enter", "io_uring_register",
		"io_uring_setup", "memfd_create", "memfd_secret", "mq_getsetattr", "mq_notify", "mq_open",
		"mq_timedreceive", "mq_timedsend", "perf_event_open", "pipe", "pipe2", "signalfd",
		"signalfd4", "socket", "socketpair", "timerfd_create", "timerfd_gettime", "timerfd_settime",
		"userfaultfd")
	return m
})

// Touches says whether the call name, entering with args, touches one of
// the paths, as strace's pathtrace_match_set decides: by the file names and
// file descriptors it takes, read at entry.
func (p *Paths) Touches(name string, args [6]uint64, t Tracee) bool {
	cls := sys.Classes(name)
	if cls&(sys.ClassFile|sys.ClassDesc|sys.ClassNetwork) == 0 {
		return false
	}
	c, special := pathCalls.Get()[name]
	if !special {
		// Everything else: its first argument.
		switch {
		case cls&sys.ClassFile != 0:
			c = pathCall{paths: []pathArg{{0, -1}}}
		default:
			c = pathCall{fds: []int{0}}
		}
	}
	switch {
	case c.none:
		return false
	case c.check != nil:
		return c.check(p, args, t)
	}
	for _, i := range c.fds {
		if p.fdMatch(int32(args[i]), t) {
			return true
		}
	}
	for _, a := range c.paths {
		if p.nameMatch(args, a, t) {
			return true
		}
	}
	return false
}

// fdMatch says whether fd refers to one of the paths.
func (p *Paths) fdMatch(fd int32, t Tracee) bool {
	if fd < 0 {
		return false
	}
	s, ok := t.FDPath(int(fd))
	return ok && p.Match(s)
}

// nameMatch says whether the file name argument a is one of the paths: as
// given, or, for a pattern, by where a relative name leads.
func (p *Paths) nameMatch(args [6]uint64, a pathArg, t Tracee) bool {
	s, ok := sys.ReadPath(t, args[a.arg])
	if !ok {
		return false
	}
	if p.Match(s) {
		return true
	}
	if len(p.patterns) == 0 || strings.HasPrefix(s, "/") {
		return false
	}
	var base string
	if a.dirfd >= 0 && int32(args[a.dirfd]) != atFDCWD {
		fd := int32(args[a.dirfd])
		if fd < 0 {
			return false
		}
		base, ok = t.FDPath(int(fd))
	} else {
		base, ok = t.Cwd()
	}
	return ok && strings.HasPrefix(base, "/") && p.Match(filepath.Join(base, s))
}

// pollMatch: any fd of poll's or ppoll's array of struct pollfd (int fd;
// short events, revents).
func pollMatch(p *Paths, args [6]uint64, t Tracee) bool {
	n := args[1]
	if args[0] == 0 || n == 0 || n > 1<<16 {
		return false
	}
	b := make([]byte, 8*n)
	if got, err := t.Read(args[0], b); err != nil || got != len(b) {
		return false
	}
	for i := uint64(0); i < n; i++ {
		if p.fdMatch(int32(binary.LittleEndian.Uint32(b[8*i:])), t) {
			return true
		}
	}
	return false
}

// selectMatch: any fd in select's or pselect6's three fd_sets, of nfds
// bits each.
func selectMatch(p *Paths, args [6]uint64, t Tracee) bool {
	nfds := int32(args[0])
	if nfds <= 0 || nfds > 1<<16 {
		return false
	}
	size := (int(nfds) + 63) / 64 * 8
	b := make([]byte, size)
	for _, set := range args[1:4] {
		if set == 0 {
			continue
		}
		if got, err := t.Read(set, b); err != nil || got != size {
			continue
		}
		for fd := 0; fd < int(nfds); fd++ {
			if b[fd/8]&(1<<(fd%8)) != 0 && p.fdMatch(int32(fd), t) {
				return true
			}
		}
	}
	return false
}
