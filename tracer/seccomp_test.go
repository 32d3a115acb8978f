package tracer_test

import (
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
)

// TestSeccompSameTimeline traces the lesson's C program with the seccomp
// filter, without it, and with a filter the kernel refuses (the fallback):
// the three timelines must be the same, calls, arguments and results.
func TestSeccompSameTimeline(t *testing.T) {
	bin := buildC(t, "lesson.c")
	broken := tracer.Config{}
	// A program whose only instruction reads past seccomp_data: the
	// kernel's verifier rejects it with EINVAL.
	tracer.SetSeccompProgram(&broken, []unix.SockFilter{{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 4096}})
	modes := []struct {
		name       string
		cfg        tracer.Config
		seccomp    bool
		seccompErr syscall.Errno
	}{
		{"seccomp", tracer.Config{}, true, 0},
		{"plain", tracer.Config{NoSeccomp: true}, false, 0},
		{"fallback", broken, false, syscall.EINVAL},
	}
	var first map[string][]string
	for _, m := range modes {
		dir := t.TempDir()
		_, tl, res := runTraced(t, m.cfg, bin, filepath.Join(dir, "dd.txt"))
		if res.Seccomp != m.seccomp || res.SeccompErr != m.seccompErr {
			t.Errorf("%s: Seccomp %v SeccompErr %v, want %v %v", m.name, res.Seccomp, res.SeccompErr, m.seccomp, m.seccompErr)
		}
		if res.Status() != 3 {
			t.Errorf("%s: exit status %d, want 3", m.name, res.Status())
		}
		// The file name differs by directory: compare without it.
		got := normalise(parseTimeline(t, replaceAll(tl, dir, "DIR"), mmtraceLine))
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Errorf("%s timeline differs from seccomp's:\n%v\nvs\n%v", m.name, got, first)
		}
	}
}
