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
		"4242     0.001000 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4250, si_uid=0} ---\n" +
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
		"P1 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P2, si_uid=0} ---\n" +
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
