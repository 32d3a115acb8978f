package sys

import "testing"

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		class   Class
		members []string
		others  []string // calls that must not be in the class
	}{
		{ClassMemory,
			[]string{"mmap", "munmap", "mprotect", "brk", "mremap", "msync", "madvise", "mincore", "mlock", "shmat", "pkey_mprotect", "mseal"},
			[]string{"read", "open", "ftruncate", "clone"}},
		{ClassFile,
			[]string{"open", "openat", "creat", "unlink", "unlinkat", "execve", "execveat", "newfstatat", "stat", "statx", "truncate", "getcwd", "statfs"},
			[]string{"close", "fstat", "mmap", "ftruncate", "read"}},
		{ClassProcess,
			[]string{"fork", "vfork", "clone", "clone3", "execve", "execveat", "wait4", "waitid", "exit", "exit_group", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "pidfd_send_signal"},
			[]string{"getpid", "mmap", "rt_sigaction"}},
		{ClassDesc,
			[]string{"close", "dup", "dup2", "dup3", "read", "write", "ftruncate", "mmap", "openat", "open", "creat", "fstat", "newfstatat", "pipe2", "epoll_create1", "memfd_create", "execveat"},
			[]string{"munmap", "execve", "stat", "unlink", "close_range"}},
		{ClassSignal,
			[]string{"kill", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "pause", "signalfd4"},
			[]string{"exit", "wait4"}},
		{ClassNetwork,
			[]string{"socket", "connect", "accept", "accept4", "sendto", "recvmsg", "sendfile", "sendmmsg"},
			[]string{"read", "pipe"}},
		{ClassIPC,
			[]string{"shmget", "shmat", "shmdt", "semop", "msgsnd", "semtimedop"},
			[]string{"mq_open", "pipe"}},
		{ClassCreds,
			[]string{"getuid", "setresuid", "capget", "prctl", "setgroups"},
			[]string{"getpid", "kill"}},
		{ClassStat, []string{"stat"}, []string{"lstat", "fstat", "newfstatat", "statx", "statfs"}},
		{ClassLstat, []string{"lstat"}, []string{"stat", "fstat"}},
		{ClassFstat, []string{"fstat", "newfstatat", "statx"}, []string{"stat", "lstat", "fstatfs"}},
		{ClassStatLike, []string{"stat", "lstat", "fstat", "newfstatat", "statx"}, []string{"statfs", "ustat"}},
		{ClassStatfs, []string{"statfs"}, []string{"fstatfs", "ustat", "stat"}},
		{ClassFstatfs, []string{"fstatfs"}, []string{"statfs"}},
		{ClassStatfsLike, []string{"statfs", "fstatfs", "ustat"}, []string{"stat", "fstat"}},
		{ClassClock, []string{"clock_gettime", "gettimeofday", "time", "adjtimex", "clock_adjtime"}, []string{"nanosleep", "clock_nanosleep"}},
		{ClassPure, []string{"getpid", "getppid", "gettid", "getuid", "getegid", "getpgrp"}, []string{"getpgid", "getrandom", "get_thread_area"}},
	} {
		t.Run(tc.class.String(), func(t *testing.T) {
			for _, name := range tc.members {
				if Classes(name)&tc.class == 0 {
					t.Errorf("%s is not in %v; its classes are %v", name, tc.class, Classes(name))
				}
			}
			for _, name := range tc.others {
				if Classes(name)&tc.class != 0 {
					t.Errorf("%s is in %v", name, tc.class)
				}
			}
		})
	}
}

// TestClassTableCoversTables proves every call of both tables was
// classified (possibly as none), and that the class table has no name that
// is no call, which would be a typo.
func TestClassTableCoversTables(t *testing.T) {
	known := make(map[string]bool)
	for _, arch := range []Arch{AMD64, ARM64} {
		for _, name := range Names(arch) {
			known[name] = true
			if _, ok := syscallClasses.Get()[name]; !ok {
				t.Errorf("%s (%v) has no entry in syscallClasses", name, arch)
			}
		}
	}
	for name := range syscallClasses.Get() {
		if !known[name] {
			t.Errorf("syscallClasses has %q, which neither table has", name)
		}
	}
}

// TestClassImplications checks the rules strace's tables follow: the
// %%stat and %%statfs classes include their narrower ones, and a call in a
// stat class is in %file or %desc.
func TestClassImplications(t *testing.T) {
	for name, c := range syscallClasses.Get() {
		if c&(ClassStat|ClassLstat|ClassFstat) != 0 && c&ClassStatLike == 0 {
			t.Errorf("%s: %v without %%%%stat", name, c)
		}
		if c&ClassStatLike != 0 && c&(ClassStat|ClassLstat|ClassFstat) == 0 {
			t.Errorf("%s: %%%%stat without a stat class", name)
		}
		if c&(ClassStatfs|ClassFstatfs) != 0 && c&ClassStatfsLike == 0 {
			t.Errorf("%s: %v without %%%%statfs", name, c)
		}
		if c&(ClassStat|ClassLstat) != 0 && c&ClassFile == 0 {
			t.Errorf("%s: %v without %%file", name, c)
		}
		if c&(ClassFstat|ClassFstatfs) != 0 && c&ClassDesc == 0 {
			t.Errorf("%s: %v without %%desc", name, c)
		}
	}
	if got := Classes("no_such_call"); got != 0 {
		t.Errorf(`Classes("no_such_call") = %v`, got)
	}
}

func TestClassByName(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Class
		wantOK bool
	}{
		{"file", ClassFile, true},
		{"desc", ClassDesc, true},
		{"memory", ClassMemory, true},
		{"process", ClassProcess, true},
		{"signal", ClassSignal, true},
		{"network", ClassNetwork, true},
		{"net", ClassNetwork, true},
		{"ipc", ClassIPC, true},
		{"creds", ClassCreds, true},
		{"stat", ClassStat, true},
		{"lstat", ClassLstat, true},
		{"fstat", ClassFstat, true},
		{"%stat", ClassStatLike, true},
		{"statfs", ClassStatfs, true},
		{"fstatfs", ClassFstatfs, true},
		{"%statfs", ClassStatfsLike, true},
		{"clock", ClassClock, true},
		{"pure", ClassPure, true},
		{"%file", 0, false},
		{"all", 0, false},
		{"File", 0, false},
		{"", 0, false},
	} {
		got, ok := ClassByName(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ClassByName(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
	if n := len(ClassNames()); n != 18 {
		t.Errorf("ClassNames() has %d names, want 18", n)
	}
}

func TestClassString(t *testing.T) {
	for _, tc := range []struct {
		c    Class
		want string
	}{
		{0, "0"},
		{ClassFile, "%file"},
		{ClassDesc | ClassFile | ClassFstat | ClassStatLike, "%file|%desc|%fstat|%%stat"},
		{ClassPure | 1<<20, "%pure|0x100000"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("Class(%#x).String() = %q, want %q", uint32(tc.c), got, tc.want)
		}
	}
}
