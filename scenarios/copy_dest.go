package scenarios

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"
)

// How copy keeps DST safe, as install, rsync and most editors do:
//
//   - every check that can fail on SRC (open, fstat, its filesystem, that
//     it and DST's mapping fit in the address space) runs before anything
//     is made for DST;
//   - the copy is written as DIR/.NAME.mmtrace/NAME (NAME being DST's
//     name): a directory made for this run beside DST, so on DST's
//     filesystem, and locked by this process while it lives;
//   - it is renamed over DST only when every child succeeded and it checks
//     out; on any failure the directory is removed, DST as it was.
//
// The file keeps DST's name, so the timeline's notes and pictures name it
// as the lesson does. A copy killed outright (SIGKILL) leaves the
// directory: the next copy to the same DST finds its lock free and
// removes it; while a copy runs, another to the same DST is refused.

// source is SRC, checked.
type source struct {
	path string
	st   fs.FileInfo // of the open file
}

// destination is the file the copy replaces or creates.
type destination struct {
	// path is DST, DST/basename(SRC) when DST is a directory, or a
	// symbolic link's target: the name renamed over, as cp writes
	// through a link.
	path string
	// old is the file there before the copy, nil if none.
	old fs.FileInfo
	// mode is the copy's mode: old's, or SRC's for a new file (as cp).
	mode uint32
}

// pseudoFS names the filesystems whose files are made by the kernel when
// they are read: no page cache pages behind them, a size of 0 or 4096
// whatever they hold, and mmap refused (ENODEV) or, for a few, device
// memory. cp reads them; copy cannot map them.
var pseudoFS = map[int64]string{
	unix.PROC_SUPER_MAGIC:    "procfs",
	unix.SYSFS_MAGIC:         "sysfs",
	unix.DEBUGFS_MAGIC:       "debugfs",
	unix.TRACEFS_MAGIC:       "tracefs",
	unix.SECURITYFS_MAGIC:    "securityfs",
	unix.CGROUP_SUPER_MAGIC:  "cgroupfs",
	unix.CGROUP2_SUPER_MAGIC: "cgroup2",
	0x62656570:               "configfs",
	unix.BPF_FS_MAGIC:        "bpffs",
	unix.EFIVARFS_MAGIC:      "efivarfs",
	unix.PSTOREFS_MAGIC:      "pstore",
	unix.SELINUX_MAGIC:       "selinuxfs",
	unix.SMACK_MAGIC:         "smackfs",
	unix.BINFMTFS_MAGIC:      "binfmt_misc",
	unix.NSFS_MAGIC:          "nsfs",
}

// checkSource refuses, before anything is created or truncated, a SRC
// that cp would refuse (missing, unreadable, not a regular file) and one
// that cannot be mapped: a file of a kernel filesystem (/proc, /sys), a
// file of size 0 that reads as bytes, a mapping that does not fit.
func checkSource(l Lang, path string) (*source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, l.errorf("cannot copy %s: %w", "无法复制 %s：%w", path, unwrapPath(err))
	}
	switch {
	case st.IsDir():
		return nil, l.errorf("cannot copy %s: it is a directory", "无法复制 %s：它是目录", path)
	case !st.Mode().IsRegular():
		return nil, l.errorf("cannot copy %s: not a regular file (%s); only a regular file can be mapped and split into parts",
			"无法复制 %s：不是普通文件（%s）；只有普通文件才能映射并分成几部分", path, fileKind(l, st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, l.errorf("cannot copy %s: %w", "无法复制 %s：%w", path, unwrapPath(err))
	}
	defer f.Close()
	// The open file's own status: SRC may have been replaced since Stat.
	if st, err = f.Stat(); err != nil {
		return nil, l.errorf("cannot copy %s: %w", "无法复制 %s：%w", path, unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		return nil, l.errorf("cannot copy %s: not a regular file (%s)", "无法复制 %s：不是普通文件（%s）", path, fileKind(l, st.Mode()))
	}
	var sfs unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &sfs); err == nil {
		if name, ok := pseudoFS[int64(sfs.Type)]; ok {
			return nil, l.errorf("%s cannot be mapped, it has no pages (a %s file: the kernel makes its contents as it is read); use cp",
				"%s 不能映射，它没有页（它是 %s 中的文件：内容是内核在读取时生成的）；请用 cp", path, name)
		}
	}
	if st.Size() == 0 {
		// A real empty file reads as nothing; a file that says 0 and
		// reads as bytes has nothing a mapping could show.
		var b [1]byte
		if n, _ := f.ReadAt(b[:], 0); n > 0 {
			return nil, l.errorf("%s cannot be mapped, it has no pages (its size is 0, yet it reads as bytes); use cp",
				"%s 不能映射，它没有页（它的大小是 0，却能读出字节）；请用 cp", path)
		}
		return &source{path: path, st: st}, nil
	}
	if err := tryMap(l, f, st.Size()); err != nil {
		return nil, l.errorf("cannot copy %s: %w", "无法复制 %s：%w", path, err)
	}
	return &source{path: path, st: st}, nil
}

// tryMap maps f as the body will, and reserves as much address space
// again for DST's mapping, then unmaps both: a limit on the address space
// (ulimit -v) or a file that cannot be mapped fails here, not after DST
// was touched. Nothing is read.
func tryMap(l Lang, f *os.File, size int64) error {
	m, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		switch {
		case errors.Is(err, unix.ENOMEM):
			return l.errorf("no room to map its %s (mmap: %v); is the address space limited (ulimit -v)?",
				"没有空间映射它的 %s（mmap：%v）；地址空间是否受到了限制（ulimit -v）？", quantityIn(l, size, "byte", "bytes", "字节"), err)
		case errors.Is(err, unix.ENODEV), errors.Is(err, unix.EINVAL), errors.Is(err, unix.EACCES):
			return l.errorf("it cannot be mapped (mmap: %v); use cp", "它不能映射（mmap：%v）；请用 cp", err)
		}
		return l.wrap(os.NewSyscallError("mmap", err))
	}
	defer unix.Munmap(m)
	r, err := unix.Mmap(-1, 0, int(size), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return l.errorf("no room to map its %s and DST's as many beside them (mmap: %v); is the address space limited (ulimit -v)?",
			"没有空间同时映射它的 %s 和同样大小的 DST（mmap：%v）；地址空间是否受到了限制（ulimit -v）？", quantityIn(l, size, "byte", "bytes", "字节"), err)
	}
	unix.Munmap(r)
	return nil
}

// checkDest returns the file to write: dst, or dst/basename(src) when dst
// is a directory. It refuses a DST that is SRC itself (by device and
// inode, so through a hard or symbolic link too), a dangling symbolic
// link, a directory, a file that is not regular, a file cp could not
// write, and a directory the copy cannot be made in.
func checkDest(l Lang, src *source, dst string) (*destination, error) {
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		dst = filepath.Join(dst, filepath.Base(src.path))
	}
	d := &destination{path: dst, mode: uint32(src.st.Mode().Perm())}
	st, err := os.Stat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(dst); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, l.errorf("cannot copy to %s: not writing through a dangling symbolic link", "无法复制到 %s：不通过悬空的符号链接写入", dst)
		}
		dir := filepath.Dir(dst)
		dirSt, err := os.Stat(dir)
		if err != nil {
			return nil, l.errorf("cannot create %s: %s: %w", "无法创建 %s：%s：%w", dst, dir, unwrapPath(err))
		}
		if !dirSt.IsDir() {
			return nil, l.errorf("cannot create %s: %s is not a directory", "无法创建 %s：%s 不是目录", dst, dir)
		}
	case err != nil:
		return nil, l.errorf("cannot copy to %s: %w", "无法复制到 %s：%w", dst, unwrapPath(err))
	case os.SameFile(src.st, st):
		return nil, l.errorf("%s and %s are the same file: refusing to copy it onto itself", "%s 和 %s 是同一个文件：拒绝把它复制到自己身上", src.path, dst)
	case st.IsDir():
		return nil, l.errorf("cannot overwrite directory %s with a file", "不能用文件覆盖目录 %s", dst)
	case !st.Mode().IsRegular():
		return nil, l.errorf("cannot copy to %s: not a regular file (%s); the copy maps DST, which needs a regular file",
			"无法复制到 %s：不是普通文件（%s）；复制要映射 DST，这需要普通文件", dst, fileKind(l, st.Mode()))
	default:
		// Replaced, not written into: refuse what cp could not write.
		if err := unix.Access(dst, unix.W_OK); err != nil {
			return nil, l.errorf("cannot copy to %s: %v", "无法复制到 %s：%v", dst, err)
		}
		target, err := filepath.EvalSymlinks(dst)
		if err != nil {
			return nil, l.errorf("cannot copy to %s: %w", "无法复制到 %s：%w", dst, unwrapPath(err))
		}
		d.path, d.old, d.mode = target, st, uint32(st.Mode().Perm())
	}
	dir := filepath.Dir(d.path)
	if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
		return nil, l.errorf("cannot copy to %[1]s: the copy is made in %[2]s and renamed over it, and %[2]s is not writable: %[3]v",
			"无法复制到 %[1]s：副本要在 %[2]s 中写好再改名覆盖它，而 %[2]s 不可写：%[3]v", d.path, dir, err)
	}
	return d, nil
}

// staging is the directory the copy is written in, beside DST.
type staging struct {
	dir  string   // DIR/.NAME.mmtrace
	file string   // DIR/.NAME.mmtrace/NAME: the copy
	lock *os.File // dir, flocked; nil once removed
}

// stagingName is the directory for a copy to name: .NAME.mmtrace, or,
// where that is longer than a name may be, .mmtrace- and a hash of NAME
// (64-bit FNV-1a: the name needs no cryptographic hash, and crypto/sha256
// linked the FIPS module, whose packages' init every start of mmtrace ran).
func stagingName(name string) string {
	if s := "." + name + ".mmtrace"; len(s) <= 255 {
		return s
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return ".mmtrace-" + hex.EncodeToString(h.Sum(nil))
}

// newStaging makes d's staging directory, locked. One left by a copy that
// died is removed first; one whose lock is held (a copy running now) or
// that is not mmtrace's is an error.
func newStaging(l Lang, d *destination) (*staging, error) {
	name := filepath.Base(d.path)
	dir := filepath.Join(filepath.Dir(d.path), stagingName(name))
	for try := 0; try < 3; try++ {
		err := os.Mkdir(dir, 0o700)
		if errors.Is(err, fs.ErrExist) {
			if !removeStaleStaging(dir, name) {
				return nil, l.errorf("cannot copy to %s: %s exists: another mmtrace copy to it is running, or it is not mmtrace's (remove it if no copy is running)",
					"无法复制到 %s：%s 已经存在：另一个复制到这里的 mmtrace copy 正在运行，或者它不是 mmtrace 的（如果没有复制在运行，请删除它）", d.path, dir)
			}
			continue
		}
		if err != nil {
			return nil, l.errorf("cannot copy to %s: making %s, where the copy is written: %w", "无法复制到 %s：创建写副本的目录 %s：%w", d.path, dir, unwrapPath(err))
		}
		lock, err := os.Open(dir)
		if err != nil {
			os.Remove(dir)
			return nil, l.errorf("cannot copy to %s: %w", "无法复制到 %s：%w", d.path, err)
		}
		err = unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if errors.Is(err, unix.EWOULDBLOCK) {
			// Taken between our mkdir and our lock, by a copy that
			// takes it for stale: let it remove it, and make it again.
			lock.Close()
			continue
		}
		// Any other error: this filesystem cannot flock (some network
		// filesystems); the copy goes on unlocked, and a directory left
		// by a killed copy there is not removed by the next one.
		if now, serr := os.Lstat(dir); serr != nil || !sameFileAs(lock, now) {
			lock.Close()
			continue // removed meanwhile: make it again
		}
		return &staging{dir: dir, file: filepath.Join(dir, name), lock: lock}, nil
	}
	return nil, l.errorf("cannot copy to %s: %s keeps changing under another mmtrace copy", "无法复制到 %s：%s 一直在被另一个 mmtrace copy 改动", d.path, dir)
}

func sameFileAs(f *os.File, st fs.FileInfo) bool {
	fst, err := f.Stat()
	return err == nil && os.SameFile(fst, st)
}

// removeStaleStaging removes dir, a staging directory for name, if it is
// mmtrace's and no copy holds it: a directory of this user, whose lock is
// free, holding nothing but name (a regular file).
func removeStaleStaging(dir, name string) bool {
	st, err := os.Lstat(dir)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist) // gone already: make it
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !st.IsDir() || !ok || int(sys.Uid) != os.Geteuid() {
		return false
	}
	lock, err := os.OpenFile(dir, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_DIRECTORY, 0)
	if err != nil {
		return false
	}
	defer lock.Close()
	if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil || !sameFileAs(lock, st) {
		return false
	}
	names, err := lock.Readdirnames(-1)
	if err != nil || len(names) > 1 || (len(names) == 1 && names[0] != name) {
		return false
	}
	if len(names) == 1 {
		if fst, err := os.Lstat(filepath.Join(dir, name)); err != nil || !fst.Mode().IsRegular() {
			return false
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return os.Remove(dir) == nil
}

// remove removes the copy, if it is still there, and the directory; it
// may run more than once.
func (s *staging) remove() {
	if s.lock == nil {
		return
	}
	os.Remove(s.file)
	os.Remove(s.dir)
	s.lock.Close()
	s.lock = nil
}

// verify checks the finished copy before it replaces DST: its size, that
// SRC is the file it was when the copy was planned (same inode, size and
// modification time), and the bytes of a sample of pages, SRC's against
// the copy's: the first and last page of every part (where a part copied
// to the wrong place or cut short would show) and 64 pages spread over
// the file. It returns how many pages it compared.
//
// Why not every byte: comparing 1 GiB, both files in the page cache,
// took 150-240 ms here (read and bytes.Equal; 100-160 ms with two
// goroutines; mmap and bytes.Equal 0.8-1.3 s), about as long as the copy
// itself (178 ms in the README's benchmark); the whole After of a 1 GiB
// copy, this sample, the stats and the rename, took 4-47 ms on a loaded
// machine. The children's exit statuses already vouch for the bytes they
// copied; what they cannot see is what this checks.
func (r *copyRun) verify() (int, error) {
	l := r.lang
	checking := func(err error) error { return l.errorf("checking the copy: %w", "检查副本：%w", err) }
	f, err := os.Open(r.stage.file)
	if err != nil {
		return 0, checking(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, checking(err)
	}
	if st.Size() != r.size {
		return 0, l.errorf("the copy holds %s, SRC %s", "副本有 %s，SRC 有 %s",
			quantityIn(l, st.Size(), "byte", "bytes", "字节"), quantityIn(l, r.size, "byte", "bytes", "字节"))
	}
	now, err := os.Stat(r.src.path)
	if err != nil {
		return 0, l.errorf("checking %s after the copy: %w", "复制之后检查 %s：%w", r.src.path, unwrapPath(err))
	}
	if !os.SameFile(now, r.src.st) || now.Size() != r.size || !now.ModTime().Equal(r.src.st.ModTime()) {
		return 0, l.errorf("%s changed during the copy (its size, modification time or inode is not what it was)",
			"%s 在复制期间改变了（它的大小、修改时间或 inode 与原来不同）", r.src.path)
	}
	sf, err := os.Open(r.src.path)
	if err != nil {
		return 0, checking(err)
	}
	defer sf.Close()
	pages := samplePages(r.parts, r.size, r.pageSize)
	want, got := make([]byte, r.pageSize), make([]byte, r.pageSize)
	for _, off := range pages {
		n := min(r.pageSize, r.size-off)
		if _, err := sf.ReadAt(want[:n], off); err != nil && err != io.EOF {
			return 0, l.errorf("checking the copy: reading %s: %w", "检查副本：读 %s：%w", r.src.path, err)
		}
		if _, err := f.ReadAt(got[:n], off); err != nil && err != io.EOF {
			return 0, checking(err)
		}
		if !bytes.Equal(want[:n], got[:n]) {
			return 0, l.errorf("the copy differs from %s in the page at byte %d", "副本与 %s 在从字节 %d 开始的那一页不同", r.src.path, off)
		}
	}
	return len(pages), nil
}

// samplePages returns the offsets of the pages verify compares, in order.
func samplePages(parts []copyPart, size, pageSize int64) []int64 {
	if size == 0 {
		return nil
	}
	page := func(off int64) int64 { return off / pageSize * pageSize }
	var offs []int64
	for _, p := range parts {
		offs = append(offs, page(p.start), page(p.end-1))
	}
	const spread = 64
	for i := int64(0); i < spread; i++ {
		offs = append(offs, page(size/spread*i))
	}
	offs = append(offs, page(size-1))
	slices.Sort(offs)
	return slices.Compact(offs)
}

// commit renames the copy over DST. A DST that existed keeps its mode, and
// its owner where this user may give it; the note says when it could
// not.
func (r *copyRun) commit() (note string, err error) {
	l := r.lang
	if old := r.dst.old; old != nil {
		if err := os.Chmod(r.stage.file, old.Mode().Perm()); err != nil {
			return "", l.wrap(err)
		}
		if sys, ok := old.Sys().(*syscall.Stat_t); ok && (int(sys.Uid) != os.Geteuid() || int(sys.Gid) != os.Getegid()) {
			if err := os.Lchown(r.stage.file, int(sys.Uid), int(sys.Gid)); err != nil {
				note = l.sprintf("%s belonged to uid %d, gid %d; the new %s is yours (chown: %v)",
					"%s 原属于 uid %d、gid %d；新的 %s 属于你（chown：%v）",
					r.dst.path, sys.Uid, sys.Gid, filepath.Base(r.dst.path), l.wrap(unwrapPath(err)))
			}
		}
	}
	if err := os.Rename(r.stage.file, r.dst.path); err != nil {
		return "", l.errorf("renaming the copy over %s: %w", "把副本改名覆盖 %s：%w", r.dst.path, unwrapPath(err))
	}
	return note, nil
}

// unwrapPath drops the *PathError's own path and operation (the message
// names the file already) and keeps the reason.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func fileKind(l Lang, m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return l.pick("a named pipe", "命名管道")
	case m&fs.ModeSocket != 0:
		return l.pick("a socket", "套接字")
	case m&fs.ModeCharDevice != 0:
		return l.pick("a character device", "字符设备")
	case m&fs.ModeDevice != 0:
		return l.pick("a block device", "块设备")
	}
	return m.Type().String()
}
