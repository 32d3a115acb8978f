// Package stable makes a timeline print the same on every run, for a
// handout (mmtrace --stable): process ids become P1, P2, … in the order the
// processes appear, addresses become A1, A2, … in the order they appear,
// the time column goes, and so do the counts of folded repeats. What only
// the scheduler decides goes too: SIGCHLD deliveries (they land before or
// after the parent's wait returns) and calls a signal interrupted before
// the kernel restarted them (their retry shows the result), each with the
// notes under it.
package stable

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"sync"

	"github.com/mmtrace/mmtrace/tracer"
)

// Labeler learns the trace's processes as a sink and rewrites the text
// written through its Writer. Place it before the renderer among the sinks,
// so a process is known before the line that names it (its fork's result)
// is written.
type Labeler struct {
	w        io.Writer
	literals []string // old, new pairs replaced in every line
	pids     map[string]string
	addrs    map[string]string
	partial  []byte
	dropping bool // the last line was left out: so are its notes
	// split holds, by pid, a call's "<unfinished ...>" line until its
	// "<... resumed>" half comes, to print the two as one line.
	split map[string][]byte
}

// New returns a labeler writing the rewritten text to w.
func New(w io.Writer) *Labeler {
	return &Labeler{w: w, pids: map[string]string{}, addrs: map[string]string{}, split: map[string][]byte{}}
}

// Replace makes every line show new where it had old: a scenario's
// temporary directory, whose name changes each run.
func (l *Labeler) Replace(old, new string) {
	if old != "" {
		l.literals = append(l.literals, old, new)
	}
}

// Event registers the processes and threads of the trace.
func (l *Labeler) Event(e *tracer.Event) {
	l.pid(e.Pid)
	l.pid(e.Tid)
	if e.Kind == tracer.Spawn {
		l.pid(e.Child)
	}
}

// Flush does nothing: the writer passes whole lines on as they come.
func (l *Labeler) Flush() error { return nil }

func (l *Labeler) pid(p int) {
	if p <= 0 {
		return
	}
	k := strconv.Itoa(p)
	if _, ok := l.pids[k]; !ok {
		l.pids[k] = "P" + strconv.Itoa(len(l.pids)+1)
	}
}

// patterns are the line shapes the labeler rewrites, compiled on first
// use: only --stable needs them, and compiling them at every mmtrace start
// cost 0.08 ms.
type patterns struct {
	// lineHead is "pid time " at the start of a timeline line.
	lineHead, address *regexp.Regexp
	// repeats is a fold's count and span, which vary run to run;
	// repeatsZH the same in Chinese (text.Options.Lang).
	repeats, repeatsZH, number       *regexp.Regexp
	headPid, unfinished, resumedHalf *regexp.Regexp
	sigchld, restarted, callName     *regexp.Regexp
}

var re = sync.OnceValue(func() *patterns {
	return &patterns{
		lineHead:    regexp.MustCompile(`^(\d+)\s+\d+\.\d+ `),
		address:     regexp.MustCompile(`0x[0-9a-f]{6,}`),
		repeats:     regexp.MustCompile(`\(repeated \d+ more times over [^)]*\)`),
		repeatsZH:   regexp.MustCompile(`（又重复了 \d+ 次，历时 [^）]*）`),
		number:      regexp.MustCompile(`\b\d{2,}\b`),
		headPid:     regexp.MustCompile(`^(\d+)\s+\S+ `),
		unfinished:  regexp.MustCompile(` <unfinished \.\.\.>\n$`),
		resumedHalf: regexp.MustCompile(`^(\d+\s+\S+ )<\.\.\. \w+ resumed>`),
		sigchld:     regexp.MustCompile(`^\d+\s+\S+ --- SIGCHLD `),
		restarted:   regexp.MustCompile(`= \? ERESTART\w+ \(`),
		callName:    regexp.MustCompile(`^(?:<\.\.\. )?(\w+)[( ]`),
	}
})

// Write rewrites whole lines and passes them on; a partial line waits for
// its end.
func (l *Labeler) Write(p []byte) (int, error) {
	n := len(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return n, nil
		}
		raw := append([]byte(nil), l.partial[:i+1]...)
		l.partial = l.partial[i+1:]
		raw, ok := l.join(raw)
		if !ok || l.volatile(raw) {
			continue
		}
		if _, err := l.w.Write(l.rewrite(raw)); err != nil {
			return n, err
		}
	}
}

// join holds back a call's unfinished half and, when its resumed half
// comes, returns the call as one line stamped where it returned. It says
// false for a line it holds.
func (l *Labeler) join(line []byte) ([]byte, bool) {
	m := re().headPid.FindSubmatch(line)
	if m == nil {
		return line, true
	}
	pid := string(m[1])
	if re().unfinished.Match(line) {
		l.split[pid] = re().unfinished.ReplaceAll(line, nil)
		return nil, false
	}
	held, ok := l.split[pid]
	if !ok {
		return line, true
	}
	delete(l.split, pid)
	if r := re().resumedHalf.FindSubmatchIndex(line); r != nil {
		// "pid time " of the return, the call's head, the rest.
		call := held[len(re().headPid.Find(held)):]
		out := append(append(append([]byte(nil), line[:r[3]]...), call...), line[r[1]:]...)
		return out, true
	}
	// Another line of the same process before the return (its exit):
	// the unfinished half stands alone.
	l.partial = append(line, l.partial...)
	return append(held, []byte(" <unfinished ...>\n")...), true
}

// volatile says whether a line is one the scheduler decides, or a note
// under one.
func (l *Labeler) volatile(line []byte) bool {
	if bytes.HasPrefix(line, []byte(" ")) {
		return l.dropping // a note: it goes with its line
	}
	l.dropping = re().sigchld.Match(line) || re().restarted.Match(line)
	return l.dropping
}

func (l *Labeler) rewrite(line []byte) []byte {
	for i := 0; i < len(l.literals); i += 2 {
		line = bytes.ReplaceAll(line, []byte(l.literals[i]), []byte(l.literals[i+1]))
	}
	line = re().repeats.ReplaceAll(line, []byte("(repeated more times)"))
	line = re().repeatsZH.ReplaceAll(line, []byte("（又重复了多次）"))
	var head []byte
	if m := re().lineHead.FindSubmatchIndex(line); m != nil {
		pid := string(line[m[2]:m[3]])
		l.pid(atoi(pid))
		head = []byte(l.pids[pid] + " ")
		line = line[m[1]:]
	}
	line = re().address.ReplaceAllFunc(line, func(a []byte) []byte {
		k := string(a)
		if _, ok := l.addrs[k]; !ok {
			l.addrs[k] = "A" + strconv.Itoa(len(l.addrs)+1)
		}
		return []byte(l.addrs[k])
	})
	if namesPids(line) {
		line = re().number.ReplaceAllFunc(line, func(b []byte) []byte {
			if label, ok := l.pids[string(b)]; ok {
				return []byte(label)
			}
			return b
		})
	}
	return append(head, line...)
}

var (
	// pidCalls take or return process ids.
	pidCalls = map[string]bool{
		"fork": true, "vfork": true, "clone": true, "clone3": true,
		"wait4": true, "waitid": true, "kill": true, "tgkill": true, "tkill": true,
		"getpid": true, "getppid": true, "gettid": true, "set_tid_address": true,
	}
)

// namesPids says whether a line's numbers may be process ids: in the
// calls that take or return them, signal and exit lines, and the notes
// under a call. Elsewhere a number that happens to equal a pid (a size)
// stays a number.
func namesPids(line []byte) bool {
	switch {
	case bytes.HasPrefix(line, []byte("---")), bytes.HasPrefix(line, []byte("+++")),
		bytes.HasPrefix(line, []byte(" ")), bytes.HasPrefix(line, []byte("\t")):
		return true
	}
	m := re().callName.FindSubmatch(line)
	return m != nil && pidCalls[string(m[1])]
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
