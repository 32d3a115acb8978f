// Package html is the classroom view: one self-contained page of a trace
// (--html FILE), or the same page live from a small web server (--serve).
// The page shows the timeline, every call with its line and its
// explanations in English and Chinese, and beside it the address space at
// the selected step: a column per process alive then, each mapping a
// block, shared mappings linked across the columns, the fd tables and the
// process tree with its fork and wait arrows.
//
// The page never holds the state of every step. The Recorder, a
// tracer.Sink placed after the shared address-space model, sends each
// event as a record with the changes the event made to the model (a
// mapping added or removed, an fd opened or closed, a process started or
// ended); the page's script applies them forward and undoes them backward,
// so a trace of 100,000 calls costs its records and one state.
//
// Renderers never call ptrace: the Recorder reads the model (which reads
// /proc), and the explanations come from two explainers, one per
// language, fed the same events as the annotator's.
package html

import (
	"encoding/json"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options choose what the page shows.
type Options struct {
	// Title names the trace: a scenario's name, or the command traced.
	Title string
	// Name names the first process until it execs.
	Name string
	// Model is the model the pipeline shares and applies before this
	// sink; nil: the recorder keeps its own.
	Model *model.Model
	// Explain adds the explanations, in both languages; Faults the page
	// faults each process took since its previous call.
	Explain, Faults bool
	// Lang is the language the page opens in; the other is a click away.
	Lang explain.Lang
	// Stable is handout mode, as --stable: P1 and A1 instead of pids and
	// addresses, no times, nothing the scheduler decides; StableDir (a
	// scenario's temporary directory) shows as $DIR.
	Stable    bool
	StableDir string
	// Step says the trace pauses before each call until released (--step
	// with --serve): the page shows a Next button.
	Step bool
}

// Record kinds, as the page reads them: one letter per record.
const (
	kindCall   = 'c'
	kindSignal = 's'
	kindStop   = 't'
	kindExit   = 'x'
	kindSpawn  = 'f' // not a row: carries the new process's changes
)

// record is one event as the page reads it. Strings are indices into the
// trace's string table, which the page receives in the same batches.
type record struct {
	K byte
	P int
	H int   // the thread, when not the process
	T int64 // µs since the start (none when stable)
	D int64 // µs in the call
	L int   // the strace line
	N []int // notes, English
	Z []int // notes, Chinese
	E int   // the errno's name of a failed call (a string), or 0
	C int   // spawn: the child
	F int   // flags: see flag...
	O []int64
}

// Record flags.
const (
	// flagRepeat: the same call as the thread's previous one, with the
	// same result and notes (a polling loop): folded under it.
	flagRepeat = 1
	// flagMore: (stable) repeats of this call were left out, their number
	// unsaid.
	flagMore = 2
	// flagFault: a fault signal (SIGSEGV, SIGBUS), or a process killed.
	flagFault = 4
	// flagRestart: interrupted by a signal, to be restarted (ERESTART*).
	flagRestart = 8
	// flagUnfinished: the call never returned.
	flagUnfinished = 16
)

// Ops, the changes a record carries, one flat list of numbers: each op
// is its code and a fixed number of arguments.
//
//	opProc  pid parent name       a process appears
//	opExit  pid how               a process ends
//	opName  pid name              a process runs a new program
//	opMap   pid pages prot flags path offset obj addr filesize touched
//	                              a mapping appears, the next key (touched:
//	                              -1, unknown; obj: 0, the next object)
//	opUnmap pid key               a mapping goes
//	opFD    pid fd path flags     an fd is opened (or replaced)
//	opClose pid fd                an fd is closed
//	opWait  pid child             pid's wait reaped child
//	opPages pid key touched       the pages of a mapping touched
//
// Strings are string-table indices. Keys name mappings: the first opMap
// makes mapping 1, the next 2, and so on; another op names one by how
// many came after it (0: the last made). In a batch, an op's pid is 0
// when it is its record's process. Mapping flags: see mapShared...
const (
	opProc = 1 + iota
	opExit
	opName
	opMap
	opUnmap
	opFD
	opClose
	opWait
	opPages
)

// opArgs is how many numbers follow each op's code; the page has the
// same table.
var opArgs = [...]int{opProc: 3, opExit: 2, opName: 2, opMap: 10, opUnmap: 2, opFD: 4, opClose: 2, opWait: 2, opPages: 3}

const (
	mapShared  = 1
	mapAnon    = 2
	mapInitial = 4 // there before the trace saw the process
	mapDeleted = 8 // its file has no name left
	mapDevZero = 16
)

// Recorder is a tracer.Sink that keeps a trace as the page's records.
// Event runs on the tracer's goroutine; the page (WritePage, or a server's
// connections) reads what was recorded from any goroutine.
type Recorder struct {
	opt Options
	m   model.Shared
	x   [2]*explain.Explainer // EN, ZH
	lab labeler

	// Tracer-goroutine state.
	pending map[int]*inFlight // by tid: the call in flight
	entered *inFlight         // the last call entered, for step mode
	faults  map[int][2][]string
	last    map[int]string // by tid: the last call's line and notes, to fold
	heads   map[int]int    // by tid: the record index of that call
	snaps   map[int]*snapshot
	files   map[string]int // a shared file's mapping object
	objs    int
	keys    int // mapping keys handed out
	ops     []int64

	mu      sync.Mutex
	strs    map[string]int
	strList []string
	sent    int   // strings already in an encoded batch
	nrecs   int   // records already in an encoded batch
	lastT   int64 // the time of the last record encoded
	recs    []record
	chunks  [][]byte // each encoded batch
	done    bool
	waiting string // (step) the call waiting for Next, or ""
	notify  chan struct{}
	// patched: records changed after they were encoded (stable fold
	// heads), sent again.
	patched []int
}

type inFlight struct {
	call *sys.Call
	pid  int
	at   int64
}

// snapshot is a process as the page last heard of it.
type snapshot struct {
	maps []sent
	fds  map[int]model.FD
	name string
}

type sent struct {
	m    model.Mapping
	key  uint64
	obj  int
	told bool // the page has it
	// touched: the pages of it the process touched, as the page was last
	// told (hasPages).
	touched  uint64
	hasPages bool
}

// New returns a recorder.
func New(opt Options) *Recorder {
	m := model.Use(opt.Model)
	if opt.Faults {
		m.M.Residency = true // the pages each mapping has, for its block
	}
	r := &Recorder{
		opt: opt, m: m,
		pending: map[int]*inFlight{}, faults: map[int][2][]string{},
		last: map[int]string{}, heads: map[int]int{}, snaps: map[int]*snapshot{}, files: map[string]int{},
		strs: map[string]int{}, notify: make(chan struct{}),
	}
	r.x[0] = explain.New(explain.EN, m.M)
	r.x[1] = explain.New(explain.ZH, m.M)
	r.lab = labeler{stable: opt.Stable, dir: opt.StableDir, pids: map[int]int{}, addrs: map[string]string{}}
	r.str("") // index 0: nothing
	return r
}

// Event records one event.
func (r *Recorder) Event(e *tracer.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := r.m.Apply(e)
	var notes [2][]string
	for i, x := range r.x {
		switch e.Kind {
		case tracer.CallEnter:
			if r.opt.Faults {
				notes[i] = x.Notes(e, ch)
			}
		case tracer.Spawn:
			x.Notes(e, ch)
		default:
			if r.opt.Explain {
				notes[i] = x.Notes(e, ch)
			}
		}
	}
	r.lab.event(e)
	at := int64(e.Time.Microseconds())
	switch e.Kind {
	case tracer.CallEnter:
		if p := r.pending[e.Tid]; p != nil {
			r.call(e.Pid, e.Tid, p, at, nil)
		}
		r.entered = &inFlight{call: e.Call, pid: e.Pid, at: at}
		r.pending[e.Tid] = r.entered
		if notes[0] != nil {
			r.faults[e.Tid] = notes
		}
		r.track(e.Pid)
	case tracer.CallExit:
		p := r.pending[e.Tid]
		if p == nil {
			return
		}
		r.track(e.Pid)
		r.called(e)
		r.call(e.Pid, e.Tid, p, at, &notes)
	case tracer.Signal:
		if r.opt.Stable && e.Signal == syscall.SIGCHLD {
			return // when it lands is the scheduler's choice
		}
		rec := record{K: kindSignal, P: e.Pid, H: e.Tid, T: at}
		rec.L = r.text("--- "+sys.SignalName(e.Signal)+" "+e.Siginfo.String()+" ---", true)
		switch e.Signal {
		case syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGILL, syscall.SIGFPE:
			rec.F |= flagFault
		}
		r.add(rec, notes)
	case tracer.Stopped:
		r.add(record{K: kindStop, P: e.Pid, H: e.Tid, T: at, L: r.text("--- stopped by "+sys.SignalName(e.Signal)+" ---", true)}, notes)
	case tracer.Spawn:
		if e.Thread {
			return
		}
		r.track(e.Pid)
		r.spawn(e.Pid, e.Child)
		r.add(record{K: kindSpawn, P: e.Pid, H: e.Tid, T: at, C: r.lab.pid(e.Child)}, [2][]string{})
	case tracer.Exit:
		if p := r.pending[e.Tid]; p != nil {
			r.call(e.Pid, e.Tid, p, at, nil)
		}
		var how string
		switch {
		case e.KilledBy != 0 && e.CoreDumped:
			how = "+++ killed by " + sys.SignalName(e.KilledBy) + " (core dumped) +++"
		case e.KilledBy != 0:
			how = "+++ killed by " + sys.SignalName(e.KilledBy) + " +++"
		default:
			how = "+++ exited with " + strconv.Itoa(e.ExitCode) + " +++"
		}
		if e.Leader {
			if r.snaps[e.Pid] != nil {
				r.op(opExit, int64(r.lab.pid(e.Pid)), int64(r.str(how)))
				delete(r.snaps, e.Pid)
			}
		}
		rec := record{K: kindExit, P: e.Pid, H: e.Tid, T: at, L: r.text(how, true)}
		if e.KilledBy != 0 {
			rec.F |= flagFault
		}
		if f, ok := r.faults[e.Tid]; ok {
			notes[0], notes[1] = append(notes[0], f[0]...), append(notes[1], f[1]...)
			delete(r.faults, e.Tid)
		}
		r.add(rec, notes)
		delete(r.last, e.Tid)
	case tracer.Detached:
		// The trace let the process go: its call in flight ends
		// "<detached ...>" as in the timeline, and the process's column
		// ends with "detached" as its state (the page shows a state it
		// does not know as is), on a row of its own that is not an exit.
		if p := r.pending[e.Tid]; p != nil {
			delete(r.pending, e.Tid)
			rec := record{K: kindCall, P: e.Pid, H: e.Tid, T: p.at, D: at - p.at, F: flagUnfinished}
			rec.L = r.text(p.call.EnteredText()+" <detached ...>", pidCalls[p.call.Name])
			r.add(rec, [2][]string{})
		}
		if r.snaps[e.Pid] != nil {
			r.op(opExit, int64(r.lab.pid(e.Pid)), int64(r.str("detached")))
			delete(r.snaps, e.Pid)
		}
		r.add(record{K: kindStop, P: e.Pid, H: e.Tid, T: at, L: r.text("+++ detached +++", true)}, notes)
		delete(r.faults, e.Tid)
		delete(r.last, e.Tid)
	case tracer.Superseded:
		if p := r.pending[e.Pid]; p != nil {
			r.call(e.Pid, e.Pid, p, at, nil)
		}
		if p := r.pending[e.OldTid]; p != nil {
			delete(r.pending, e.OldTid)
			r.pending[e.Pid] = p
		}
		delete(r.last, e.OldTid)
	}
}

// call records a call that returned (notes non-nil) or never will.
func (r *Recorder) call(pid, tid int, p *inFlight, at int64, notes *[2][]string) {
	delete(r.pending, tid)
	c := p.call
	rec := record{K: kindCall, P: pid, H: tid, T: p.at, D: at - p.at}
	var n [2][]string
	if notes != nil {
		n = *notes
		if errno := c.Errno(); errno >= 512 && errno <= 516 {
			if r.opt.Stable {
				return // the retry shows the result
			}
			rec.F |= flagRestart
		} else if errno != 0 {
			name := sys.ErrnoName(errno)
			if name == "" {
				name = "errno " + strconv.Itoa(int(errno))
			}
			rec.E = r.str(name)
		}
	} else if !c.Done {
		rec.F |= flagUnfinished
	}
	if f, ok := r.faults[tid]; ok {
		n[0], n[1] = append(n[0], f[0]...), append(n[1], f[1]...)
		delete(r.faults, tid)
	}
	rec.L = r.text(c.String(), pidCalls[c.Name])
	r.add(rec, n)
}

// add finishes a record: its notes, the changes made since the last
// record, the fold, the labels.
func (r *Recorder) add(rec record, notes [2][]string) {
	for _, n := range notes[0] {
		rec.N = append(rec.N, r.textLocked(n, true))
	}
	for _, n := range notes[1] {
		rec.Z = append(rec.Z, r.textLocked(n, true))
	}
	rec.O, r.ops = r.ops, nil
	tid := rec.H
	if rec.K != kindSpawn {
		key := ""
		if rec.K == kindCall && rec.F&flagUnfinished == 0 {
			key = strconv.Itoa(rec.L) + ":" + ints(rec.N) + ":" + strconv.Itoa(rec.E)
		}
		if key != "" && len(rec.O) == 0 && r.last[tid] == key {
			if r.opt.Stable {
				// How often a polling loop polled is the scheduler's
				// choice: its head says it repeated, not how often.
				if h := r.heads[tid]; r.recs[h].F&flagMore == 0 {
					r.recs[h].F |= flagMore
					r.patched = append(r.patched, h)
				}
				return
			}
			rec.F |= flagRepeat
		} else {
			r.last[tid] = key
			r.heads[tid] = len(r.recs)
		}
	}
	rec.P, rec.H = r.lab.pid(rec.P), r.lab.pid(tid)
	if rec.H == rec.P {
		rec.H = 0
	}
	if r.opt.Stable {
		rec.T, rec.D = 0, 0
	}
	r.recs = append(r.recs, rec)
}

func ints(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}

// called notes what a returned call did that the model does not say: a
// new program's name, a child reaped.
func (r *Recorder) called(e *tracer.Event) {
	c := e.Call
	if c.Errno() != 0 || !c.Done {
		return
	}
	switch c.Name {
	case "execve", "execveat":
		args := c.ArgsText()
		i := 0
		if c.Name == "execveat" {
			i = 1
		}
		if s := r.snaps[e.Pid]; s != nil && i < len(args) {
			s.name = escape.String(path.Base(unquote(args[i])))
			r.op(opName, int64(r.lab.pid(e.Pid)), int64(r.strLocked(s.name)))
		}
	case "wait4", "waitid":
		if c.Ret > 0 && (c.Name == "wait4") {
			r.op(opWait, int64(r.lab.pid(e.Pid)), int64(r.lab.pid(int(c.Ret))))
		}
	}
}

// Flush makes what was recorded since the last flush visible to live
// pages: the tracer flushes before it waits for the tracees.
func (r *Recorder) Flush() error {
	r.mu.Lock()
	if r.encodeLocked() {
		r.wakeLocked()
	}
	r.mu.Unlock()
	return nil
}

// Close ends the trace: the page knows no more will come.
func (r *Recorder) Close() error {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return nil
	}
	for tid, p := range r.pending {
		r.call(p.pid, tid, p, p.at, nil)
	}
	r.encodeLocked()
	r.done = true
	r.wakeLocked()
	r.mu.Unlock()
	return nil
}

// wakeLocked tells the live pages that something came.
func (r *Recorder) wakeLocked() {
	close(r.notify)
	r.notify = make(chan struct{})
}

// encodeLocked encodes the records not yet encoded as one batch.
func (r *Recorder) encodeLocked() bool {
	from := r.nrecs
	if from == len(r.recs) && r.sent == len(r.strList) && len(r.patched) == 0 {
		return false
	}
	if len(r.patched) > 0 {
		// Stable fold heads marked after they went: sent again as a
		// patch the page applies by index.
		pd, _ := json.Marshal(map[string]any{"more": r.patched})
		r.chunks = append(r.chunks, pd)
		r.patched = nil
	}
	r.chunks = append(r.chunks, r.batch(r.strList[r.sent:], r.recs[from:]))
	r.sent = len(r.strList)
	r.nrecs = len(r.recs)
	return true
}

// op queues one change for the next record: its code and arguments.
func (r *Recorder) op(code int, args ...int64) {
	r.ops = append(r.ops, int64(code))
	r.ops = append(r.ops, args...)
}

// text adds a line's text to the string table, labelled when stable.
func (r *Recorder) text(s string, pids bool) int { return r.textLocked(s, pids) }

func (r *Recorder) textLocked(s string, pids bool) int {
	return r.strLocked(r.lab.text(strings.ToValidUTF8(s, "\uFFFD"), pids))
}

func (r *Recorder) str(s string) int { return r.strLocked(s) }

func (r *Recorder) strLocked(s string) int {
	if i, ok := r.strs[s]; ok {
		return i
	}
	i := len(r.strList)
	r.strs[s] = i
	r.strList = append(r.strList, s)
	return i
}

// pidCalls take or return process ids: their numbers become labels when
// stable.
var pidCalls = map[string]bool{
	"fork": true, "vfork": true, "clone": true, "clone3": true,
	"wait4": true, "waitid": true, "kill": true, "tgkill": true, "tkill": true,
	"getpid": true, "getppid": true, "gettid": true, "set_tid_address": true,
}

// labeler is --stable for the page: processes become P1, P2, … in the
// order they appear, addresses A1, A2, … in the order the text shows
// them, the scenario's directory $DIR; as the text timeline's labels
// (tracer/stable).
type labeler struct {
	stable bool
	dir    string
	pids   map[int]int
	addrs  map[string]string
}

var (
	addrRE   = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`0x[0-9a-f]{6,}`) })
	numberRE = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`\b\d{2,}\b`) })
)

func (l *labeler) event(e *tracer.Event) {
	if !l.stable {
		return
	}
	l.pid(e.Pid)
	l.pid(e.Tid)
	if e.Kind == tracer.Spawn {
		l.pid(e.Child)
	}
}

// pid returns what the page calls process p: its label's number when
// stable, else p.
func (l *labeler) pid(p int) int {
	if !l.stable || p <= 0 {
		return p
	}
	if n, ok := l.pids[p]; ok {
		return n
	}
	n := len(l.pids) + 1
	l.pids[p] = n
	return n
}

// text labels s when stable; pids says its numbers may be process ids.
func (l *labeler) text(s string, pids bool) string {
	if !l.stable {
		return s
	}
	if l.dir != "" {
		s = strings.ReplaceAll(s, l.dir, "$DIR")
	}
	s = addrRE.Get().ReplaceAllStringFunc(s, func(a string) string {
		if lb, ok := l.addrs[a]; ok {
			return lb
		}
		lb := "A" + strconv.Itoa(len(l.addrs)+1)
		l.addrs[a] = lb
		return lb
	})
	if pids {
		s = numberRE.Get().ReplaceAllStringFunc(s, func(b string) string {
			n, _ := strconv.Atoi(b)
			if k, ok := l.pids[n]; ok {
				return "P" + strconv.Itoa(k)
			}
			return b
		})
	}
	return s
}

// addr is the text of a mapping's start: the address, or when stable the
// label the text gave it ("" if the text never showed it).
func (l *labeler) addr(a uint64) string {
	hex := "0x" + strconv.FormatUint(a, 16)
	if !l.stable {
		return hex
	}
	return l.addrs[hex]
}

// unquote undoes strace's quoting of a string argument.
func unquote(s string) string {
	if u, ok := escape.Unquote(strings.TrimSuffix(s, "...")); ok {
		return u
	}
	return s
}
