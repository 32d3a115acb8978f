package tracer

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
)

// TestTaskReader: the monitor's raw listing of a process's tasks finds
// what os.ReadDir finds, and a sample of this process reads its threads'
// times, allocating only the paths it builds.
func TestTaskReader(t *testing.T) {
	// Threads of our own that stay while the test looks.
	stop := make(chan struct{})
	defer close(stop)
	for range 4 {
		ready := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			close(ready)
			<-stop
		}()
		<-ready
	}
	pid := os.Getpid()
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, e := range ents {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			t.Fatalf("a task named %q", e.Name())
		}
		want = append(want, id)
	}
	var r taskReader
	r.dirents = make([]byte, 64) // a few records per getdents: the loop
	got, err := r.tids(dir)
	if err != nil {
		t.Fatal(err)
	}
	got = slices.Clone(got)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("tids(%s) = %v, os.ReadDir says %v", dir, got, want)
	}
	if len(got) < 5 {
		t.Errorf("%d tasks, want at least 5", len(got))
	}
	if _, err := r.tids("/proc/0/task/"); err == nil {
		t.Error("tids of a process that does not exist: no error")
	}

	prev, cur := map[int]taskTimes{}, map[int]taskTimes{}
	run, _, active := taskDeltas([]int{pid}, prev, cur, &r)
	if len(cur) != len(want) || run == 0 || active == 0 {
		t.Errorf("a sample of %d tasks: %d read, %d ns run by %d", len(want), len(cur), run, active)
	}
	// Each task's file stays open for the next sample.
	if len(r.open) != len(want) {
		t.Errorf("%d files open after a sample of %d tasks", len(r.open), len(want))
	}
	// Per sample: the directory's path twice (its string and the
	// kernel's copy); per task its fields. The files are open.
	allocs := testing.AllocsPerRun(20, func() {
		clear(cur)
		taskDeltas([]int{pid}, prev, cur, &r)
	})
	t.Logf("a sample of %d tasks: %v allocations", len(want), allocs)
	if most := float64(2 + len(want)); allocs > most {
		t.Errorf("a sample of %d tasks: %v allocations, want at most %v", len(want), allocs, most)
	}
	// A task gone: its file is closed at the next sample.
	gone := want[len(want)-1]
	r.open[gone] = statFile{fd: r.open[gone].fd, pid: -1, sample: r.sample} // as if another process's
	taskDeltas([]int{pid}, prev, cur, &r)
	if f := r.open[gone]; f.pid != pid {
		t.Errorf("a file of another process's task with the same tid was read: %+v", f)
	}
	taskDeltas(nil, prev, cur, &r)
	if len(r.open) != 0 {
		t.Errorf("%d files open after a sample of no task", len(r.open))
	}
	taskDeltas([]int{pid}, prev, cur, &r)
	r.close()
	if len(r.open) != 0 {
		t.Errorf("%d files open after close", len(r.open))
	}
}
