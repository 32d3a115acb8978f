// Package stable labels what changes from run to run of the same program,
// for a handout (mmtrace --stable): process ids become P1, P2, … in the
// order the processes appear, addresses become A1, A2, … in the order they
// appear, a scenario's temporary directory becomes $DIR, times become the
// events' numbers, and a fold's count of repeats becomes "many".
//
// The order of the events is the tracer's to make the same (a serial run,
// tracer.Config.Serial): this package only names what the kernel chose,
// so the same order prints the same text.
package stable

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
)

// Tick is the time between two events of a stable trace: the events'
// times become their numbers, Tick apart, so that a picture or a JSON
// reader sees them in order, evenly spaced, the same every run.
const Tick = time.Millisecond

// Labeler learns the trace's processes as a sink and rewrites the text
// written through its writers. Place it first among the sinks, so that a
// process is known before the line that names it (its fork's result) is
// written, and every later sink sees the events' stable times.
type Labeler struct {
	mu       sync.Mutex
	literals []string // old, new pairs replaced in every line
	pids     map[string]string
	addrs    map[string]string
	inodes   map[string]string
	events   int
}

// New returns a labeler; its Writer method gives the writers that
// rewrite text with its labels.
func New() *Labeler {
	return &Labeler{pids: map[string]string{}, addrs: map[string]string{}, inodes: map[string]string{}}
}

// Replace makes every line show new where it had old: a scenario's
// temporary directory, whose name changes each run.
func (l *Labeler) Replace(old, new string) {
	if old != "" {
		l.mu.Lock()
		l.literals = append(l.literals, old, new)
		l.mu.Unlock()
	}
}

// Event registers the processes and threads of the trace, and gives the
// event its stable time: its number, Tick apart. A message, a line printed
// between two events, takes the number of the event before it: how many
// lines a program prints (ps, ls -l) is not mmtrace's to make the same,
// and must move no event's number.
func (l *Labeler) Event(e *tracer.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pid(e.Pid)
	l.pid(e.Tid)
	if e.Kind == tracer.Spawn {
		l.pid(e.Child)
	}
	if e.Kind != tracer.Message {
		l.events++
	}
	e.Time = time.Duration(l.events) * Tick
}

// Flush does nothing: the writers pass whole lines on as they come.
// KeepsNoCalls: labels read no call (tracer.KeepsNoCalls).
func (l *Labeler) KeepsNoCalls() {}

func (l *Labeler) Flush() error { return nil }

// Notes returns a sink that labels the notes of each event in place. Place
// it after the sinks that add notes and before the renderers, so that a
// renderer lays out (wraps) the labelled text, whose width is the same
// every run, and not the pids and addresses, whose width is not.
func (l *Labeler) Notes() tracer.Sink { return notesSink{l} }

type notesSink struct{ l *Labeler }

func (s notesSink) Event(e *tracer.Event) {
	for i, n := range e.Notes {
		e.Notes[i] = s.l.Note(n)
	}
	if e.Kind == tracer.Message {
		// A line printed: its files and addresses labelled as the
		// timeline's; and a scenario's report (no process) names
		// processes as "pid 4242", labelled as its closing lines were.
		s.l.mu.Lock()
		e.Text = string(s.l.rewriteClosing([]byte(e.Text), e.Pid == 0))
		s.l.mu.Unlock()
	}
}

// KeepsNoCalls: labels read no call (tracer.KeepsNoCalls).
func (s notesSink) KeepsNoCalls() {}

func (s notesSink) Flush() error { return nil }

// Pid returns the label of process or thread id p ("P3"), giving it the
// next one if it has none yet.
func (l *Labeler) Pid(p int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pid(p)
}

// PidNumber returns the number of p's label: 3 for P3. For a reader that
// wants a number where the pid was (JSON).
func (l *Labeler) PidNumber(p int) int {
	n, _ := strconv.Atoi(l.Pid(p)[1:])
	return n
}

// Addr returns the label of address a ("A2").
func (l *Labeler) Addr(a uint64) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr("0x" + strconv.FormatUint(a, 16))
}

// Text rewrites one line of text (a note, a decoded call) as the
// timeline's lines are.
func (l *Labeler) Text(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.rewrite([]byte(s)))
}

// CallText rewrites an argument or the result of call name: its bare
// numbers are process ids where the call takes or returns them.
func (l *Labeler) CallText(name, s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.rewriteAs([]byte(s), pidCalls[name]))
}

// Note rewrites a note, or any text in which a bare number equal to a
// process id is that process (a siginfo).
func (l *Labeler) Note(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.rewriteAs([]byte(s), true))
}

// Message rewrites a line a process or the scenario printed as
// NoteWriter rewrites it.
func (l *Labeler) Message(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.rewriteClosing([]byte(s), true))
}

func (l *Labeler) pid(p int) string {
	if p <= 0 {
		return strconv.Itoa(p)
	}
	k := strconv.Itoa(p)
	label, ok := l.pids[k]
	if !ok {
		label = "P" + strconv.Itoa(len(l.pids)+1)
		l.pids[k] = label
	}
	return label
}

// inodeLabel returns the label of an inode number: "I1".
func (l *Labeler) inodeLabel(k string) string {
	label, ok := l.inodes[k]
	if !ok {
		label = "I" + strconv.Itoa(len(l.inodes)+1)
		l.inodes[k] = label
	}
	return label
}

func (l *Labeler) addr(k string) string {
	label, ok := l.addrs[k]
	if !ok {
		label = "A" + strconv.Itoa(len(l.addrs)+1)
		l.addrs[k] = label
	}
	return label
}

// Writer returns a writer that rewrites the lines written to it, with the
// labels of this trace, to w: for the timeline, and for a scenario's own
// closing lines, which name the same processes and files.
func (l *Labeler) Writer(w io.Writer) *Writer {
	return &Writer{l: l, w: w}
}

// NoteWriter is Writer for a scenario's closing lines, which name a
// process as "pid 4242" ("the reader (pid 4242) saw ..."): such a number
// is labelled; other numbers (a size) stay numbers.
func (l *Labeler) NoteWriter(w io.Writer) *Writer {
	return &Writer{l: l, w: w, closing: true}
}

// Writer rewrites whole lines and passes them on; a partial line waits for
// its end.
type Writer struct {
	l       *Labeler
	w       io.Writer
	partial []byte
	closing bool
}

// Write rewrites the whole lines of p, keeping a partial line for later.
func (w *Writer) Write(p []byte) (int, error) {
	n := len(p)
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return n, nil
		}
		line := append([]byte(nil), w.partial[:i+1]...)
		w.partial = w.partial[i+1:]
		w.l.mu.Lock()
		line = w.l.rewriteClosing(line, w.closing)
		w.l.mu.Unlock()
		if _, err := w.w.Write(line); err != nil {
			return n, err
		}
	}
}

// Flush writes a last line that has no newline.
func (w *Writer) Flush() error {
	if len(w.partial) == 0 {
		return nil
	}
	w.l.mu.Lock()
	line := w.l.rewriteClosing(w.partial, w.closing)
	w.l.mu.Unlock()
	w.partial = nil
	_, err := w.w.Write(line)
	return err
}

// patterns are the shapes the labeler rewrites, compiled on first use:
// only --stable needs them, and compiling them at every mmtrace start
// cost 0.08 ms.
type patterns struct {
	// lineHead is "pid time " at the start of a timeline line.
	lineHead, address *regexp.Regexp
	// mapsRange is a line of /proc/PID/maps: start-end in bare hex.
	mapsRange *regexp.Regexp
	// repeats is a fold's count and span, which the clock decides.
	repeats, number, quoted, callName *regexp.Regexp
	// repeatsZH is a fold's count and span in Chinese (text.Options.Lang).
	repeatsZH *regexp.Regexp
	// cpuTime is a child's CPU time in a SIGCHLD's siginfo.
	cpuTime *regexp.Regexp
	// inode is the inode of a pipe or socket (pipe:[1234]), or of a
	// file in a line of /proc/PID/maps (after its device).
	inode *regexp.Regexp
	// pidWord is "pid 4242" in a scenario's closing line, "进程 4242" in
	// a Chinese one.
	pidWord *regexp.Regexp
}

var re = sync.OnceValue(func() *patterns {
	return &patterns{
		lineHead:  regexp.MustCompile(`^(\d+)\s+\d+\.\d+ `),
		address:   regexp.MustCompile(`0x[0-9a-f]{6,}`),
		mapsRange: regexp.MustCompile(`\b([0-9a-f]{8,16})-([0-9a-f]{8,16})\b`),
		repeats:   regexp.MustCompile(`\(repeated \d+ more times over [^)]*\)`),
		repeatsZH: regexp.MustCompile(`（又重复了 \d+ 次，历时 [^）]*）`),
		number:    regexp.MustCompile(`\b\d{2,}\b`),
		quoted:    regexp.MustCompile(`"(?:[^"\\]|\\.)*"`),
		callName:  regexp.MustCompile(`^(?:<\.\.\. )?(\w+)[( ]`),
		cpuTime:   regexp.MustCompile(`\b(si_[us]time)=\d+(?: /\* [0-9.]+ s \*/)?`),
		pidWord:   regexp.MustCompile(`(\bpid |进程 ?)(\d+)\b`),
		inode:     regexp.MustCompile(`((?:pipe|socket|anon_inode):\[|[r-][w-][x-][sp] [0-9a-f]{8} [0-9a-f]{2,3}:[0-9a-f]{2,5} )(\d+)`),
	}
})

// rewrite labels one line; the caller holds mu.
func (l *Labeler) rewrite(line []byte) []byte { return l.rewriteAs(line, false) }

// rewriteClosing labels a line, as a closing line if closing: its "pid
// N" are labelled too. The caller holds mu.
func (l *Labeler) rewriteClosing(line []byte, closing bool) []byte {
	line = l.rewrite(line)
	if closing {
		line = re().pidWord.ReplaceAllFunc(line, func(b []byte) []byte {
			m := re().pidWord.FindSubmatch(b)
			if label, ok := l.pids[string(m[2])]; ok {
				return append(append([]byte(nil), m[1]...), label...)
			}
			return b
		})
	}
	return line
}

// rewriteAs labels one line; with notes, every bare number equal to a
// process id is that process. The caller holds mu.
func (l *Labeler) rewriteAs(line []byte, notes bool) []byte {
	for i := 0; i < len(l.literals); i += 2 {
		line = bytes.ReplaceAll(line, []byte(l.literals[i]), []byte(l.literals[i+1]))
	}
	line = re().repeats.ReplaceAll(line, []byte("(repeated many times)"))
	line = re().repeatsZH.ReplaceAll(line, []byte("（又重复了多次）"))
	line = re().cpuTime.ReplaceAll(line, []byte("$1=?"))
	var head []byte
	if m := re().lineHead.FindSubmatchIndex(line); m != nil {
		head = []byte(l.pid(atoi(string(line[m[2]:m[3]]))) + " ")
		line = line[m[1]:]
	}
	line = re().address.ReplaceAllFunc(line, func(a []byte) []byte {
		return []byte(l.addr(string(a)))
	})
	// A range of /proc/PID/maps: the start as the address it is, the end
	// as its distance from the start, which is the same every run, in
	// KiB (a mapping is whole pages), so that no pass of the labeler
	// takes it for an address.
	line = re().mapsRange.ReplaceAllFunc(line, func(b []byte) []byte {
		m := re().mapsRange.FindSubmatch(b)
		start, err1 := strconv.ParseUint(string(m[1]), 16, 64)
		end, err2 := strconv.ParseUint(string(m[2]), 16, 64)
		if err1 != nil || err2 != nil || end < start {
			return b
		}
		a := l.addr("0x" + strconv.FormatUint(start, 16))
		if (end-start)%1024 != 0 {
			return []byte(a + "-" + a + "+" + strconv.FormatUint(end-start, 10) + "B")
		}
		return []byte(a + "-" + a + "+" + strconv.FormatUint((end-start)/1024, 10) + "KiB")
	})
	pidsIn := func(b []byte) []byte {
		var out []byte
		last := 0
		for _, m := range re().number.FindAllIndex(b, -1) {
			label, ok := l.pids[string(b[m[0]:m[1]])]
			if !ok || counts(b[m[1]:]) {
				continue
			}
			out = append(append(out, b[last:m[0]]...), label...)
			last = m[1]
		}
		if out == nil {
			return b
		}
		return append(out, b[last:]...)
	}
	line = re().inode.ReplaceAllFunc(line, func(b []byte) []byte {
		m := re().inode.FindSubmatch(b)
		return append(append([]byte(nil), m[1]...), l.inodeLabel(string(m[2]))...)
	})
	if notes || namesPids(line) {
		line = pidsIn(line)
	} else {
		// A pid in a string: ps's -q list, a /proc/PID path.
		line = re().quoted.ReplaceAllFunc(line, pidsIn)
	}
	return append(head, line...)
}

var (
	// pidCalls take or return process ids.
	pidCalls = map[string]bool{
		"fork": true, "vfork": true, "clone": true, "clone3": true,
		"wait4": true, "waitid": true, "kill": true, "tgkill": true, "tkill": true,
		"getpid": true, "getppid": true, "gettid": true, "set_tid_address": true,
		"pidfd_open": true, "pidfd_send_signal": true,
	}
)

// noteIndent starts a note under a timeline line (text.Renderer's). A
// scenario's report indents its lines by less ("  reap 1: pid 4242") and
// names its processes as "pid N", labelled as closing lines are: its other
// numbers (a size of 8192 bytes) stay numbers even when a process has that
// id.
var noteIndent = []byte("                  ")

// namesPids says whether a line's numbers may be process ids: in the
// calls that take or return them, signal and exit lines, and the notes
// under a call. Elsewhere a number that happens to equal a pid (a size)
// stays a number.
func namesPids(line []byte) bool {
	switch {
	case bytes.HasPrefix(line, []byte("---")), bytes.HasPrefix(line, []byte("+++")),
		bytes.HasPrefix(line, noteIndent), bytes.HasPrefix(line, []byte("\t")):
		return true
	}
	m := re().callName.FindSubmatch(line)
	return m != nil && pidCalls[string(m[1])]
}

// units follow a number that counts something (pages, bytes, faults):
// such a number is never a process, even when one has that id.
var units = [][]byte{
	[]byte("page"), []byte("页"), []byte("byte"), []byte("字节"), []byte("B"),
	[]byte("KiB"), []byte("MiB"), []byte("GiB"), []byte("kB"), []byte("KB"),
	[]byte("MB"), []byte("GB"), []byte("%"), []byte("fault"), []byte("次"),
	[]byte("time"), []byte("ms"), []byte("µs"), []byte("ns"), []byte("个"),
	[]byte("call"), []byte("record"), []byte("条"), []byte("line"), []byte("行"),
}

// Counts says whether rest, what follows a number, starts with a unit
// ("289 pages"): such a number is not a process id, even where a process
// has it. The picture (tracer/svg) labels its texts by the same rule.
func Counts(rest string) bool { return counts([]byte(rest)) }

// counts says whether rest, what follows a number, starts with a unit.
func counts(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " ")
	for _, u := range units {
		if bytes.HasPrefix(rest, u) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
