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
		Name: "copy",
		Args: "[SRC DST]",
		Summary: Text{
			EN: "copy a file with N processes, one part each, through two shared mappings",
			ZH: "用 N 个进程复制一个文件，每个进程负责一部分，通过两个共享映射完成",
		},
		Lesson: Text{
			EN: `The notes' exercise: open SRC, create DST and give it SRC's size, map both
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
			ZH: `笔记中的练习：打开 SRC，创建 DST 并把它的大小设为与 SRC 相同，以
MAP_SHARED 映射两者，然后 fork 出 N 个进程（-n，默认 5 个）。每个子进程
都继承这两个映射，用普通的内存复制把 SRC 中自己负责的那一部分复制到 DST，
然后退出；父进程回收每个子进程并检查它的退出状态，最后解除映射、关闭文件。
数据不是由 read() 或 write() 搬运的，而是靠缺页。

SRC 按整页分成 N 部分，最后一部分包含余下的字节；每个子进程在标准错误上
说明它复制哪些字节。N 不会超过 SRC 的页数和 1024，也不会超过
RLIMIT_NPROC（ulimit -u）所允许的数目，减少时会给出说明。DST 可以是目录
（此时写入 DST/basename(SRC)）。

复制失败时 DST 保持原样：写入任何东西之前，先检查 SRC（并映射一次）；副本
写在 DST 旁边的 DIR/.NAME.mmtrace/NAME，只有每个子进程都成功、副本也通过
检查（大小、SRC 未变、逐页比较）之后，才改名覆盖 DST；任何失败都会删除
副本。映射副本之前先为它预留磁盘块（用 fallocate，文件系统不支持时先写入
零），所以磁盘满了是一个错误，而不是 SIGBUS。不给 SRC 和 DST 时，复制一个
64 MiB 的伪随机样本（只生成一次，放在用户的缓存目录中：mmtrace/` + sampleFile + `），
复制到临时目录中的 copy.bin。`,
		},
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
	l := env.Lang
	n, err := strconv.Atoi(strings.TrimSpace(string(s.procs)))
	switch {
	case err != nil:
		return nil, l.usagef("-n %q: the number of processes must be a whole number", "-n %q：进程数必须是整数", string(s.procs))
	case n <= 0:
		return nil, l.usagef("-n %d: the copy needs at least one process", "-n %d：复制至少需要一个进程", n)
	}
	var srcPath, dstPath string
	sample := false
	switch len(args) {
	case 0:
		sample = true
		dstPath = filepath.Join(env.Dir, "copy.bin")
		if srcPath, err = samplePath(env); err != nil {
			return nil, l.errorf("generating the sample: %w", "生成样本：%w", err)
		}
	case 2:
		srcPath, dstPath = args[0], args[1]
	default:
		return nil, l.usagef("copy takes SRC and DST, or nothing for a generated sample; got %s",
			"copy 需要 SRC 和 DST 两个参数，或者不给参数、复制生成的样本；却给了 %s",
			quantityIn(l, len(args), "argument", "arguments", "个参数"))
	}

	// Everything that can fail on SRC, before anything is made for DST.
	src, err := checkSource(l, srcPath)
	if err != nil {
		return nil, err
	}
	dst, err := checkDest(l, src, dstPath)
	if err != nil {
		return nil, err
	}
	csrc, err := l.cstring(src.path)
	if err != nil {
		return nil, err
	}
	size := src.st.Size()
	pageSize := int64(os.Getpagesize())
	limit, why := procLimit(l)
	parts := splitParts(size, pageSize, min(n, limit))

	stage, err := newStaging(l, dst)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			stage.remove()
		}
	}()
	cstage, err := l.cstring(stage.file)
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
		b.notes[i] = message(l.sprintf("mmtrace copy: child %d of %d copies bytes [%d, %d) (%s)",
			"mmtrace copy：第 %d 个子进程（共 %d 个）复制字节 [%d, %d)（%s）",
			i+1, len(parts), p.start, p.end, quantityIn(l, p.end-p.start, "byte", "bytes", "字节")))
	}
	// The report page: MAP_SHARED, so the scenario's processes, forked
	// from this one, write into the same page this process reads in
	// After. It is mapped before the trace starts, so it is not in it.
	b.report, err = unix.Mmap(-1, 0, reportSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}

	r := &copyRun{out: env.Out, stable: env.Stable, lang: l, src: src, dst: dst, stage: stage, size: size, pageSize: pageSize,
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
		fmt.Fprintln(env.Out, env.Lang.sprintf("note: cannot keep the sample in %s (%v): making it in %s for this run",
			"注意：无法把样本保存在 %s（%v）：本次运行在 %s 中生成它",
			escape.String(env.CacheDir), escape.Message(env.Lang.wrap(err).Error()), escape.String(env.Dir)))
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
func procLimit(l Lang) (int, string) {
	var rl unix.Rlimit
	if unix.Getuid() == 0 || unix.Getrlimit(unix.RLIMIT_NPROC, &rl) != nil || rl.Cur == unix.RLIM_INFINITY {
		return maxProcs, ""
	}
	return capProcs(l, rl.Cur, userTasks(unix.Getuid()))
}

// procReserve is kept from RLIMIT_NPROC for the copy's own process and
// the threads mmtrace may still start.
const procReserve = 10

// capProcs is procLimit's arithmetic: limit is RLIMIT_NPROC, used the
// user's tasks now.
func capProcs(l Lang, limit uint64, used int) (int, string) {
	free := int64(min(limit, 1<<31)) - int64(used) - procReserve
	if free >= maxProcs {
		return maxProcs, ""
	}
	why := l.sprintf("RLIMIT_NPROC (ulimit -u) allows %s for your user, which has %s already",
		"RLIMIT_NPROC（ulimit -u）允许你的用户有 %s，而它已经有 %s",
		quantityIn(l, limit, "process", "processes", "个进程"), quantityIn(l, used, "task", "tasks", "个任务"))
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
	// Speed, measured on 1 GiB, -n 5, -e trace=none (issue 15): with
	// MADV_HUGEPAGE, DST's page cache is made of 2 MiB folios, each
	// mapped by one fault instead of 512: the CPU time other than
	// zero-filling went from 1.46-1.78 s to 1.32-1.58 s (4 rounds, under
	// load). The children inherit the advice with the mapping.
	// The other choices, measured the same way, were left out:
	// MADV_SEQUENTIAL on SRC changed nothing, its page cache warm
	// (1.28-1.42 s) or dropped (1.53-1.71 s against 1.39-1.77 s without).
	// MADV_POPULATE_WRITE on DST in the parent did not help (1.20-1.62
	// s): fork does not copy the page tables of a shared file mapping, so
	// each child faults its part in again, and the zero-filling then runs
	// on one CPU before the fork. MADV_POPULATE_READ and _WRITE in each
	// child on its own part did (0.95-1.25 s), but the faults then happen
	// inside two madvise calls per child, not in its plain memory copy,
	// which is the lesson.
	// Every fault on DST zero-fills a 2 MiB folio (readahead of an
	// unwritten extent): 1 GiB zeroed per copy, about 0.1 s where the
	// memory is warm. In a VM that reports free memory to its host
	// (virtio-balloon free page reporting) the first touch of memory freed
	// more than a second or two before costs a fault in the host, and the
	// same zero-filling took 1-3 s: that, not the trace, is what made some
	// copies slow (see TestCopyProcReads for what the trace reads).
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
	stable   bool // leave out the time and the rate (--stable)
	lang     Lang
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
	l := r.lang
	r.notes()
	// The error, then that DST is as it was.
	failed := func(err error) error {
		return l.errorf("%v; %s", "%v；%s", err, r.untouched())
	}
	if step := copyStep(b.get(repStep)); step != stepNone {
		return failed(r.failure(step, syscall.Errno(b.get(repErrno)), int(b.get(repPart))))
	}
	if status != 0 {
		return failed(l.statusError(status))
	}
	pages, err := r.verify()
	if err != nil {
		return failed(err)
	}
	owner, err := r.commit()
	if err != nil {
		return failed(err)
	}

	w := r.out
	if r.sample {
		fmt.Fprintln(w, l.sprintf("no SRC given: copied a generated sample of %d pseudo-random bytes",
			"没有给出 SRC：复制的是生成的样本，%d 字节的伪随机数据", r.size))
	}
	n := len(r.parts)
	if r.size == 0 {
		fmt.Fprintln(w, l.sprintf("%s is empty: %s is now empty too; nothing was mapped (mmap of length 0 fails with EINVAL) and no process was forked",
			"%s 是空文件：%s 现在也是空的；没有映射任何东西（长度为 0 的 mmap 会以 EINVAL 失败），也没有 fork 任何进程",
			escape.String(r.src.path), escape.String(r.dst.path)))
		return nil
	}
	took := timespecAt(b.report, repEnd) - timespecAt(b.report, repStart)
	if r.stable {
		// The time and the rate are the clock's: a handout leaves them out.
		fmt.Fprintln(w, l.sprintf("copied %[1]s from %[2]s to %[3]s with %[4]s",
			"用 %[4]s把 %[1]s从 %[2]s 复制到 %[3]s",
			quantityIn(l, r.size, "byte", "bytes", "字节"), escape.String(r.src.path), escape.String(r.dst.path),
			quantityIn(l, n, "process", "processes", "个进程")))
	} else {
		fmt.Fprintln(w, l.sprintf("copied %[1]s from %[2]s to %[3]s with %[4]s in %[5]v (%[6]s)",
			"用 %[4]s在 %[5]v 内把 %[1]s从 %[2]s 复制到 %[3]s（%[6]s）",
			quantityIn(l, r.size, "byte", "bytes", "字节"), escape.String(r.src.path), escape.String(r.dst.path),
			quantityIn(l, n, "process", "processes", "个进程"), took.Round(10*time.Microsecond), rate(l, r.size, took)))
	}
	for i, p := range r.parts {
		if n > 8 && i == 3 {
			fmt.Fprintln(w, l.sprintf("  ... children 4 to %d likewise", "  ……第 4 到第 %d 个子进程同样如此", n-1))
		}
		if n > 8 && i >= 3 && i < n-1 {
			continue
		}
		fmt.Fprintln(w, l.sprintf("  child %d copied bytes [%d, %d) (%s)", "  第 %d 个子进程复制了字节 [%d, %d)（%s）",
			i+1, p.start, p.end, quantityIn(l, p.end-p.start, "byte", "bytes", "字节")))
	}
	over := l.pick("renamed to", "改名为")
	if r.dst.old != nil {
		over = l.pick("renamed over", "改名覆盖")
	}
	fmt.Fprintln(w, l.sprintf("  written as %s, checked (its size, SRC unchanged, %s compared with SRC's) and %s %s",
		"  先写为 %s，经过检查（大小、SRC 未变、与 SRC 比较了 %s），然后%s %s",
		escape.String(r.stage.file), quantityIn(l, pages, "page", "pages", "页"), over, escape.String(filepath.Base(r.dst.path))))
	if b.get(repNoRsv) != 0 {
		fmt.Fprintln(w, l.sprintf("note: the filesystem of %s cannot reserve blocks with fallocate (EOPNOTSUPP): they were reserved by writing zeros first, so the copy wrote the file twice",
			"注意：%s 所在的文件系统不能用 fallocate 预留磁盘块（EOPNOTSUPP）：改为先写入零来预留，所以这次复制把文件写了两遍",
			escape.String(r.dst.path)))
	}
	if owner != "" {
		fmt.Fprintln(w, l.pick("note: ", "注意：")+escape.String(owner))
	}
	return nil
}

// notes says why fewer processes copy than -n asked, if so.
func (r *copyRun) notes() {
	l := r.lang
	n := len(r.parts)
	if n == 0 || n >= r.asked {
		return
	}
	if n == r.limit {
		why := l.sprintf("the most mmtrace copy forks is %d", "mmtrace copy 最多 fork %d 个进程", maxProcs)
		if r.limitWhy != "" {
			why = r.limitWhy
		}
		fmt.Fprintln(r.out, l.sprintf("-n %d: cut to %s: %s", "-n %d：减为 %s：%s", r.asked, quantityIn(l, n, "process", "processes", "个进程"), why))
		return
	}
	fmt.Fprintln(r.out, l.sprintf("-n %d: %s has only %s, so %s one part each", "-n %d：%s 只有 %s，所以只用 %s，每个复制一部分",
		r.asked, escape.String(r.src.path), quantityIn(l, n, "page", "pages", "页"), quantityIn(l, n, "process copies", "processes copy", "个进程")))
}

// untouched says that DST is as it was.
func (r *copyRun) untouched() string {
	if r.dst.old == nil {
		return r.dst.path + r.lang.pick(" was not created", " 没有被创建")
	}
	return r.dst.path + r.lang.pick(" is untouched", " 没有被改动")
}

// cleanup removes the temporary copy and its directory, unless it was
// renamed over DST; it may run more than once.
func (r *copyRun) cleanup() { r.stage.remove() }

// failure explains the first call that failed.
func (r *copyRun) failure(step copyStep, e syscall.Errno, part int) error {
	l := r.lang
	bytesText := quantityIn(l, r.size, "byte", "bytes", "字节")
	switch step {
	case stepOpenSrc:
		return l.errorf("cannot open %s for reading: %v", "无法以读方式打开 %s：%v", r.src.path, e)
	case stepOpenDst:
		return l.errorf("cannot create %s, the copy to rename over %s: %v", "无法创建 %s（要改名覆盖 %s 的副本）：%v", r.stage.file, filepath.Base(r.dst.path), e)
	case stepTruncate:
		return l.errorf("cannot give the copy a size of %s (ftruncate): %v", "无法把副本的大小设为 %s（ftruncate）：%v", bytesText, e)
	case stepReserve:
		how := "fallocate"
		if r.body.get(repNoRsv) != 0 {
			how = l.pick("fallocate is not supported there, so by writing zeros", "那里不支持 fallocate，改为写入零")
		}
		why := ""
		if e == unix.ENOSPC || e == unix.EDQUOT {
			why = l.pick(" (writing through the mapping without the blocks would have killed the copying processes with SIGBUS)",
				"（没有预留磁盘块就通过映射写入，复制的进程会被 SIGBUS 信号终止）")
		}
		return l.errorf("cannot reserve %[1]s for %[2]s (%[3]s): %[4]v%[5]s", "无法为 %[2]s 预留 %[1]s（%[3]s）：%[4]v%[5]s", bytesText, r.dst.path, how, e, why)
	case stepMapSrc:
		return l.errorf("cannot map %s (mmap of %s): %v", "无法映射 %s（mmap %s）：%v", r.src.path, bytesText, e)
	case stepMapDst:
		return l.errorf("cannot map the copy (mmap of %s): %v", "无法映射副本（mmap %s）：%v", bytesText, e)
	case stepFork:
		reaped := l.pick("no child had been forked", "此前还没有 fork 出任何子进程")
		switch {
		case part == 1:
			reaped = l.pick("the 1 child forked before it was reaped", "之前 fork 出的 1 个子进程已被回收")
		case part > 1:
			reaped = l.sprintf("the %d children forked before it were reaped", "之前 fork 出的 %d 个子进程已被回收", part)
		}
		return l.errorf("cannot fork child %d of %d: %v; %s", "无法 fork 第 %d 个子进程（共 %d 个）：%v；%s", part+1, len(r.parts), e, reaped)
	case stepPart:
		p := r.parts[part]
		how := ""
		ws := syscall.WaitStatus(r.body.get(repWait))
		switch {
		case e != 0:
			how = l.sprintf("could not be reaped: wait4: %v", "无法回收：wait4：%v", l.wrap(e))
		case ws.Signaled() && ws.Signal() == syscall.SIGBUS:
			how = l.pick("was killed by SIGBUS: a page of SRC or of the copy could not be read or written (SRC shrank during the copy, or the disk is full)",
				"被 SIGBUS 信号终止：SRC 或副本的某一页无法读写（复制期间 SRC 变短了，或者磁盘满了）")
		case ws.Signaled():
			how = l.sprintf("was killed by %[1]s (%[2]v)", "被 %[1]s 信号终止", unix.SignalName(ws.Signal()), ws.Signal())
		default:
			how = l.sprintf("exited with status %d", "以状态 %d 退出", ws.ExitStatus())
		}
		failed := r.body.get(repFailed)
		return l.errorf("child %[1]d of %[2]d, copying bytes [%[3]d, %[4]d), %[5]s; %[6]d of %[7]s failed",
			"第 %[1]d 个子进程（共 %[2]d 个）复制字节 [%[3]d, %[4]d) 时%[5]s；%[7]s中有 %[6]d 部分失败",
			part+1, len(r.parts), p.start, p.end, how, failed, quantityIn(l, len(r.parts), "part", "parts", "部分"))
	case stepUnmap:
		return l.errorf("munmap failed after the copy: %v", "复制之后 munmap 失败：%v", e)
	case stepClose:
		name := r.src.path
		if part == 1 {
			name = l.pick("the copy", "副本")
		}
		return l.errorf("closing %s failed: %v; its data may not have reached the disk", "关闭 %s 失败：%v；它的数据可能没有写到磁盘上", name, e)
	}
	return l.errorf("the copy failed at step %d: %v", "复制在第 %d 步失败：%v", step, e)
}

// timespecAt reads the struct timespec the kernel stored at off.
func timespecAt(b []byte, off int) time.Duration {
	sec := int64(binary.NativeEndian.Uint64(b[off:]))
	nsec := int64(binary.NativeEndian.Uint64(b[off+8:]))
	return time.Duration(sec)*time.Second + time.Duration(nsec)
}

func rate(l Lang, n int64, d time.Duration) string {
	if d <= 0 {
		return l.pick("too fast to time", "太快，无法计时")
	}
	mib := float64(n) / (1 << 20) / d.Seconds()
	if mib >= 1024 {
		return fmt.Sprintf("%.2f GiB/s", mib/1024)
	}
	return fmt.Sprintf("%.1f MiB/s", mib)
}
