package explain

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/sys"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// TestEndedChildrenNotKept: a program that forks, and reaps, child after
// child leaves nothing of them in the explainer or the model. The
// explainer used to keep every ended child as the model last knew it,
// mappings included (2 MB of a trace's memory at 1,000 children), and
// what each vfork's child got, never shown (issue 15, item 6).
func TestEndedChildrenNotKept(t *testing.T) {
	m := model.New()
	x := New(EN, m)
	apply := func(s step) {
		t.Helper()
		ch := m.Apply(s.e)
		if s.fix != nil {
			s.fix(m, &ch)
		}
		x.Notes(s.e, ch)
	}
	apply(openat(t, P, "/tmp/f/fork.txt", creat, 3))
	apply(step{e: mmap(t, P, 20, rw, shared, 3, 0, addr), fix: sized(20)})
	for i := range 100 {
		child := C + i
		apply(step{e: spawn(P, child)})
		switch i % 3 {
		case 0:
			// The child ends first, before its parent's fork returns.
			apply(step{e: exited(child, 0, 0)})
			apply(step{e: forkCall(t, P, child)})
		case 1:
			apply(step{e: forkCall(t, P, child)})
			apply(step{e: exited(child, 0, 0)})
		case 2:
			// A shell's way: vfork (clone with CLONE_VM|CLONE_VFORK
			// where there is no vfork call), then the child runs on.
			apply(step{e: vforkCall(t, P, child)})
			apply(step{e: exited(child, 0, 0)})
		}
		apply(step{e: sc(t, P, "wait4", int64(child), fd64(child), 0, 0, 0)})
	}
	held := map[string]int{
		"gone": len(x.gone), "forks": len(x.forks), "forked": len(x.forked),
		"ended": len(x.ended), "called": len(x.called), "fatal": len(x.fatal),
		"unmapped": len(x.unmapped), "threads": len(x.threads),
	}
	for name, n := range held {
		if n != 0 {
			t.Errorf("after 100 children forked, ended and reaped, the explainer's %s holds %d", name, n)
		}
	}
	if n := len(m.Processes()); n != 1 {
		t.Errorf("the model holds %d processes, want 1 (the parent)", n)
	}
}

func vforkCall(t *testing.T, pid, child int) *tracer.Event {
	if _, ok := sys.Number(sys.HostArch(), "vfork"); ok {
		return sc(t, pid, "vfork", int64(child))
	}
	return sc(t, pid, "clone", int64(child), uint64(unix.CLONE_VM|unix.CLONE_VFORK|unix.SIGCHLD))
}
