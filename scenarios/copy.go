package scenarios

import (
	"encoding/binary"
	"fmt"
	"io"
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
child says on stderr which bytes it copies. N is cut to SRC's page count, to
1024, and to what RLIMIT_NPROC (ulimit -u) leaves, with a note. DST may be a
directory (DST/basename(SRC) is written).

A copy that fails leaves DST as it was: SRC is checked (and mapped once)
before anything is written; the copy is made as DIR/.NAME.mmtrace/NAME
beside DST and renamed over DST only when every child succeeded and the
copy checks out (its size, SRC unchanged, pages compared); on any failure
it is removed. Its blocks are reserved before it is mapped (fallocate, or
writing zeros where the filesystem cannot), so a full disk is an error, not
a SIGBUS. With no SRC and DST, a sample of 64 MiB of pseudo-random bytes,
made once in the user's cache directory (mmtrace/` + sampleFile + `), is copied
to copy.bin in a temporary directory.`,
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

func (s *copyScenario) Plan(env *Env, args []string) (plan *Plan, err error) {
	n, err := strconv.Atoi(strings.TrimSpace(string(s.procs)))
	switch {
	case err != nil:
		return nil, usagef("-n %q: the number of processes must be a whole number", string(s.procs))
	case n <= 0:
		return nil, usagef("-n %d: the copy needs at least one process", n)
	}
	var srcPath, dstPath string
	sample := false
	switch len(args) {
	case 0:
		sample = true
		dstPath = filepath.Join(env.Dir, "copy.bin")
		if srcPath, err = samplePath(env); err != nil {
			return nil, fmt.Errorf("generating the sample: %w", err)
		}
	case 2:
		srcPath, dstPath = args[0], args[1]
	default:
		return nil, usagef("copy takes SRC and DST, or nothing for a generated sample; got %s", quantity(len(args), "argument", "arguments"))
	}

	// Everything that can fail on SRC, before anything is made for DST.
	src, err := checkSource(srcPath)
	if err != nil {
		return nil, err
	}
	dst, err := checkDest(src, dstPath)
	if err != nil {
		return nil, err
	}
	csrc, err := cstring(src.path)
	if err != nil {
		return nil, err
	}
	size := src.st.Size()
	pageSize := int64(os.Getpagesize())
	limit, why := procLimit()
	parts := splitParts(size, pageSize, min(n, limit))

	stage, err := newStaging(dst)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			stage.remove()
		}
	}()
	cstage, err := cstring(stage.file)
	if err != nil {
		return nil, err
	}
	b := &copyBody{
		src:   csrc,
		dst:   cstage,
		mode:  dst.mode,
		size:  size,
		ends:  make([]int64, len(parts)),
		pids:  make([]int32, len(parts)),
		notes: make([][]byte, len(parts)),
		zeros: make([]byte, zeroChunk),
	}
	for i, p := range parts {
		b.ends[i] = p.end
		b.notes[i] = message(fmt.Sprintf("mmtrace copy: child %d of %d copies bytes [%d, %d) (%s)",
			i+1, len(parts), p.start, p.end, quantity(p.end-p.start, "byte", "bytes")))
	}
	// The report page: MAP_SHARED, so the scenario's processes, forked
	// from this one, write into the same page this process reads in
	// After. It is mapped before the trace starts, so it is not in it.
	b.report, err = unix.Mmap(-1, 0, reportSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}

	r := &copyRun{out: env.Out, src: src, dst: dst, stage: stage, size: size, pageSize: pageSize,
		asked: n, limit: limit, limitWhy: why, parts: parts, sample: sample, body: b}
	return &Plan{Body: b, After: r.after, Progress: b.progress, Cleanup: r.cleanup}, nil
}

// samplePath returns the sample to copy when no SRC is given: the cached
// one, or, with no usable cache, one made in the run's directory.
func samplePath(env *Env) (string, error) {
	if env.CacheDir != "" {
		path, err := cachedSample(env.CacheDir, sampleSize)
		if err == nil {
			return path, nil
		}
		fmt.Fprintf(env.Out, "note: cannot keep the sample in %s (%v): making it in %s for this run\n", escape.String(env.CacheDir), escape.Message(err.Error()), escape.String(env.Dir))
	}
	path := filepath.Join(env.Dir, "sample.bin")
	return path, writeSample(path, sampleSize)
}

// maxProcs bounds -n: at most this many children, whatever was asked (a
// fork each, traced; 262,144 for 1 GiB of pages would swamp the machine).
const maxProcs = 1024

// procLimit returns how many children the copy may fork, and why when
// that is less than maxProcs: RLIMIT_NPROC bounds the tasks of the real
// user (root is exempt), and the user's processes and threads already
// count.
func procLimit() (int, string) {
	var rl unix.Rlimit
	if unix.Getuid() == 0 || unix.Getrlimit(unix.RLIMIT_NPROC, &rl) != nil || rl.Cur == unix.RLIM_INFINITY {
		return maxProcs, ""
	}
	return capProcs(rl.Cur, userTasks(unix.Getuid()))
}

// procReserve is kept from RLIMIT_NPROC for the copy's own process and
// the threads mmtrace may still start.
const procReserve = 10

// capProcs is procLimit's arithmetic: limit is RLIMIT_NPROC, used the
// user's tasks now.
func capProcs(limit uint64, used int) (int, string) {
	free := int64(min(limit, 1<<31)) - int64(used) - procReserve
	if free >= maxProcs {
		return maxProcs, ""
	}
	why := fmt.Sprintf("RLIMIT_NPROC (ulimit -u) allows %s for your user, which has %s already",
		quantity(limit, "process", "processes"), quantity(used, "task", "tasks"))
	return int(max(free, 1)), why
}

// userTasks counts the threads of every process whose real user is uid,
// as RLIMIT_NPROC counts them. A process that ends while it is read is
// skipped.
func userTasks(uid int) int {
	procs, _ := filepath.Glob("/proc/[0-9]*/status")
	n := 0
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var realUID, threads int = -1, 0
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 {
				switch f[0] {
				case "Uid:":
					realUID, _ = strconv.Atoi(f[1])
				case "Threads:":
					threads, _ = strconv.Atoi(f[1])
				}
			}
		}
		if realUID == uid {
			n += max(threads, 1)
		}
	}
	return n
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
	repNoRsv  = 52 // 1 when fallocate was not supported: zeros were written

	// From repCopied on, a little-endian uint64 per child (the first
	// doneSlots children): the bytes it has copied so far, for the
	// progress line.
	repCopied = 64
	doneSlots = (reportSize - repCopied) / 8
)

// copyChunk is how much a child copies between two progress marks.
const copyChunk = 8 << 20

// zeroChunk is how much one pwrite of zeros reserves where fallocate is
// not supported.
const zeroChunk = 1 << 20

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
	zeros    []byte   // zeroChunk zero bytes, to reserve blocks by writing
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
	// file that cannot get a block is a SIGBUS, not an error. Where the
	// filesystem has no fallocate (ext2, some network filesystems),
	// writing zeros reserves them as well, at the cost of writing twice.
	if e := rawchild.Fallocate(dst, 0, 0, b.size); e == unix.EOPNOTSUPP {
		b.put(repNoRsv, 1)
		b.writeZeros(dst)
	} else if e != 0 {
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

// writeZeros writes zeros over [0, size) of fd, so that every block is
// allocated before the file is mapped; a full disk fails here, with
// ENOSPC, instead of as a SIGBUS in a child.
//
//go:nosplit
//go:norace
func (b *copyBody) writeZeros(fd int) {
	zeros := rawchild.Addr(b.zeros)
	for off := int64(0); off < b.size; {
		n, e := rawchild.Pwrite(fd, zeros, uintptr(min(int64(len(b.zeros)), b.size-off)), off)
		switch {
		case e == unix.EINTR:
			continue
		case e != 0:
			b.fail(stepReserve, e)
		case n <= 0:
			b.fail(stepReserve, unix.EIO) // no progress and no error: never loop
		}
		off += int64(n)
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
	src      *source
	dst      *destination
	stage    *staging
	size     int64
	pageSize int64
	asked    int    // -n
	limit    int    // the most children allowed (procLimit)
	limitWhy string // why limit is below maxProcs
	parts    []copyPart
	sample   bool
	body     *copyBody
}

func (r *copyRun) after(status int) error {
	b := r.body
	defer unix.Munmap(b.report)
	// The copy is renamed over DST only at the very end; whatever
	// returns before, its temporary directory goes.
	defer r.cleanup()
	r.notes()
	if step := copyStep(b.get(repStep)); step != stepNone {
		return fmt.Errorf("%v; %s", r.failure(step, syscall.Errno(b.get(repErrno)), int(b.get(repPart))), r.untouched())
	}
	if status != 0 {
		return fmt.Errorf("%v; %s", statusError(status), r.untouched())
	}
	pages, err := r.verify()
	if err != nil {
		return fmt.Errorf("%v; %s", err, r.untouched())
	}
	owner, err := r.commit()
	if err != nil {
		return fmt.Errorf("%v; %s", err, r.untouched())
	}

	w := r.out
	if r.sample {
		fmt.Fprintf(w, "no SRC given: copied a generated sample of %d pseudo-random bytes\n", r.size)
	}
	n := len(r.parts)
	if r.size == 0 {
		fmt.Fprintf(w, "%s is empty: %s is now empty too; nothing was mapped (mmap of length 0 fails with EINVAL) and no process was forked\n", escape.String(r.src.path), escape.String(r.dst.path))
		return nil
	}
	took := timespecAt(b.report, repEnd) - timespecAt(b.report, repStart)
	fmt.Fprintf(w, "copied %s from %s to %s with %s in %v (%s)\n",
		quantity(r.size, "byte", "bytes"), escape.String(r.src.path), escape.String(r.dst.path), quantity(n, "process", "processes"), took.Round(10*time.Microsecond), rate(r.size, took))
	for i, p := range r.parts {
		if n > 8 && i == 3 {
			fmt.Fprintf(w, "  ... children 4 to %d likewise\n", n-1)
		}
		if n > 8 && i >= 3 && i < n-1 {
			continue
		}
		fmt.Fprintf(w, "  child %d copied bytes [%d, %d) (%s)\n", i+1, p.start, p.end, quantity(p.end-p.start, "byte", "bytes"))
	}
	over := "renamed to"
	if r.dst.old != nil {
		over = "renamed over"
	}
	fmt.Fprintf(w, "  written as %s, checked (its size, SRC unchanged, %s compared with SRC's) and %s %s\n",
		escape.String(r.stage.file), quantity(pages, "page", "pages"), over, escape.String(filepath.Base(r.dst.path)))
	if b.get(repNoRsv) != 0 {
		fmt.Fprintf(w, "note: the filesystem of %s cannot reserve blocks with fallocate (EOPNOTSUPP): they were reserved by writing zeros first, so the copy wrote the file twice\n", escape.String(r.dst.path))
	}
	if owner != "" {
		fmt.Fprintf(w, "note: %s\n", escape.String(owner))
	}
	return nil
}

// notes says why fewer processes copy than -n asked, if so.
func (r *copyRun) notes() {
	n := len(r.parts)
	if n == 0 || n >= r.asked {
		return
	}
	if n == r.limit {
		why := fmt.Sprintf("the most mmtrace copy forks is %d", maxProcs)
		if r.limitWhy != "" {
			why = r.limitWhy
		}
		fmt.Fprintf(r.out, "-n %d: cut to %s: %s\n", r.asked, quantity(n, "process", "processes"), why)
		return
	}
	fmt.Fprintf(r.out, "-n %d: %s has only %s, so %s one part each\n", r.asked, escape.String(r.src.path),
		quantity(n, "page", "pages"), quantity(n, "process copies", "processes copy"))
}

// untouched says that DST is as it was.
func (r *copyRun) untouched() string {
	if r.dst.old == nil {
		return r.dst.path + " was not created"
	}
	return r.dst.path + " is untouched"
}

// cleanup removes the temporary copy and its directory, unless it was
// renamed over DST; it may run more than once.
func (r *copyRun) cleanup() { r.stage.remove() }

// failure explains the first call that failed.
func (r *copyRun) failure(step copyStep, e syscall.Errno, part int) error {
	switch step {
	case stepOpenSrc:
		return fmt.Errorf("cannot open %s for reading: %v", r.src.path, e)
	case stepOpenDst:
		return fmt.Errorf("cannot create %s, the copy to rename over %s: %v", r.stage.file, filepath.Base(r.dst.path), e)
	case stepTruncate:
		return fmt.Errorf("cannot give the copy a size of %s (ftruncate): %v", quantity(r.size, "byte", "bytes"), e)
	case stepReserve:
		how := "fallocate"
		if r.body.get(repNoRsv) != 0 {
			how = "fallocate is not supported there, so by writing zeros"
		}
		why := ""
		if e == unix.ENOSPC || e == unix.EDQUOT {
			why = " (writing through the mapping without the blocks would have killed the copying processes with SIGBUS)"
		}
		return fmt.Errorf("cannot reserve %s for %s (%s): %v%s", quantity(r.size, "byte", "bytes"), r.dst.path, how, e, why)
	case stepMapSrc:
		return fmt.Errorf("cannot map %s (mmap of %s): %v", r.src.path, quantity(r.size, "byte", "bytes"), e)
	case stepMapDst:
		return fmt.Errorf("cannot map the copy (mmap of %s): %v", quantity(r.size, "byte", "bytes"), e)
	case stepFork:
		reaped := "no child had been forked"
		switch {
		case part == 1:
			reaped = "the 1 child forked before it was reaped"
		case part > 1:
			reaped = fmt.Sprintf("the %d children forked before it were reaped", part)
		}
		return fmt.Errorf("cannot fork child %d of %d: %v; %s", part+1, len(r.parts), e, reaped)
	case stepPart:
		p := r.parts[part]
		how := ""
		ws := syscall.WaitStatus(r.body.get(repWait))
		switch {
		case e != 0:
			how = fmt.Sprintf("could not be reaped: wait4: %v", e)
		case ws.Signaled() && ws.Signal() == syscall.SIGBUS:
			how = "was killed by SIGBUS: a page of SRC or of the copy could not be read or written (SRC shrank during the copy, or the disk is full)"
		case ws.Signaled():
			how = fmt.Sprintf("was killed by %s (%v)", unix.SignalName(ws.Signal()), ws.Signal())
		default:
			how = fmt.Sprintf("exited with status %d", ws.ExitStatus())
		}
		failed := r.body.get(repFailed)
		return fmt.Errorf("child %d of %d, copying bytes [%d, %d), %s; %d of %s failed",
			part+1, len(r.parts), p.start, p.end, how, failed, quantity(len(r.parts), "part", "parts"))
	case stepUnmap:
		return fmt.Errorf("munmap failed after the copy: %v", e)
	case stepClose:
		name := r.src.path
		if part == 1 {
			name = "the copy"
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
