package scenarios_test

import "testing"

func TestAnon(t *testing.T) {
	o := run(t, "anon")
	wantOK(t, o)
	wantTimelines(t, o, []string{
		`mmap(NULL, 20, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = ADDR`,
		`fork() = P1`,
		`wait4(P1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1`,
		`munmap(ADDR, 20) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, childTimeline)
	wantAllGone(t, o, 1)
	wantFilesInDir(t, o)
	wantOut(t, o, `the parent's anonymous mapping held 20 bytes: "`+childStore+`"`)
}

func TestAnonUsage(t *testing.T) {
	wantUsageError(t, planError(t, "anon", "x"), "no arguments")
}
