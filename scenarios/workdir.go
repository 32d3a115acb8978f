package scenarios

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"golang.org/x/sys/unix"
)

// A scenario's files go to a fresh directory, os.TempDir()/mmtrace-NAME-N,
// removed at the end of the run. What cannot be caught (SIGKILL, the OOM
// killer, a SIGPIPE before the output is handled) leaves it behind, so
// every run first removes the directories of runs that are gone.
//
// Which run is gone is told by a lock, not a pid (a pid is reused): the
// run holds an flock on the file mmtrace.lock in its directory for its
// whole life, and the kernel drops the lock when the process ends, however
// it ends. A directory whose lock can be taken is stale.

// lockName is the lock file in a work directory. It holds the owner's pid,
// for a person looking; the flock is what counts.
const lockName = "mmtrace.lock"

// workDirName matches the directories NewWorkDir makes: os.MkdirTemp's
// pattern "mmtrace-NAME-" followed by its random decimal number.
var workDirName = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`^mmtrace-([a-z][a-z0-9-]*)-[0-9]+$`) })

// WorkDir is a scenario run's temporary directory, locked while the run
// lives.
type WorkDir struct {
	// Path is the directory.
	Path string
	lock *os.File
}

// NewWorkDir removes the stale work directories of earlier runs from
// os.TempDir() and makes a fresh, locked one for scenario name.
func NewWorkDir(name string) (*WorkDir, error) { return NewWorkDirIn(English, name) }

// NewWorkDirIn is NewWorkDir with its errors in l.
func NewWorkDirIn(l Lang, name string) (*WorkDir, error) {
	RemoveStaleWorkDirs(os.TempDir())
	dir, err := os.MkdirTemp("", "mmtrace-"+name+"-")
	if err != nil {
		return nil, l.wrap(err)
	}
	lock, err := lockNew(l, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &WorkDir{Path: dir, lock: lock}, nil
}

// lockNew makes dir's lock file, locked. It is made under another name
// and renamed into place once locked, so that no other run ever sees an
// unlocked mmtrace.lock in a live directory.
func lockNew(l Lang, dir string) (*os.File, error) {
	tmp := filepath.Join(dir, "."+lockName+".new")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, l.errorf("lock file: %w", "锁文件：%w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, l.errorf("lock file: %w", "锁文件：%w", os.NewSyscallError("flock", err))
	}
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := os.Rename(tmp, filepath.Join(dir, lockName)); err != nil {
		f.Close()
		return nil, l.errorf("lock file: %w", "锁文件：%w", err)
	}
	return f, nil
}

// Keep leaves the directory for the user: the lock file goes, so that no
// later run takes the directory for a stale one.
func (w *WorkDir) Keep() error {
	err := os.Remove(filepath.Join(w.Path, lockName))
	w.lock.Close()
	return err
}

// Remove removes the directory, then lets go of the lock.
func (w *WorkDir) Remove() error {
	err := os.RemoveAll(w.Path)
	w.lock.Close()
	return err
}

// RemoveStaleWorkDirs removes from tmp the work directories whose run is
// gone: named as NewWorkDir names them, for a scenario that exists, owned
// by this user, holding a lock file whose lock is free. A directory
// without a lock file (kept with --keep, from an older mmtrace, or just
// being made) is left alone. It returns the directories removed.
func RemoveStaleWorkDirs(tmp string) []string {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		m := workDirName.Get().FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		if _, ok := Lookup(m[1]); !ok {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		if removeIfStale(dir) {
			removed = append(removed, dir)
		}
	}
	return removed
}

// removeIfStale removes dir if its lock file can be locked.
func removeIfStale(dir string) bool {
	var st unix.Stat_t
	if err := unix.Lstat(dir, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR || int(st.Uid) != os.Geteuid() {
		return false
	}
	fd, err := unix.Open(filepath.Join(dir, lockName), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return false // a live run holds it (EWOULDBLOCK), or no lock here
	}
	// Still the directory checked, and its lock file (not one that was
	// swapped in meanwhile)?
	var lst, now unix.Stat_t
	if unix.Fstat(fd, &lst) != nil || unix.Lstat(dir, &now) != nil ||
		now.Ino != st.Ino || now.Dev != st.Dev || lst.Dev != st.Dev || lst.Mode&unix.S_IFMT != unix.S_IFREG {
		return false
	}
	return os.RemoveAll(dir) == nil
}
