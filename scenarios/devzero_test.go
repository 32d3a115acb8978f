package scenarios_test

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestDevzero(t *testing.T) {
	o := run(t, "devzero")
	wantOK(t, o)
	wantTimelines(t, o, []string{
		`openat(AT_FDCWD, "/dev/zero", O_RDWR) = 3`,
		// The notes' call: it fails, and the run goes on.
		`ftruncate(3, 4) = -1 EINVAL (Invalid argument)`,
		`mmap(NULL, 20, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
		`fork() = P1`,
		`wait4(P1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1`,
		`munmap(ADDR, 20) = 0`,
		`close(3) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, childTimeline)
	wantAllGone(t, o, 1)
	wantFilesInDir(t, o)
	wantOut(t, o,
		`ftruncate(/dev/zero, 4) failed with EINVAL`,
		`the parent's mapping of /dev/zero held 20 bytes: "`+childStore+`"`)
}

// TestDevzeroNotesOpen checks what the lesson says of the notes' open of
// /dev/zero with O_CREAT|O_RDWR|O_TRUNC: it succeeds (the device exists,
// O_TRUNC means nothing to it), and only the ftruncate fails.
func TestDevzeroNotesOpen(t *testing.T) {
	fd, err := unix.Open("/dev/zero", unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	if err != nil {
		t.Fatalf("open(/dev/zero, O_CREAT|O_RDWR|O_TRUNC): %v", err)
	}
	defer unix.Close(fd)
	if err := unix.Ftruncate(fd, 4); err != unix.EINVAL {
		t.Errorf("ftruncate(/dev/zero, 4): %v, want EINVAL", err)
	}
}

func TestDevzeroUsage(t *testing.T) {
	wantUsageError(t, planError(t, "devzero", "x"), "no arguments")
}
