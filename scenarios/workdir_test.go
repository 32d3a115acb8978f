package scenarios_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mmtrace/mmtrace/scenarios"
)

// TestWorkDirs: a run's directory is locked while it lives; the sweep
// removes only directories named as mmtrace names them, of this user,
// whose lock is free.
func TestWorkDirs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	live, err := scenarios.NewWorkDir("copy")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(live.Path) != tmp {
		t.Fatalf("work dir %s not in %s", live.Path, tmp)
	}
	// Left by runs that died: a lock file nobody holds.
	stale := func(name string) string {
		dir := filepath.Join(tmp, name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "mmtrace.lock"), []byte("12345\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "copy.bin"), make([]byte, 4096), 0o600); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dead1, dead2 := stale("mmtrace-copy-111"), stale("mmtrace-fork-shared-222")
	// Not ours to remove.
	noLock := filepath.Join(tmp, "mmtrace-copy-333")
	os.Mkdir(noLock, 0o700)
	unknown := stale("mmtrace-nosuchscenario-444")
	otherName := stale("mmtrace-copy-x55")
	notMine := stale("mmtrace-write-666")
	if os.Geteuid() == 0 {
		os.Chown(notMine, 65534, 65534)
	}
	link := filepath.Join(tmp, "mmtrace-anon-777")
	os.Symlink(dead1, link)

	removed := scenarios.RemoveStaleWorkDirs(tmp)
	slices.Sort(removed)
	want := []string{dead1, dead2}
	if os.Geteuid() != 0 {
		want = append(want, notMine) // could not give it away: it is ours
	}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	for _, d := range []string{live.Path, noLock, unknown, otherName, link} {
		if _, err := os.Lstat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
	if os.Geteuid() == 0 {
		if _, err := os.Lstat(notMine); err != nil {
			t.Errorf("another user's directory was removed: %v", err)
		}
	}

	// Another run of the same user, while this one lives, takes nothing.
	second, err := scenarios.NewWorkDir("write")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(live.Path, "mmtrace.lock")); err != nil {
		t.Errorf("the live run's directory was touched: %v", err)
	}
	if err := second.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("removed work dir still there: %v", err)
	}

	// A kept directory has no lock file: later runs leave it.
	kept, err := scenarios.NewWorkDir("anon")
	if err != nil {
		t.Fatal(err)
	}
	if err := kept.Keep(); err != nil {
		t.Fatal(err)
	}
	if r := scenarios.RemoveStaleWorkDirs(tmp); len(r) != 0 {
		t.Errorf("removed %q after --keep", r)
	}
	if _, err := os.Stat(kept.Path); err != nil {
		t.Errorf("kept directory gone: %v", err)
	}
}
