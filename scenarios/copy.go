package scenarios

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&copyScenario{}) }

// copyScenario is the notes' exercise: copy a file with N processes, each
// copying one part through two shared mappings.
type copyScenario struct {
	// procs is the -n flag. The scenario is registered once, so Flags
	// resets it: a run is Flags, then Plan, one at a time.
	procs procsFlag
}

// defaultProcs is the notes' "five parts".
const defaultProcs = 5

// sampleSize is the size of the generated sample copied when no SRC is
// given: big enough that the copy takes a measurable time, small enough
// to write in a blink on a fresh machine.
const sampleSize = 64 << 20

func (*copyScenario) Info() Info {
	return Info{
		Name:    "copy",
		Args:    "[SRC DST]",
		Summary: "copy a file with N processes, one part each, through two shared mappings",
		Lesson: `The notes' exercise: open SRC, create DST and give it SRC's size, map both
with MAP_SHARED, then fork N processes (-n, default 5). Each child inherits
both mappings, copies its part of SRC into DST with a plain memory copy and
exits; the parent reaps every child and checks its exit status, then unmaps
and closes. No read() or write() moves the data: page faults do.

SRC is split into N parts of whole pages, the last taking the remainder; each
child says on stderr which bytes it copies. N is cut to SRC's page count. DST
may be a directory (DST/basename(SRC) is written). DST's blocks are reserved
with fallocate before it is mapped, so a full disk is an error, not a SIGBUS.
With no SRC and DST, a sample of 64 MiB of pseudo-random bytes is generated
in a temporary directory and copied to copy.bin next to it.`,
	}
}

func (s *copyScenario) Flags(fs *pflag.FlagSet) {
	s.procs = procsFlag(strconv.Itoa(defaultProcs))
	fs.VarP(&s.procs, "processes", "n", "fork `N` processes, each copying one part")
}

// procsFlag keeps -n as typed; Plan checks it, so that a bad value is a
// usage error of the scenario's own wording.
type procsFlag string

func (f *procsFlag) String() string     { return string(*f) }
func (f *procsFlag) Set(v string) error { *f = procsFlag(v); return nil }
func (f *procsFlag) Type() string       { return "int" }

// copyPart is the byte range [start, end) one child copies.
type copyPart struct{ start, end int64 }

// splitParts cuts size bytes into n parts of whole pages, the last taking
// the remainder. n is cut to the page count (a part is never empty); the
// count used is len(parts).
func splitParts(size, pageSize int64, n int) []copyPart {
	pages := (size + pageSize - 1) / pageSize
	if int64(n) > pages {
		n = int(pages)
	}
	if n == 0 {
		return nil
	}
	per := pages / int64(n) * pageSize
	parts := make([]copyPart, n)
	for i := range parts {
		parts[i] = copyPart{int64(i) * per, int64(i+1) * per}
	}
	parts[n-1].end = size
	return parts
}

func (s *copyScenario) Plan(env *Env, args []string) (*Plan, error) {
	n, err := strconv.Atoi(strings.TrimSpace(string(s.procs)))
	switch {
	case err != nil:
		return nil, usagef("-n %q: the number of processes must be a whole number", string(s.procs))
	case n <= 0:
		return nil, usagef("-n %d: the copy needs at least one process", n)
	}
	var src, dst string
	sample := false
	switch len(args) {
	case 0:
		src, dst, sample = filepath.Join(env.Dir, "sample.bin"), filepath.Join(env.Dir, "copy.bin"), true
		if err := writeSample(src, sampleSize); err != nil {
			return nil, fmt.Errorf("generating the sample: %w", err)
		}
	case 2:
		src, dst = args[0], args[1]
	default:
		return nil, usagef("copy takes SRC and DST, or nothing for a generated sample; got %d arguments", len(args))
	}

	st, err := checkSource(src)
	if err != nil {
		return nil, err
	}
	dst, err = checkDest(src, dst, st)
	if err != nil {
		return nil, err
	}
	csrc, err := cstring(src)
	if err != nil {
		return nil, err
	}
	cdst, err := cstring(dst)
	if err != nil {
		return nil, err
	}

	size := st.Size()
	parts := splitParts(size, int64(os.Getpagesize()), n)
	b := &copyBody{
		src:   csrc,
		dst:   cdst,
		mode:  uint32(st.Mode().Perm()),
		size:  size,
		ends:  make([]int64, len(parts)),
		pids:  make([]int32, len(parts)),
		notes: make([][]byte, len(parts)),
	}
	for i, p := range parts {
		b.ends[i] = p.end
		b.notes[i] = message(fmt.Sprintf("mmtrace copy: child %d of %d copies bytes [%d, %d) (%d bytes)",
			i+1, len(parts), p.start, p.end, p.end-p.start))
	}
	// The report page: MAP_SHARED, so the scenario's processes, forked
	// from this one, write into the same page this process reads in
	// After. It is mapped before the trace starts, so it is not in it.
	b.report, err = unix.Mmap(-1, 0, reportSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}

	r := &copyRun{out: env.Out, src: src, dst: dst, size: size, asked: n, parts: parts, sample: sample, body: b}
	return &Plan{Body: b, After: r.after, Progress: b.progress}, nil
}

// writeSample writes size pseudo-random bytes to path: a stream that
// never repeats, so a part copied to the wrong place shows.
func writeSample(path string, size int64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.CopyN(f, rand.NewChaCha8([32]byte{'m', 'm', 't', 'r', 'a', 'c', 'e'}), size)
	return err
}

// checkSource refuses, as cp does, a SRC that is missing, unreadable or
// not a regular file. Nothing has been created yet.
func checkSource(src string) (fs.FileInfo, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("cannot copy %s: %w", src, unwrapPath(err))
	}
	switch {
	case st.IsDir():
		return nil, fmt.Errorf("cannot copy %s: it is a directory", src)
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("cannot copy %s: not a regular file (%s); only a regular file can be mapped and split into parts", src, fileKind(st.Mode()))
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("cannot copy %s: %w", src, unwrapPath(err))
	}
	defer f.Close()
	// The open file's own status: SRC may have been replaced since Stat.
	if st, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("cannot copy %s: %w", src, unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot copy %s: not a regular file (%s)", src, fileKind(st.Mode()))
	}
	return st, nil
}

// checkDest returns the file to write: dst, or dst/basename(src) when dst
// is a directory. It refuses a DST that is SRC itself (by device and
// inode, so through a hard or symbolic link too: O_TRUNC would destroy the
// data before it was copied), a dangling symbolic link, a directory, or a
// file that is not regular.
func checkDest(src, dst string, srcSt fs.FileInfo) (string, error) {
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		dst = filepath.Join(dst, filepath.Base(src))
	}
	st, err := os.Stat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(dst); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("cannot copy to %s: not writing through a dangling symbolic link", dst)
		}
		dir := filepath.Dir(dst)
		dirSt, err := os.Stat(dir)
		if err != nil {
			return "", fmt.Errorf("cannot create %s: %s: %w", dst, dir, unwrapPath(err))
		}
		if !dirSt.IsDir() {
			return "", fmt.Errorf("cannot create %s: %s is not a directory", dst, dir)
		}
		return dst, nil
	case err != nil:
		return "", fmt.Errorf("cannot copy to %s: %w", dst, unwrapPath(err))
	case os.SameFile(srcSt, st):
		return "", fmt.Errorf("%s and %s are the same file: refusing to copy it onto itself (opening DST with O_TRUNC would empty SRC)", src, dst)
	case st.IsDir():
		return "", fmt.Errorf("cannot overwrite directory %s with a file", dst)
	case !st.Mode().IsRegular():
		return "", fmt.Errorf("cannot copy to %s: not a regular file (%s); the copy maps DST, which needs a regular file", dst, fileKind(st.Mode()))
	}
	return dst, nil
}

// unwrapPath drops the *PathError's own path and operation (the message
// names the file already) and keeps the reason.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return m.Type().String()
}

// The report page: the scenario's processes record there how the copy
// went, and After reads it. Integers are little-endian (putReport); the
// times are struct timespec, written by the kernel.
const (
	reportSize = 4096

	repStart  = 0  // timespec: before the first open
	repEnd    = 16 // timespec: after the last close
	repStep   = 32 // the step that failed first (copyStep)
	repErrno  = 36 // its errno
	repPart   = 40 // for stepFork and stepPart: the part's index
	repWait   = 44 // for stepPart: the child's wait status
	repFailed = 48 // how many children failed
	repNoRsv  = 52 // 1 when the filesystem could not reserve blocks

	// From repCopied on, a little-endian uint64 per child (the first
	// doneSlots children): the bytes it has copied so far, for the
	// progress line.
	repCopied = 64
	doneSlots = (reportSize - repCopied) / 8
)

// copyChunk is how much a child copies between two progress marks.
const copyChunk = 8 << 20

// copyStep names the call that failed.
type copyStep uint32

const (
	stepNone copyStep = iota
	stepOpenSrc
	stepOpenDst
	stepTruncate
	stepReserve
	stepMapSrc
	stepMapDst
	stepFork
	stepPart
	stepUnmap
	stepClose
)

// copyBody is the code the scenario's processes run. The parent opens and
// maps both files once; the children inherit the mappings.
type copyBody struct {
	src, dst *byte
	mode     uint32
	size     int64
	ends     []int64  // part i is [ends[i-1], ends[i]), part 0 starts at 0
	pids     []int32  // the children, by part
	notes    [][]byte // each child's line on stderr
	report   []byte   // the report page, shared with the tracer's process
	wstatus  int32    // wait4's status, in the parent
}

//go:nosplit
//go:norace
func (b *copyBody) Run() {
	rawchild.ClockGettime(unix.CLOCK_MONOTONIC, rawchild.Addr(b.report[repStart:]))
	src, e := rawchild.Open(b.src, unix.O_RDONLY, 0)
	if e != 0 {
		b.fail(stepOpenSrc, e)
	}
	dst, e := rawchild.Open(b.dst, unix.O_RDWR|unix.O_CREAT|unix.O_TRUNC, b.mode)
	if e != 0 {
		b.fail(stepOpenDst, e)
	}
	// An empty SRC needs nothing more: DST is created empty. mmap of
	// length 0 would fail with EINVAL.
	if b.size > 0 {
		b.mapAndCopy(src, dst)
	}
	if e := rawchild.Close(src); e != 0 {
		b.record(stepClose, e, 0)
	}
	if e := rawchild.Close(dst); e != 0 {
		b.record(stepClose, e, 1)
	}
	rawchild.ClockGettime(unix.CLOCK_MONOTONIC, rawchild.Addr(b.report[repEnd:]))
	if b.get(repStep) != 0 {
		rawchild.Exit(1)
	}
}

//go:nosplit
//go:norace
func (b *copyBody) mapAndCopy(src, dst int) {
	size := uintptr(b.size)
	if e := rawchild.Ftruncate(dst, b.size); e != 0 {
		b.fail(stepTruncate, e)
	}
	// Reserve DST's blocks now: a store into a mapped page of a sparse
	// file that cannot get a block is a SIGBUS, not an error.
	if e := rawchild.Fallocate(dst, 0, 0, b.size); e == unix.EOPNOTSUPP {
		b.put(repNoRsv, 1)
	} else if e != 0 {
		rawchild.Ftruncate(dst, 0) // leave no file of holes that looks copied
		b.fail(stepReserve, e)
	}
	ps, e := rawchild.Mmap(0, size, unix.PROT_READ, unix.MAP_SHARED, src, 0)
	if e != 0 {
		b.fail(stepMapSrc, e)
	}
	pd, e := rawchild.Mmap(0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, dst, 0)
	if e != 0 {
		b.fail(stepMapDst, e)
	}
	// Speed, measured on 1 GiB with the page cache warm (bench/): with
	// MADV_HUGEPAGE, DST's page cache is mapped 2 MiB at a time, one
	// fault instead of 512: about 15% faster. The children inherit the
	// advice with the mapping. MAP_POPULATE (or MADV_POPULATE_*) did not
	// help: fork does not copy the page tables of a shared file mapping,
	// so the parent's prefaulting is thrown away and each child faults
	// its part in again; MADV_SEQUENTIAL only matters for reads from disk.
	rawchild.Madvise(pd, size, unix.MADV_HUGEPAGE)
	forked := 0
	for forked < len(b.pids) {
		pid, e := rawchild.Fork()
		if e != 0 {
			b.record(stepFork, e, forked)
			break
		}
		if pid == 0 {
			b.copyPart(forked, ps, pd)
		}
		b.pids[forked] = int32(pid)
		forked++
	}
	for i := 0; i < forked; i++ {
		for {
			_, e := rawchild.Wait4(int(b.pids[i]), &b.wstatus, 0)
			if e == unix.EINTR {
				continue
			}
			if e != 0 || b.wstatus != 0 {
				b.put(repFailed, b.get(repFailed)+1)
				if b.get(repStep) == 0 {
					b.put(repWait, uint32(b.wstatus))
					b.record(stepPart, e, i)
				}
			}
			break
		}
	}
	if e := rawchild.Munmap(ps, size); e != 0 {
		b.record(stepUnmap, e, 0)
	}
	if e := rawchild.Munmap(pd, size); e != 0 {
		b.record(stepUnmap, e, 1)
	}
}

// copyPart is a child's whole life: say which bytes it copies, copy them
// from one inherited mapping to the other, exit.
//
//go:nosplit
//go:norace
func (b *copyBody) copyPart(i int, ps, pd uintptr) {
	note := b.notes[i]
	rawchild.Write(2, rawchild.Addr(note), uintptr(len(note)))
	var start uintptr
	if i > 0 {
		start = uintptr(b.ends[i-1])
	}
	end := uintptr(b.ends[i])
	for off := start; off < end; off += copyChunk {
		n := min(copyChunk, end-off)
		rawchild.Copy(pd+off, ps+off, n)
		if i < doneSlots {
			b.put64(repCopied+8*i, uint64(off+n-start))
		}
	}
	rawchild.Exit(0)
}

//go:nosplit
//go:norace
func (b *copyBody) put64(off int, v uint64) {
	b.put(off, uint32(v))
	b.put(off+4, uint32(v>>32))
}

// progress sums the bytes the children have marked copied. Children past
// the first doneSlots do not mark, and count only once the copy is done.
func (b *copyBody) progress() (done, total int64) {
	for i := 0; i < min(len(b.ends), doneSlots); i++ {
		done += int64(binary.LittleEndian.Uint64(b.report[repCopied+8*i:]))
	}
	return done, b.size
}

// fail records the failure and ends the process with status 1; the
// kernel closes its files and unmaps its mappings.
//
//go:nosplit
//go:norace
func (b *copyBody) fail(step copyStep, e syscall.Errno) {
	b.record(step, e, 0)
	rawchild.Exit(1)
}

// record keeps the first failure.
//
//go:nosplit
//go:norace
func (b *copyBody) record(step copyStep, e syscall.Errno, part int) {
	if b.get(repStep) != 0 {
		return
	}
	b.put(repStep, uint32(step))
	b.put(repErrno, uint32(e))
	b.put(repPart, uint32(part))
}

//go:nosplit
//go:norace
func (b *copyBody) put(off int, v uint32) {
	r := b.report[off : off+4]
	r[0], r[1], r[2], r[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

//go:nosplit
//go:norace
func (b *copyBody) get(off int) uint32 {
	r := b.report[off : off+4]
	return uint32(r[0]) | uint32(r[1])<<8 | uint32(r[2])<<16 | uint32(r[3])<<24
}

// copyRun is what After needs to report the outcome.
type copyRun struct {
	out      io.Writer
	src, dst string
	size     int64
	asked    int
	parts    []copyPart
	sample   bool
	body     *copyBody
}

func (r *copyRun) after(status int) error {
	b := r.body
	defer unix.Munmap(b.report)
	if step := copyStep(b.get(repStep)); step != stepNone {
		return r.failure(step, syscall.Errno(b.get(repErrno)), int(b.get(repPart)))
	}
	if status != 0 {
		return fmt.Errorf("%v: %s may be incomplete", statusError(status), r.dst)
	}
	st, err := os.Stat(r.dst)
	if err != nil {
		return fmt.Errorf("after the copy: %w", err)
	}
	if st.Size() != r.size {
		return fmt.Errorf("%s holds %d bytes after the copy, SRC %d", r.dst, st.Size(), r.size)
	}

	w := r.out
	if r.sample {
		fmt.Fprintf(w, "no SRC given: copied a generated sample of %d pseudo-random bytes\n", r.size)
	}
	n := len(r.parts)
	if r.size == 0 {
		fmt.Fprintf(w, "%s is empty: %s was created empty; nothing was mapped (mmap of length 0 fails with EINVAL) and no process was forked\n", escape.String(r.src), escape.String(r.dst))
		return nil
	}
	if n < r.asked {
		fmt.Fprintf(w, "-n %d: %s has only %d pages, so %d processes copy one part each\n", r.asked, escape.String(r.src), n, n)
	}
	took := timespecAt(b.report, repEnd) - timespecAt(b.report, repStart)
	fmt.Fprintf(w, "copied %d bytes from %s to %s with %d %s in %v (%s)\n",
		r.size, escape.String(r.src), escape.String(r.dst), n, plural(n, "process", "processes"), took.Round(10*time.Microsecond), rate(r.size, took))
	for i, p := range r.parts {
		if n > 8 && i == 3 {
			fmt.Fprintf(w, "  ... children 4 to %d likewise\n", n-1)
		}
		if n > 8 && i >= 3 && i < n-1 {
			continue
		}
		fmt.Fprintf(w, "  child %d copied bytes [%d, %d) (%d bytes)\n", i+1, p.start, p.end, p.end-p.start)
	}
	if b.get(repNoRsv) != 0 {
		fmt.Fprintf(w, "note: the filesystem of %s cannot reserve blocks (fallocate: EOPNOTSUPP); on a full disk a child would have died of SIGBUS\n", escape.String(r.dst))
	}
	return nil
}

// failure explains the first call that failed.
func (r *copyRun) failure(step copyStep, e syscall.Errno, part int) error {
	incomplete := fmt.Sprintf("%s is incomplete", r.dst)
	switch step {
	case stepOpenSrc:
		return fmt.Errorf("cannot open %s for reading: %v", r.src, e)
	case stepOpenDst:
		return fmt.Errorf("cannot create %s: %v", r.dst, e)
	case stepTruncate:
		return fmt.Errorf("cannot give %s a size of %d bytes (ftruncate): %v", r.dst, r.size, e)
	case stepReserve:
		why := ""
		if e == unix.ENOSPC || e == unix.EDQUOT {
			why = " (writing through the mapping without the blocks would have killed the copying processes with SIGBUS)"
		}
		return fmt.Errorf("cannot reserve %d bytes for %s (fallocate): %v%s; %s was left empty", r.size, r.dst, e, why, r.dst)
	case stepMapSrc:
		return fmt.Errorf("cannot map %s (mmap of %d bytes): %v", r.src, r.size, e)
	case stepMapDst:
		return fmt.Errorf("cannot map %s (mmap of %d bytes): %v", r.dst, r.size, e)
	case stepFork:
		return fmt.Errorf("cannot fork child %d of %d: %v; the %d children started were reaped; %s",
			part+1, len(r.parts), e, part, incomplete)
	case stepPart:
		p := r.parts[part]
		how := ""
		ws := syscall.WaitStatus(r.body.get(repWait))
		switch {
		case e != 0:
			how = fmt.Sprintf("could not be reaped: wait4: %v", e)
		case ws.Signaled() && ws.Signal() == syscall.SIGBUS:
			how = "was killed by SIGBUS: a page of SRC or DST could not be read or written (SRC shrank during the copy, or DST's disk is full)"
		case ws.Signaled():
			how = fmt.Sprintf("was killed by %s (%v)", unix.SignalName(ws.Signal()), ws.Signal())
		default:
			how = fmt.Sprintf("exited with status %d", ws.ExitStatus())
		}
		failed := r.body.get(repFailed)
		return fmt.Errorf("child %d of %d, copying bytes [%d, %d), %s; %d of %d parts failed: %s",
			part+1, len(r.parts), p.start, p.end, how, failed, len(r.parts), incomplete)
	case stepUnmap:
		return fmt.Errorf("munmap failed after the copy: %v", e)
	case stepClose:
		name := r.src
		if part == 1 {
			name = r.dst
		}
		return fmt.Errorf("closing %s failed: %v; its data may not have reached the disk", name, e)
	}
	return fmt.Errorf("the copy failed at step %d: %v", step, e)
}

// timespecAt reads the struct timespec the kernel stored at off.
func timespecAt(b []byte, off int) time.Duration {
	sec := int64(binary.NativeEndian.Uint64(b[off:]))
	nsec := int64(binary.NativeEndian.Uint64(b[off+8:]))
	return time.Duration(sec)*time.Second + time.Duration(nsec)
}

func rate(n int64, d time.Duration) string {
	if d <= 0 {
		return "too fast to time"
	}
	mib := float64(n) / (1 << 20) / d.Seconds()
	if mib >= 1024 {
		return fmt.Sprintf("%.2f GiB/s", mib/1024)
	}
	return fmt.Sprintf("%.1f MiB/s", mib)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
