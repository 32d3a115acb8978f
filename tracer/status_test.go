package tracer

import (
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want taskStatus
	}{
		{
			name: "thread of a traced process",
			in:   "Name:\tcat\nUmask:\t0022\nState:\tt (tracing stop)\nTgid:\t4100\nNgid:\t0\nPid:\t4102\nPPid:\t4000\nTracerPid:\t3999\nUid:\t0\t0\t0\t0\n",
			want: taskStatus{tgid: 4100, ppid: 4000, tracer: 3999, state: 't'},
		},
		{
			// comm is the program's to choose: "PPid:\t1" inside it is
			// escaped by the kernel (\t), and a line is a key only at
			// its start.
			name: "a name that looks like a field",
			in:   "Name:\tPPid:\\t1\nState:\tZ (zombie)\nTgid:\t7\nPPid:\t6\nTracerPid:\t0\n",
			want: taskStatus{tgid: 7, ppid: 6, tracer: 0, state: 'Z'},
		},
		{
			name: "fields missing or not numbers keep their value",
			in:   "State:\nTgid:\tx\nPPid:\t-1\nTracerPid:\t12345678901\n",
			want: taskStatus{tgid: 99},
		},
		{
			name: "cut short mid-line",
			in:   "State:\tS (sleeping)\nTgid:\t5\nPPid:\t4\nTrac",
			want: taskStatus{tgid: 5, ppid: 4, state: 'S'},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := taskStatus{tgid: 99}
			parseStatus([]byte(tc.in), &st)
			if st != tc.want {
				t.Errorf("parseStatus(%q) = %+v, want %+v", tc.in, st, tc.want)
			}
		})
	}
}

// TestReadStatusSelf reads the test's own thread, running as it reads:
// its process, its parent, running.
func TestReadStatusSelf(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	st, err := readStatus(unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	want := taskStatus{tgid: os.Getpid(), ppid: os.Getppid(), tracer: st.tracer, state: 'R'}
	if st != want {
		t.Errorf("readStatus(self) = %+v, want %+v", st, want)
	}
	if _, err := readStatus(-1); err == nil {
		t.Error("readStatus(-1): no error")
	}
}

// TestReadStatusAllocs: readStatus runs for every new task; it used to
// make about 60 allocations (8 KB) each, most of the garbage of a
// fork-heavy trace (issue 15, item 6). Now: the path, and its C string.
func TestReadStatusAllocs(t *testing.T) {
	pid := os.Getpid()
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := readStatus(pid); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("readStatus: %v allocations a call, want at most 2", allocs)
	}
}
