package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/explain"
)

// An outputFile is a file the trace writes: the timeline (-o), the
// picture (--svg), the Perfetto trace (--perfetto). Nothing mmtrace does
// leaves it half written:
//
//   - a regular file, or one that does not exist yet, is written under a
//     temporary name in the same directory and renamed over FILE only when
//     the trace is complete (commit); if mmtrace fails or a write fails,
//     the temporary file is removed and FILE is as it was (abort);
//   - a fifo, a terminal, /dev/null, or a path through /proc (/dev/stdout,
//     /dev/fd/N, a shell's >(...)) is opened write-only and written as the
//     trace goes. Write-only matters: a pipe opened read-write makes
//     mmtrace a reader of its own output, so a reader that goes away never
//     causes EPIPE and the trace never ends.
type outputFile struct {
	flag   string // the flag that named it: "-o", "--svg"; "" for stderr
	path   string // as given; "stderr" or "stdout" for those
	target string // the file renamed over: path with its links resolved
	tmp    string // the temporary file; "" when written directly
	file   *os.File
	done   bool // committed or aborted
	// writing is when the write in progress began (UnixNano), or 0: a
	// write that has waited long is blocked on a reader.
	writing atomic.Int64
}

// outputRequest is one output the flags ask for.
type outputRequest struct{ flag, path string }

// openOutputs opens every output named, after refusing two that are one
// file (-o a.svg --svg a.svg would lose the timeline). On an error nothing
// is left created. Errors are said in l.
func openOutputs(l explain.Lang, reqs []outputRequest) ([]*outputFile, error) {
	if err := sameFiles(l, reqs); err != nil {
		return nil, err
	}
	var outs []*outputFile
	for _, r := range reqs {
		o, err := openOutput(l, r.flag, r.path)
		if err != nil {
			for _, o := range outs {
				o.abort()
			}
			return nil, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// sameFiles refuses two outputs that name one file: by path, links
// resolved, and for files that exist by device and inode (a hard link,
// a bind mount). A character device (/dev/null, a terminal) may take
// several: writing to it destroys nothing.
func sameFiles(l explain.Lang, reqs []outputRequest) error {
	type key struct {
		path     string
		dev, ino uint64
	}
	keys := make([]key, len(reqs))
	for i, r := range reqs {
		var st unix.Stat_t
		if err := unix.Stat(r.path, &st); err == nil {
			if st.Mode&unix.S_IFMT == unix.S_IFCHR {
				keys[i] = key{path: "\x00char"} // never equal to another
				continue
			}
			keys[i].dev, keys[i].ino = st.Dev, st.Ino
		}
		keys[i].path = resolvedPath(r.path)
		for j := range i {
			a, b := keys[i], keys[j]
			if a.path == "\x00char" || b.path == "\x00char" {
				continue
			}
			if a.path == b.path || (a.ino != 0 && a.dev == b.dev && a.ino == b.ino) {
				return usageIn(l, msgSameOutput, reqs[j].flag, reqs[j].path, r.flag, r.path)
			}
		}
	}
	return nil
}

// resolvedPath is path made absolute with its directory's links resolved,
// and its own when it is one, as far as they resolve.
func resolvedPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// throughProc says whether path names an open file of a process rather
// than a file of its own: /dev/stdout, /dev/fd/3, /proc/self/fd/1, or a
// link to one. Such a path is written in place, never replaced: renaming
// over the file a shell redirected stdout to would cut the program's own
// output off.
func throughProc(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	switch {
	case abs == "/dev/stdout", abs == "/dev/stderr", abs == "/dev/stdin",
		strings.HasPrefix(abs, "/dev/fd/"), strings.HasPrefix(abs, "/proc/"):
		return true
	}
	// A link into /proc ends in "pipe:[123]" or a file's name.
	r, err := filepath.EvalSymlinks(abs)
	return err != nil || strings.HasPrefix(r, "/proc/")
}

// ownFd returns the descriptor a path names in mmtrace itself:
// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N.
func ownFd(path string) (int, bool) {
	switch p := filepath.Clean(path); {
	case p == "/dev/stdout":
		return 1, true
	case p == "/dev/stderr":
		return 2, true
	default:
		for _, dir := range []string{"/dev/fd/", "/proc/self/fd/", "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/"} {
			if n, ok := strings.CutPrefix(p, dir); ok {
				fd, err := strconv.Atoi(n)
				return fd, err == nil && fd >= 0
			}
		}
	}
	return 0, false
}

// openOutput opens one output as outputFile's comment says.
func openOutput(l explain.Lang, flag, path string) (*outputFile, error) {
	o := &outputFile{flag: flag, path: path}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return nil, usageIn(l, msgOutputIsDir, flag, path)
	case err == nil && (!st.Mode().IsRegular() || throughProc(path)):
		// Written in place. A regular file reached through /proc is one
		// a shell opened for us (mmtrace run -o /dev/stdout ... >log),
		// where the program writes too: mmtrace shares its open file
		// (and so its offset) rather than writing over the program's
		// output from an offset of its own; failing that, it appends.
		if st.Mode().IsRegular() {
			if fd, ok := ownFd(path); ok {
				if nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3); err == nil {
					o.file = os.NewFile(uintptr(nfd), path)
					return o, nil
				}
			}
		}
		mode := os.O_WRONLY
		if st.Mode().IsRegular() {
			mode |= os.O_APPEND
		}
		f, err := os.OpenFile(path, mode, 0)
		if err != nil {
			return nil, usageIn(l, msgOutputError, flag, path, scenarioError(l, pathErr(err)))
		}
		o.file = f
		return o, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, usageIn(l, msgOutputError, flag, path, scenarioError(l, pathErr(err)))
	case err != nil:
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			// os.Create would create the link's target; a rename would
			// replace the link. Neither is clearly what was meant.
			return nil, usageIn(l, msgOutputDangling, flag, path)
		}
	}
	o.target = resolvedPath(path)
	if err := o.createTemp(l, st); err != nil {
		return nil, err
	}
	return o, nil
}

// createTemp creates the temporary file beside the target, with the mode
// os.Create would have left FILE with: an existing file's own, else 0666
// less the umask.
func (o *outputFile) createTemp(l explain.Lang, old fs.FileInfo) error {
	dir, base := filepath.Split(o.target)
	var err error
	for range 100 {
		o.tmp = filepath.Join(dir, "."+base+".mmtrace-"+strconv.FormatUint(uint64(rand.Uint32()), 36)+".tmp")
		o.file, err = os.OpenFile(o.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		o.tmp = ""
		if errors.Is(err, fs.ErrNotExist) {
			return usageIn(l, msgOutputNoDir, o.flag, o.path, filepath.Dir(o.path))
		}
		return usageIn(l, msgOutputCannotCreate, o.flag, o.path, filepath.Dir(o.target), scenarioError(l, pathErr(err)))
	}
	if old != nil {
		o.file.Chmod(old.Mode().Perm())
		if st, ok := old.Sys().(*syscall.Stat_t); ok && (int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid()) {
			// Root writing over a user's file leaves it the user's; for
			// anyone else the kernel refuses, and the file becomes theirs
			// as an editor's save would.
			o.file.Chown(int(st.Uid), int(st.Gid))
		}
	}
	return nil
}

// pathErr drops the "open PATH:" the message already says.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Write writes to the file. An error names the file as the user did,
// not by its temporary name.
func (o *outputFile) Write(p []byte) (int, error) {
	o.writing.Store(time.Now().UnixNano())
	n, err := o.file.Write(p)
	o.writing.Store(0)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = &fs.PathError{Op: pe.Op, Path: o.path, Err: pe.Err}
	}
	return n, err
}

// blocked says whether a write has been waiting for longer than d.
func (o *outputFile) blocked(d time.Duration) bool {
	at := o.writing.Load()
	return at != 0 && time.Since(time.Unix(0, at)) > d
}

// commit closes the file and, when it was written under a temporary
// name, renames it over FILE. On an error FILE is as it was.
func (o *outputFile) commit() error {
	if o.done {
		return nil
	}
	o.done = true
	err := o.file.Close()
	if o.tmp == "" {
		if err != nil {
			return &commitError{o.label(), err, false}
		}
		return nil
	}
	if err == nil {
		err = os.Rename(o.tmp, o.target)
	}
	if err != nil {
		os.Remove(o.tmp)
		return &commitError{o.label(), err, true}
	}
	return nil
}

// commitError is an output's failure to close or to be renamed into place.
type commitError struct {
	label string // the output: "-o out.txt"
	err   error
	asWas bool // FILE was left as it was: the output was removed
}

func (e *commitError) Error() string {
	if e.asWas {
		return fmt.Sprintf("%s: %v (the file is as it was)", e.label, e.err)
	}
	return fmt.Sprintf("%s: %v", e.label, e.err)
}

func (e *commitError) Unwrap() error { return e.err }

// label names the output in messages: "-o out.txt", "stderr".
func (o *outputFile) label() string { return strings.TrimSpace(o.flag + " " + o.path) }

// abort closes the file and removes the temporary one: FILE is as it was.
func (o *outputFile) abort() {
	if o.done {
		return
	}
	o.done = true
	o.file.Close()
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}

// unblock makes a write that waits for a reader, and every later one,
// fail at once: a pipe whose reader stopped reading must not keep Ctrl-C
// from ending the trace. Only a file in the runtime's poller can be
// unblocked (a pipe or fifo mmtrace opened itself); for the others the
// deadline is refused and nothing changes.
func (o *outputFile) unblock() {
	if !o.done {
		o.file.SetWriteDeadline(time.Now())
	}
}

// timelineFile returns a file of mmtrace's own for a timeline written to
// f, stderr or stdout:
//
//   - Go's runtime kills a program with SIGPIPE when a write to fd 1 or 2
//     fails with EPIPE (unless SIGPIPE is caught), before mmtrace could
//     stop its tracees and remove its temporary files; on any other fd the
//     write returns EPIPE;
//   - a pipe is opened afresh (through /proc/self/fd), which gives mmtrace
//     a description of its own, non-blocking and in the runtime's poller,
//     so a write blocked on a reader that stopped reading can be abandoned
//     (unblock) without touching the traced program's own stderr, the same
//     pipe; anything else is duplicated.
//
// f is returned unchanged when it is not fd 1 or 2, or nothing works.
func timelineFile(f *os.File) *outputFile {
	fd, _ := writerFd(f)
	if fd != 1 && fd != 2 {
		return nil
	}
	name := "stderr"
	if fd == 1 {
		name = "stdout"
	}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFIFO {
		// O_NONBLOCK: opening a pipe with no reader left would otherwise
		// wait for one; it fails with ENXIO instead, and the dup below
		// gets EPIPE at the first write.
		p := "/proc/self/fd/" + strconv.Itoa(fd)
		if nf, err := os.OpenFile(p, os.O_WRONLY|unix.O_NONBLOCK, 0); err == nil {
			return &outputFile{path: name, file: nf}
		}
	}
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil
	}
	return &outputFile{path: name, file: os.NewFile(uintptr(nfd), name)}
}
