package tracer

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unicode/utf8"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// # Messages
//
// A scenario's processes print what they see, as the notes' C programs do:
// a line to stdout, an error to stderr. Printed straight to the terminal,
// those lines would come out of order with the timeline, which is written
// by another process. With Config.Messages the child's stdout and stderr
// point at /dev/null (rawchild.Spec.NullOutput), the seccomp filter stops
// every write and writev to fds 1 and 2, and at that stop the tracer reads
// what is being written from the tracee's memory and delivers each line as
// a Message event: in its place, before the process runs on. So does every
// program a scenario's process execs (waitpid's ps and ls).
//
// A line may come in several writes (printf's pieces); each thread's
// partial line is kept until its newline, its thread's exit or the end of
// the trace. Such writes are messages only: they are not shown as calls,
// even when the filter has write.

// Bounds on what one write is read for: a write of more shows its first
// maxMessageRead bytes; a line longer than maxMessageLine is cut into
// several messages.
const (
	maxMessageRead = 64 << 10
	maxMessageLine = 4 << 10
	maxIovecs      = 1024 // UIO_MAXIOV
)

// messageFDs are the fds whose writes are messages.
var messageFDs = []int{1, 2}

// lineKey is a thread's stream: its partial line on one fd.
type lineKey struct{ tid, fd int }

// partialLine is the start of a line whose newline has not come yet.
type partialLine struct {
	pid int
	b   []byte
}

// messageWrite says whether a call entering with args is a write or
// writev to stdout or stderr, and returns the fd.
func (t *Tracer) messageWrite(arch sys.Arch, nr int, args [6]uint64) (fd int, vec, ok bool) {
	if !t.cfg.Messages || arch != sys.HostArch() {
		return 0, false, false
	}
	if t.writeNr == 0 {
		w, ok1 := sys.Number(arch, "write")
		v, ok2 := sys.Number(arch, "writev")
		if !ok1 || !ok2 {
			return 0, false, false
		}
		t.writeNr, t.writevNr = w, v
	}
	if nr != t.writeNr && nr != t.writevNr {
		return 0, false, false
	}
	fd = int(uint32(args[0])) // the kernel's unsigned int fd
	for _, m := range messageFDs {
		if fd == m {
			return fd, nr == t.writevNr, true
		}
	}
	return 0, false, false
}

// message reads what th is writing to fd and delivers its whole lines.
func (t *Tracer) message(th *thread, fd int, vec bool, args [6]uint64) {
	buf := t.msgBuf[:0]
	if vec {
		buf = t.readIovecs(th, buf, args[1], args[2])
	} else {
		buf = t.readMem(th, buf, args[1], min(args[2], maxMessageRead))
	}
	t.msgBuf = buf[:0]
	key := lineKey{th.tid, fd}
	p := t.partial[key]
	if p != nil {
		buf = append(p.b, buf...)
	}
	for len(buf) > 0 {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 && len(buf) <= maxMessageLine {
			break // the start of a line: kept for the rest
		}
		if i < 0 || i > maxMessageLine {
			// Too long for one message: cut, at a character's start.
			cut := maxMessageLine
			for cut > 0 && !utf8.RuneStart(buf[cut]) {
				cut--
			}
			if cut == 0 {
				cut = maxMessageLine
			}
			t.say(th.pid, th.tid, fd, buf[:cut])
			buf = buf[cut:]
			continue
		}
		t.say(th.pid, th.tid, fd, buf[:i])
		buf = buf[i+1:]
	}
	if len(buf) == 0 {
		delete(t.partial, key)
		return
	}
	if t.partial == nil {
		t.partial = make(map[lineKey]*partialLine)
	}
	if p == nil {
		p = &partialLine{pid: th.pid}
		t.partial[key] = p
	}
	p.b = append(p.b[:0:0], buf...) // buf may be p.b's own bytes
}

// readMem appends n bytes of th's memory at addr to buf: those it can
// read.
func (t *Tracer) readMem(th *thread, buf []byte, addr, n uint64) []byte {
	start := len(buf)
	buf = slices.Grow(buf, int(n))[:start+int(n)]
	got, _ := th.mem.Read(addr, buf[start:])
	return buf[:start+got]
}

// readIovecs appends what writev's cnt iovecs at addr hold, up to
// maxMessageRead bytes.
func (t *Tracer) readIovecs(th *thread, buf []byte, addr, cnt uint64) []byte {
	cnt = min(cnt, maxIovecs)
	var iov [16]byte // struct iovec on a 64-bit ABI: base, len
	for i := uint64(0); i < cnt && len(buf) < maxMessageRead; i++ {
		if n, _ := th.mem.Read(addr+16*i, iov[:]); n < len(iov) {
			break
		}
		base := binary.LittleEndian.Uint64(iov[:8])
		n := min(binary.LittleEndian.Uint64(iov[8:]), uint64(maxMessageRead-len(buf)))
		before := len(buf)
		buf = t.readMem(th, buf, base, n)
		if uint64(len(buf)-before) < n {
			break // the kernel would stop at the fault too
		}
	}
	return buf
}

// say delivers one line.
func (t *Tracer) say(pid, tid, fd int, line []byte) {
	t.ev = Event{Kind: Message, Pid: pid, Tid: tid, FD: fd, Text: escape.Message(string(line))}
	t.emit(&t.ev)
}

// sayRest delivers the partial lines of thread tid (every thread's when
// tid is 0): its last line had no newline, and it will write no more.
func (t *Tracer) sayRest(tid int) {
	if len(t.partial) == 0 {
		return
	}
	var keys []lineKey
	for k := range t.partial {
		if tid == 0 || k.tid == tid {
			keys = append(keys, k)
		}
	}
	// stdout before stderr, and threads in order: the same every run.
	for len(keys) > 0 {
		first := 0
		for i, k := range keys {
			if k.tid < keys[first].tid || (k.tid == keys[first].tid && k.fd < keys[first].fd) {
				first = i
			}
		}
		k := keys[first]
		keys = append(keys[:first], keys[first+1:]...)
		p := t.partial[k]
		delete(t.partial, k)
		t.say(p.pid, k.tid, k.fd, p.b)
	}
}
