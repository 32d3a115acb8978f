//go:build linux

package rawchild

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// slotBody writes its index into slot i of a shared anonymous mapping.
type slotBody struct {
	mem uintptr
	i   uintptr
}

//go:nosplit
//go:norace
func (b *slotBody) Run() {
	Store(b.mem+b.i, []byte{byte(b.i%251 + 1)})
}

// waitExit waits for pid with a deadline, killing it if the deadline
// passes, so a hung child fails the test instead of hanging it.
func waitExit(t *testing.T, pid int, d time.Duration) unix.WaitStatus {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(pid, &ws, unix.WNOHANG|unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			t.Fatalf("wait4(%d): %v", pid, err)
		}
		if got == pid {
			return ws
		}
		if time.Now().After(deadline) {
			if os.Getenv("RAWCHILD_DEBUG") != "" {
				st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
				sc, _ := os.ReadFile(fmt.Sprintf("/proc/%d/syscall", pid))
				t.Logf("hung child: /proc/%d/stat %s/proc/%d/syscall %s", pid, st, pid, sc)
			}
			unix.Kill(pid, unix.SIGKILL)
			unix.Wait4(pid, &ws, unix.WALL, nil)
			t.Fatalf("child %d still running after %v: killed", pid, d)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// TestForkManyWhileAllocating forks children while other goroutines churn
// the allocator and the GC: none may hang, and each one's store must reach
// the shared mapping.
func TestForkManyWhileAllocating(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	mem, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep [][]byte
			for {
				select {
				case <-stop:
					return
				default:
				}
				keep = append(keep, make([]byte, 4096))
				if len(keep) > 512 {
					keep = nil
					runtime.GC()
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base := Addr(mem)
	for i := 0; i < n; i++ {
		pid, err := Start(&Spec{Body: &slotBody{mem: base, i: uintptr(i)}, CloseFrom: 3})
		if err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
		ws := waitExit(t, pid, 10*time.Second)
		if !ws.Exited() || ws.ExitStatus() != 0 {
			t.Fatalf("child %d: wait status %#x", i, uint32(ws))
		}
	}
	for i := 0; i < n; i++ {
		if want := byte(i%251 + 1); mem[i] != want {
			t.Fatalf("slot %d = %d, want %d: the child's store did not reach the shared mapping", i, mem[i], want)
		}
	}
}

// faultBody stores into a mapping of an empty file: no page backs it.
type faultBody struct{ path *byte }

//go:nosplit
//go:norace
func (b *faultBody) Run() {
	fd, e := Open(b.path, unix.O_RDWR|unix.O_CREAT|unix.O_TRUNC, 0o644)
	if e != 0 {
		Exit(3)
	}
	p, e := Mmap(0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		Exit(4)
	}
	Store(p, []byte{'x'})
	Exit(5)
}

// TestChildDiesOfSIGBUS checks the child runs with the default SIGBUS
// action, as a C program would, not Go's handler.
func TestChildDiesOfSIGBUS(t *testing.T) {
	path, err := syscall.BytePtrFromString(filepath.Join(t.TempDir(), "empty.txt"))
	if err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pid, err := Start(&Spec{Body: &faultBody{path: path}})
	if err != nil {
		t.Fatal(err)
	}
	ws := waitExit(t, pid, 10*time.Second)
	if !ws.Signaled() || ws.Signal() != unix.SIGBUS {
		t.Fatalf("wait status %#x: want killed by SIGBUS", uint32(ws))
	}
}

// TestExecStopSelf checks a child that stops itself before exec: the
// tracer's seize point.
func TestExecStopSelf(t *testing.T) {
	sh, err := exec("/bin/sh", "-c", "exit 7")
	if err != nil {
		t.Fatal(err)
	}
	sh.StopSelf = true
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pid, err := Start(sh)
	if err != nil {
		t.Fatal(err)
	}
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WUNTRACED|unix.WALL, nil); err != nil {
		t.Fatal(err)
	}
	if !ws.Stopped() || ws.StopSignal() != unix.SIGSTOP {
		unix.Kill(pid, unix.SIGKILL)
		t.Fatalf("wait status %#x: want stopped by SIGSTOP", uint32(ws))
	}
	unix.Kill(pid, unix.SIGCONT)
	ws = waitExit(t, pid, 10*time.Second)
	if !ws.Exited() || ws.ExitStatus() != 7 {
		t.Fatalf("wait status %#x: want exit 7", uint32(ws))
	}
}

// TestExecMissing checks a failed execve ends the child with its errno as
// the exit status (ENOENT), which the tracer reads (Spec.Execs).
func TestExecMissing(t *testing.T) {
	s, err := exec(filepath.Join(t.TempDir(), "no-such-program"))
	if err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pid, err := Start(s)
	if err != nil {
		t.Fatal(err)
	}
	if ws := waitExit(t, pid, 10*time.Second); !ws.Exited() || ws.ExitStatus() != int(syscall.ENOENT) {
		t.Fatalf("wait status %#x: want exit %d (ENOENT)", uint32(ws), int(syscall.ENOENT))
	}
}

func TestStartNeedsOneOfExecAndBody(t *testing.T) {
	if _, err := Start(&Spec{}); err == nil {
		t.Fatal("Start with neither exec nor body: want an error")
	}
}

func exec(path string, args ...string) (*Spec, error) {
	s := &Spec{}
	return s, s.SetExec(path, append([]string{filepath.Base(path)}, args...), os.Environ())
}
