package stable

import (
	"bytes"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
)

func TestLabels(t *testing.T) {
	var out bytes.Buffer
	l := New()
	w := l.Writer(&out)
	l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 4242, Tid: 4242})
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 4242, Tid: 4242, Child: 4250})
	in := "4242     0.000512 mmap(NULL, 4, PROT_READ, MAP_SHARED, 3, 0) = 0x7f3c1a2b4000\n" +
		"    mapped 1 page at 0x7f3c1a2b4000\n" +
		"4242     0.000600 fork() = 4250\n" +
		"4250     0.000700 munmap(0x7f3c1a2b4000, 4096) = 0\n" +
		"4242     0.000800 wait4(4250, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4250\n" +
		"4242     0.000900 mmap(NULL, 4242, PROT_READ, MAP_SHARED, 3, 0) = 0x7f3c1a2b6000\n" +
		"4242     0.001000 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4250, si_uid=0, si_status=0, si_utime=1 /* 0.01 s */, si_stime=12 /* 0.12 s */} ---\n" +
		"4250     0.001100 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4242\n" +
		"4250     0.001200 execve(\"/usr/bin/ps\", [\"ps\", \"-q\", \"4242,4250\"], 0x7ffd12345678 /* 3 vars */) = 0\n" +
		"4250     0.001300 close(1) = 0\n" +
		"                  > fd 1 (pipe:[1267717]) closed\n" +
		"                  >   7f3c1a2b4000-7f3c1a2b6000 rw-s 00000000 file shared $DIR/dd.txt\n" +
		"4242     0.001400 write(1, \"4250 4096\", 9) = 9  (repeated 4242 more times over 1.2 s)\n"
	// Written in two pieces that split a line: lines are rewritten whole.
	w.Write([]byte(in[:30]))
	w.Write([]byte(in[30:]))
	want := "P1 mmap(NULL, 4, PROT_READ, MAP_SHARED, 3, 0) = A1\n" +
		"    mapped 1 page at A1\n" +
		"P1 fork() = P2\n" +
		"P2 munmap(A1, 4096) = 0\n" +
		"P1 wait4(P2, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P2\n" +
		"P1 mmap(NULL, 4242, PROT_READ, MAP_SHARED, 3, 0) = A2\n" +
		"P1 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P2, si_uid=0, si_status=0, si_utime=?, si_stime=?} ---\n" +
		"P2 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1\n" +
		"P2 execve(\"/usr/bin/ps\", [\"ps\", \"-q\", \"P1,P2\"], A3 /* 3 vars */) = 0\n" +
		"P2 close(1) = 0\n" +
		"                  > fd 1 (pipe:[I1]) closed\n" +
		"                  >   A1-A1+8KiB rw-s 00000000 file shared $DIR/dd.txt\n" +
		"P1 write(1, \"P2 4096\", 9) = 9  (repeated many times)\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestReplace(t *testing.T) {
	var out bytes.Buffer
	l := New()
	l.Replace("/tmp/mmtrace-write-123", "$DIR")
	l.Writer(&out).Write([]byte("7 0.000001 openat(AT_FDCWD, \"/tmp/mmtrace-write-123/dd.txt\", O_RDWR) = 3\n"))
	if want := "P1 openat(AT_FDCWD, \"$DIR/dd.txt\", O_RDWR) = 3\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// TestNoteWriter: a scenario's closing lines name processes by bare
// numbers, inodes in maps lines, and may end without a newline.
func TestNoteWriter(t *testing.T) {
	var out bytes.Buffer
	l := New()
	l.Replace("/tmp/mmtrace-ipc-9", "$DIR")
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	w := l.NoteWriter(&out)
	w.Write([]byte("the reader (pid 11) saw 2 records of /tmp/mmtrace-ipc-9/ipc.dat\n" +
		"open-no-mmap   after mmap: r--s 00000000 fe:00 9986180 $DIR/open.txt\n" +
		"25 bytes in pid 10"))
	w.Flush()
	want := "the reader (pid P2) saw 2 records of $DIR/ipc.dat\n" +
		"open-no-mmap   after mmap: r--s 00000000 fe:00 I1 $DIR/open.txt\n" +
		"25 bytes in pid P1"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestStableTimes: events get their numbers as times, so that every
// later sink sees the same times on every run.
func TestStableTimes(t *testing.T) {
	l := New()
	for i, real := range []time.Duration{5 * time.Second, 7 * time.Millisecond, 9 * time.Hour} {
		e := &tracer.Event{Kind: tracer.CallEnter, Pid: 3, Tid: 3, Time: real}
		l.Event(e)
		if want := time.Duration(i+1) * Tick; e.Time != want {
			t.Errorf("event %d: time %v, want %v", i+1, e.Time, want)
		}
	}
}

// TestMessagesTakeNoNumber: a line a process printed takes the number of
// the event before it, so that the events after it have the same numbers
// however many lines a program printed.
func TestMessagesTakeNoNumber(t *testing.T) {
	for _, lines := range []int{0, 1, 5} {
		l := New()
		l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 3, Tid: 3})
		for range lines {
			e := &tracer.Event{Kind: tracer.Message, Pid: 3, Tid: 3, FD: 1, Text: "ps"}
			l.Event(e)
			if e.Time != Tick {
				t.Errorf("a message after event 1: time %v, want %v", e.Time, Tick)
			}
		}
		e := &tracer.Event{Kind: tracer.CallExit, Pid: 3, Tid: 3}
		l.Event(e)
		if e.Time != 2*Tick {
			t.Errorf("after %d messages, event 2 has time %v, want %v", lines, e.Time, 2*Tick)
		}
	}
}

// TestMessageText: the notes sink labels what a message says as the
// timeline's lines: a scenario's report names processes as "pid N", a
// process's line names its files under the temporary directory.
func TestMessageText(t *testing.T) {
	l := New()
	l.Replace("/tmp/mmtrace-ipc-123", "$DIR")
	for _, pid := range []int{4242, 4243} {
		l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: pid})
	}
	sink := l.Notes()
	report := &tracer.Event{Kind: tracer.Message, Text: "the reader (pid 4243) saw 2 records of /tmp/mmtrace-ipc-123/ipc.dat"}
	sink.Event(report)
	if want := "the reader (pid P2) saw 2 records of $DIR/ipc.dat"; report.Text != want {
		t.Errorf("report: %q, want %q", report.Text, want)
	}
	zh := &tracer.Event{Kind: tracer.Message, Text: "读者（进程 4243）看到了写者（进程 4242）写入的 2 条记录"}
	sink.Event(zh)
	if want := "读者（进程 P2）看到了写者（进程 P1）写入的 2 条记录"; zh.Text != want {
		t.Errorf("report in Chinese: %q, want %q", zh.Text, want)
	}
	// A size that happens to be a pid stays a size, in the event and in
	// the timeline's writer.
	size := &tracer.Event{Kind: tracer.Message, Text: "  child 1 copied bytes [0, 4243) (4243 bytes)"}
	sink.Event(size)
	var out bytes.Buffer
	w := l.NoteWriter(&out)
	w.Write([]byte(size.Text + "\n"))
	if want := "  child 1 copied bytes [0, 4243) (4243 bytes)"; size.Text != want || out.String() != want+"\n" {
		t.Errorf("a size equal to a pid: %q, then %q, want %q", size.Text, out.String(), want)
	}
	said := &tracer.Event{Kind: tracer.Message, Pid: 4242, Tid: 4242, FD: 1, Text: "wrote /tmp/mmtrace-ipc-123/ipc.dat at 0x7f0000001000"}
	sink.Event(said)
	if want := "wrote $DIR/ipc.dat at A1"; said.Text != want {
		t.Errorf("a process's line: %q, want %q", said.Text, want)
	}
}

func TestCallTextAndNote(t *testing.T) {
	l := New()
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 100, Tid: 100, Child: 200})
	for _, tc := range []struct{ name, in, want string }{
		{"wait4", "200", "P2"},
		{"mmap", "200", "200"}, // a length, not a pid
		{"mmap", "0x7f0000001000", "A1"},
		{"openat", `"/proc/200/stat"`, `"/proc/P2/stat"`},
	} {
		if got := l.CallText(tc.name, tc.in); got != tc.want {
			t.Errorf("CallText(%q, %q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
	if got, want := l.Note("reaped child 200"), "reaped child P2"; got != want {
		t.Errorf("Note: %q, want %q", got, want)
	}
	// A count that happens to equal a pid (ids wrap at pid_max, 32768
	// here, and come back small) stays a count: once a page count
	// became "P1 页" and the handout differed.
	for _, tc := range []struct{ in, want string }{
		{"200 pages mapped in; shared by 100 and 200", "200 pages mapped in; shared by P1 and P2"},
		{"缺页 200 次，映射进 200 页，子进程 200", "缺页 200 次，映射进 200 页，子进程 P2"},
		{"200 bytes, 200 KiB, 200%, 200 faults", "200 bytes, 200 KiB, 200%, 200 faults"},
	} {
		if got := l.Note(tc.in); got != tc.want {
			t.Errorf("Note(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got, want := l.Pid(100), "P1"; got != want {
		t.Errorf("Pid: %q, want %q", got, want)
	}
	if got, want := l.PidNumber(200), 2; got != want {
		t.Errorf("PidNumber: %d, want %d", got, want)
	}
}

// TestFoldCounts: a fold's count and span vary run to run, in both
// languages of the fold line.
func TestFoldCounts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4242     0.5 wait4(-1, 0x7ffd1234, WNOHANG, NULL) = 0  (repeated 1279 more times over 1.28 s)\n",
			"P1 wait4(-1, A1, WNOHANG, NULL) = 0  (repeated many times)\n"},
		{"4242     0.5 wait4(-1, 0x7ffd1234, WNOHANG, NULL) = 0  （又重复了 1279 次，历时 1.28 s）\n",
			"P1 wait4(-1, A1, WNOHANG, NULL) = 0  （又重复了多次）\n"},
	} {
		var out bytes.Buffer
		l := New()
		l.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 4242, Tid: 4242})
		l.Writer(&out).Write([]byte(tc.in))
		if out.String() != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, out.String(), tc.want)
		}
	}
}

// TestNoteWriterChinese: a Chinese closing line names a process as 进程 N.
func TestNoteWriterChinese(t *testing.T) {
	var out bytes.Buffer
	l := New()
	l.Event(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	w := l.NoteWriter(&out)
	w.Write([]byte("读者（进程 11）看到了写者（进程 10）写入的 2 条记录中的 2 条\n"))
	w.Flush()
	if want := "读者（进程 P2）看到了写者（进程 P1）写入的 2 条记录中的 2 条\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
