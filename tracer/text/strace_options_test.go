package text

import (
	"bytes"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestStraceOptions renders one made-up story (a call that succeeds, one
// that fails, a signal, one call another thread's line interrupts, an
// exit) with each of strace's output options.
func TestStraceOptions(t *testing.T) {
	story := func(r *Renderer) {
		call := func() *sys.Call {
			c := sys.NewCall(sys.AMD64, 3, [6]uint64{3}) // close(3)
			c.Enter(nil, &sys.Options{})
			return c
		}
		ok := call()
		r.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: ok})
		ok.Exit(nil, 0, &sys.Options{})
		r.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Call: ok})
		bad := call()
		r.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: bad})
		bad.Exit(nil, -9, &sys.Options{})
		r.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Call: bad})
		r.Event(&tracer.Event{Kind: tracer.Signal, Pid: 10, Tid: 10, Signal: syscall.SIGUSR1})
		held := call()
		r.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: held})
		r.Event(&tracer.Event{Kind: tracer.Signal, Pid: 11, Tid: 11, Signal: syscall.SIGUSR2})
		held.Exit(nil, 0, &sys.Options{})
		r.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Call: held})
		r.Event(&tracer.Event{Kind: tracer.Exit, Pid: 10, Tid: 10, Leader: true})
	}
	for _, c := range []struct {
		name string
		opt  Options
		want []string
	}{
		{"plain", Options{NoFold: true}, []string{"close(3) = 0", "close(3) = -1 EBADF (Bad file descriptor)", "--- SIGUSR1", "close(3 <unfinished ...>", "--- SIGUSR2", "<... close resumed>) = 0", "+++ exited with 0 +++"}},
		{"failed", Options{NoFold: true, Status: Failed}, []string{"close(3) = -1 EBADF (Bad file descriptor)", "--- SIGUSR1", "--- SIGUSR2", "+++ exited with 0 +++"}},
		{"successful", Options{NoFold: true, Status: Successful}, []string{"close(3) = 0", "--- SIGUSR1", "--- SIGUSR2", "close(3) = 0", "+++ exited with 0 +++"}},
		{"signals", Options{NoFold: true, Status: Successful, Signals: func(s syscall.Signal) bool { return s == syscall.SIGUSR2 }}, []string{"close(3) = 0", "--- SIGUSR2", "close(3) = 0", "+++ exited with 0 +++"}},
		{"quiet exit", Options{NoFold: true, Status: Failed, QuietExit: true}, []string{"close(3) = -1 EBADF (Bad file descriptor)", "--- SIGUSR1", "--- SIGUSR2"}},
		{"numbers", Options{NoFold: true, Numbers: true, Status: Failed}, []string{"[   3] close(3) = -1 EBADF (Bad file descriptor)", "[   3] --- SIGUSR1", "[   0] --- SIGUSR2", "[   3] +++ exited with 0 +++"}},
	} {
		var out bytes.Buffer
		r := NewWithOptions(&out, c.opt)
		story(r)
		r.Close()
		var got []string
		for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
			f := strings.SplitN(strings.TrimLeft(l, " "), " ", 2)
			rest := strings.TrimLeft(f[1], " ")
			rest = rest[strings.IndexByte(rest, ' ')+1:] // the time
			if i := strings.Index(rest, " {"); strings.Contains(rest, "--- SIG") && i > 0 {
				rest = rest[:i]
			}
			got = append(got, rest)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
