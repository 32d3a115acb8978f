package tracer

import (
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTaskReader: a sample of this process's threads reads their times
// through files it keeps open for the next sample, allocating little, and
// closes the files of the tasks a sample no longer lists.
func TestTaskReader(t *testing.T) {
	// Threads of our own that stay while the test looks, and only those:
	// a thread of another test (a trace's, which ends with its goroutine)
	// may exit in the middle of a sample, and its read then fails.
	stop := make(chan struct{})
	defer close(stop)
	pid := os.Getpid()
	var tasks []task
	for range 5 {
		tid := make(chan int)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tid <- unix.Gettid()
			<-stop
		}()
		tasks = append(tasks, task{pid: pid, tid: <-tid})
	}
	var r taskReader
	prev, cur := map[int]taskTimes{}, map[int]taskTimes{}
	run, _, active := taskDeltas(tasks, prev, cur, &r)
	if len(cur) != len(tasks) || run == 0 || active == 0 {
		t.Errorf("a sample of %d tasks: %d read, %d ns run by %d", len(tasks), len(cur), run, active)
	}
	if len(r.open) != len(tasks) {
		t.Errorf("%d files open after a sample of %d tasks", len(r.open), len(tasks))
	}
	// Per task its fields; the files are open.
	allocs := testing.AllocsPerRun(20, func() {
		clear(cur)
		taskDeltas(tasks, prev, cur, &r)
	})
	t.Logf("a sample of %d tasks: %v allocations", len(tasks), allocs)
	if most := float64(len(tasks)); allocs > most {
		t.Errorf("a sample of %d tasks: %v allocations, want at most %v", len(tasks), allocs, most)
	}
	// A tid whose file was opened for another process: opened afresh.
	one := tasks[0].tid
	r.open[one] = statFile{fd: r.open[one].fd, pid: -1, sample: r.sample}
	taskDeltas(tasks, prev, cur, &r)
	if f := r.open[one]; f.pid != pid {
		t.Errorf("a file of another process's task with the same tid was read: %+v", f)
	}
	// A task gone from the list: its file is closed.
	taskDeltas(tasks[1:], prev, cur, &r)
	if _, ok := r.open[one]; ok || len(r.open) != len(tasks)-1 {
		t.Errorf("%d files open after a sample of %d tasks", len(r.open), len(tasks)-1)
	}
	r.close()
	if len(r.open) != 0 {
		t.Errorf("%d files open after close", len(r.open))
	}
}
