package explain

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// fileName is how a note names a file: its base name (the call line above
// shows the whole path), but devices and /proc names whole; escaped when
// rendered.
func fileName(path string) name {
	switch {
	case path == "":
		return "?"
	case strings.HasPrefix(path, "/dev/"), strings.HasPrefix(path, "/proc/"), !strings.HasPrefix(path, "/"):
		return name(path)
	}
	return name(filepath.Base(path))
}

// isLib says whether path is a shared library or the loader's cache: what
// the dynamic loader opens and maps before main.
func isLib(path string) bool {
	base := filepath.Base(path)
	return strings.HasSuffix(base, ".so") || strings.Contains(base, ".so.")
}

// lesson says whether a mapping is one the lesson is about: made by a
// traced call, not the program, a library, the heap or the stack.
func lesson(mp *model.Mapping) bool {
	return !mp.Initial && !isLib(mp.Path) && !strings.HasPrefix(mp.Path, "[")
}

// isDevZero says whether the mapping is of /dev/zero.
func isDevZero(mp *model.Mapping) bool { return mp.Path == "/dev/zero" }

// mapName names what a mapping shows: a file, anonymous memory, the heap.
func mapName(mp *model.Mapping) local {
	switch {
	case mp == nil:
		return lit("?")
	case mp.Path == "[heap]":
		return t(mHeap)
	case strings.HasPrefix(mp.Path, "[stack"):
		return t(mStack)
	case mp.Anon:
		return t(mAnonMemory)
	case mp.Path == "":
		return t(mUnknownFile)
	case isDevZero(mp):
		return t(mDevZeroMapping)
	}
	return fileName(mp.Path)
}

// mapItem is "fork.txt (1 page)".
func (x *Explainer) mapItem(mp *model.Mapping) local {
	return t(mMapItem, "name", mapName(mp), "pages", pages(mp.Pages()))
}

// fdList lists a process's fds: "3 (src.bin) and 4 (dst.bin)"; stdin,
// stdout and stderr only when there is nothing else, as "0-2".
func fdList(fds map[int]model.FD) local {
	nums := make([]int, 0, len(fds))
	for n := range fds {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var items []any
	_, in0 := fds[0]
	_, in1 := fds[1]
	_, in2 := fds[2]
	std := in0 && in1 && in2
	for _, n := range nums {
		if std && n <= 2 {
			continue
		}
		if p := fds[n].Path; p != "" && !strings.HasPrefix(p, "/dev/pts/") && !strings.HasPrefix(p, "/dev/tty") {
			items = append(items, t(mFdItem, "fd", n, "file", fileName(p)))
		} else {
			items = append(items, n)
		}
	}
	switch {
	case len(items) == 0 && std:
		return lit("0-2")
	case len(items) == 0:
		return t(mFdsNone)
	}
	return capList(items)
}

// protText spells PROT_* bits as strace does.
func protText(prot int) string {
	if prot == unix.PROT_NONE {
		return "PROT_NONE"
	}
	var s []string
	for _, f := range []struct {
		bit  int
		name string
	}{{unix.PROT_READ, "PROT_READ"}, {unix.PROT_WRITE, "PROT_WRITE"}, {unix.PROT_EXEC, "PROT_EXEC"}} {
		if prot&f.bit != 0 {
			s = append(s, f.name)
			prot &^= f.bit
		}
	}
	if prot != 0 {
		s = append(s, "0x"+strconv.FormatInt(int64(prot), 16))
	}
	return strings.Join(s, "|")
}

func sigName(sig syscall.Signal) string { return sys.SignalName(sig) }

func errnoName(e syscall.Errno) string { return sys.ErrnoName(e) }

// access is the word for an fd's access mode.
func access(flags int) local {
	switch flags & unix.O_ACCMODE {
	case unix.O_RDONLY:
		return t(mReadOnly)
	case unix.O_WRONLY:
		return t(mWriteOnly)
	}
	return t(mReadWrite)
}

// callPath is the path a call names: its first argument, or its second
// for the *at calls, whose first is a directory fd (creat is not one).
func callPath(c *sys.Call) string {
	switch c.Name {
	case "openat", "execveat", "unlinkat":
		return argPath(c.ArgsText(), 1)
	}
	return argPath(c.ArgsText(), 0)
}

// argPath returns the path a call's argument i names, unquoted from what
// the decoder printed ("/tmp/dd.txt", "/tmp/a\33b", "/tmp/long"... cut at
// PATH_MAX), or "".
func argPath(args []string, i int) string {
	if i >= len(args) {
		return ""
	}
	s := args[i]
	if !strings.HasPrefix(s, `"`) {
		return ""
	}
	end := strings.LastIndexByte(s, '"')
	if end <= 0 {
		return ""
	}
	u, _ := escape.Unquote(s[:end+1])
	return u
}

// fileKind says what kind of file path is, for ftruncate's EINVAL: nil
// for a regular file or one that cannot be looked at.
func fileKind(path string) local {
	switch {
	case strings.HasPrefix(path, "pipe:"):
		return t(mKindFifo)
	case strings.HasPrefix(path, "socket:"):
		return t(mKindSocket)
	case strings.HasPrefix(path, "anon_inode:"):
		return t(mKindOther)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	switch m := st.Mode(); {
	case m.IsRegular():
		return nil
	case m&os.ModeCharDevice != 0:
		return t(mKindChar)
	case m&os.ModeDevice != 0:
		return t(mKindBlock)
	case m.IsDir():
		return t(mKindDir)
	case m&os.ModeNamedPipe != 0:
		return t(mKindFifo)
	case m&os.ModeSocket != 0:
		return t(mKindSocket)
	}
	return t(mKindOther)
}

// fileSize is the size of a mapped file now, or when it was mapped if it
// cannot be looked at now; -1 if unknown.
func fileSize(mp *model.Mapping) int64 {
	if st, err := os.Stat(mp.Path); err == nil && st.Mode().IsRegular() {
		return st.Size()
	}
	return mp.FileSize
}

func (x *Explainer) pageUp(n uint64) uint64 { return (n + x.page - 1) &^ (x.page - 1) }

func (x *Explainer) pagesOf(n uint64) count { return pages(x.pageUp(n) / x.page) }

// rounded is the " (4 bytes asked for: ...)" of a length that is not a
// page multiple.
func (x *Explainer) rounded(length uint64) local {
	if length%x.page == 0 {
		return lit("")
	}
	return t(mRounded, "len", nbytes(length))
}

// pseudoFS are the file systems whose regular files are views the kernel
// makes up (/proc, /sys and their kin): open works, mmap does not.
var pseudoFS = map[int64]bool{
	unix.PROC_SUPER_MAGIC: true, unix.SYSFS_MAGIC: true, unix.CGROUP_SUPER_MAGIC: true,
	unix.CGROUP2_SUPER_MAGIC: true, unix.DEBUGFS_MAGIC: true, unix.TRACEFS_MAGIC: true,
	unix.SECURITYFS_MAGIC: true, unix.BPF_FS_MAGIC: true, configfsMagic: true,
	unix.PSTOREFS_MAGIC: true, unix.EFIVARFS_MAGIC: true,
}

// mappable says whether path is a file a mapping can show: a regular
// file (or one that cannot be looked at), not a device, a pipe or a
// directory, nor a file of /proc or /sys, where mmap fails with ENODEV.
func mappable(path string) bool {
	if fileKind(path) != nil {
		return false
	}
	var fs unix.Statfs_t
	return unix.Statfs(path, &fs) != nil || !pseudoFS[int64(fs.Type)]
}

// defaultIgnored are the signals whose default action is to ignore them
// (signal(7)): a process that does not catch one never sees it, unless it
// is traced.
var defaultIgnored = [...]syscall.Signal{unix.SIGCHLD, unix.SIGCONT, unix.SIGURG, unix.SIGWINCH}

// tracedOnly says whether the signals pending for thread tid, stopped
// at the end of an interrupted call, are all ones its process does not
// catch and that are ignored (at their default action or by SIG_IGN): the
// kernel discards such a signal unless the process is traced, and only
// then does it interrupt a call. It returns the first such signal.
func tracedOnly(tid int) (syscall.Signal, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return 0, false
	}
	masks := map[string]uint64{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		switch k {
		case "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt":
		default:
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if !ok || err != nil {
			return 0, false
		}
		masks[k] = n
	}
	if len(masks) != 5 {
		return 0, false
	}
	pending := (masks["SigPnd"] | masks["ShdPnd"]) &^ masks["SigBlk"]
	var first syscall.Signal
	for sig := syscall.Signal(1); sig <= 64; sig++ {
		bit := uint64(1) << (sig - 1)
		if pending&bit == 0 {
			continue
		}
		ignored := masks["SigIgn"]&bit != 0
		if !ignored && masks["SigCgt"]&bit == 0 {
			for _, d := range defaultIgnored {
				ignored = ignored || d == sig
			}
		}
		if !ignored {
			return 0, false
		}
		if first == 0 {
			first = sig
		}
	}
	return first, first != 0
}

// configfsMagic is CONFIGFS_MAGIC, which x/sys/unix does not name.
const configfsMagic = 0x62656570
