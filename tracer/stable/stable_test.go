package stable

import (
	"bytes"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
)

func TestLabels(t *testing.T) {
	var out bytes.Buffer
	l := New(&out)
	l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 4242, Tid: 4242})
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 4242, Tid: 4242, Child: 4250})
	in := "4242     0.000512 mmap(NULL, 4, PROT_READ, MAP_SHARED, 3, 0) = 0x7f3c1a2b4000\n" +
		"    mapped 1 page at 0x7f3c1a2b4000\n" +
		"4242     0.000600 fork() = 4250\n" +
		"4250     0.000700 munmap(0x7f3c1a2b4000, 4096) = 0\n" +
		"4242     0.000800 wait4(4250, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4250\n" +
		"4242     0.000900 mmap(NULL, 4242, PROT_READ, MAP_SHARED, 3, 0) = 0x7f3c1a2b6000\n" +
		"4242     0.001000 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=4250, si_uid=0} ---\n" +
		"4250     0.001100 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4242\n"
	// Written in two pieces that split a line: lines are rewritten whole.
	l.Write([]byte(in[:30]))
	l.Write([]byte(in[30:]))
	want := "P1 mmap(NULL, 4, PROT_READ, MAP_SHARED, 3, 0) = A1\n" +
		"    mapped 1 page at A1\n" +
		"P1 fork() = P2\n" +
		"P2 munmap(A1, 4096) = 0\n" +
		"P1 wait4(P2, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P2\n" +
		"P1 mmap(NULL, 4242, PROT_READ, MAP_SHARED, 3, 0) = A2\n" +
		"P1 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=P2, si_uid=0} ---\n" +
		"P2 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestReplace(t *testing.T) {
	var out bytes.Buffer
	l := New(&out)
	l.Replace("/tmp/mmtrace-write-123", "$DIR")
	l.Write([]byte("7 0.000001 openat(AT_FDCWD, \"/tmp/mmtrace-write-123/dd.txt\", O_RDWR) = 3\n"))
	if want := "P1 openat(AT_FDCWD, \"$DIR/dd.txt\", O_RDWR) = 3\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestDropsWhatTheSchedulerDecides(t *testing.T) {
	var out bytes.Buffer
	l := New(&out)
	l.Write([]byte("10 0.1 wait4(11, 0x7ffd00001000, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n" +
		"                  > interrupted by a signal\n" +
		"10 0.2 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11} ---\n" +
		"                  > child 11 exited\n" +
		"10 0.3 wait4(11, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11\n" +
		"                  > reaped child 11\n" +
		"10 0.4 --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7f0000001000} ---\n"))
	want := "P1 wait4(11, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11\n" +
		"                  > reaped child 11\n" +
		"P1 --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=A1} ---\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestJoinsSplitCalls(t *testing.T) {
	var out bytes.Buffer
	l := New(&out)
	l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10})
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 12})
	l.Write([]byte("10 0.1 wait4(11,  <unfinished ...>\n" +
		"11 0.2 exit_group(0) = ?\n" +
		"10 0.3 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11\n" +
		"                  > reaped child 11\n" +
		"10 0.4 fork( <unfinished ...>\n" +
		"10 0.5 <... fork resumed>) = ? ERESTARTNOINTR (To be restarted)\n" +
		"10 0.6 fork() = 12\n" +
		"12 0.7 read(3,  <unfinished ...>\n" +
		"12 0.8 +++ killed by SIGKILL +++\n"))
	want := "P2 exit_group(0) = ?\n" +
		"P1 wait4(P2, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P2\n" +
		"                  > reaped child P2\n" +
		"P1 fork() = P3\n" +
		"P3 read(3,  <unfinished ...>\n" +
		"P3 +++ killed by SIGKILL +++\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestFoldCounts: a fold's count and span vary run to run, in both
// languages of the fold line.
func TestFoldCounts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4242     0.5 wait4(-1, 0x7ffd1234, WNOHANG, NULL) = 0  (repeated 1279 more times over 1.28 s)\n",
			"P1 wait4(-1, A1, WNOHANG, NULL) = 0  (repeated more times)\n"},
		{"4242     0.5 wait4(-1, 0x7ffd1234, WNOHANG, NULL) = 0  （又重复了 1279 次，历时 1.28 s）\n",
			"P1 wait4(-1, A1, WNOHANG, NULL) = 0  （又重复了多次）\n"},
	} {
		var out bytes.Buffer
		l := New(&out)
		l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 4242, Tid: 4242})
		l.Write([]byte(tc.in))
		if out.String() != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, out.String(), tc.want)
		}
	}
}
