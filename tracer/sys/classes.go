package sys

import (
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
)

// Class is a set of strace's syscall classes, the sets that
// "-e trace=%file" and friends select. A call belongs to every class whose
// bit it has.
type Class uint32

// The classes of strace 6 (its sysent flags in parentheses). Class is 32
// bits wide because strace has 17 of them.
const (
	ClassFile       Class = 1 << iota // %file (TF): takes a file name
	ClassDesc                         // %desc (TD): takes or returns a file descriptor
	ClassMemory                       // %memory (TM): maps or changes memory
	ClassProcess                      // %process (TP): process lifecycle
	ClassSignal                       // %signal (TS): signal related
	ClassNetwork                      // %network, %net (TN): network related
	ClassIPC                          // %ipc (TI): System V IPC
	ClassCreds                        // %creds (TC): user and group IDs, capabilities
	ClassStat                         // %stat (TST): stat variants
	ClassLstat                        // %lstat (TLST): lstat variants
	ClassFstat                        // %fstat (TFST): fstat, fstatat and statx variants
	ClassStatLike                     // %%stat (TSTA): any of the three above
	ClassStatfs                       // %statfs (TSF): statfs variants
	ClassFstatfs                      // %fstatfs (TFSF): fstatfs variants
	ClassStatfsLike                   // %%statfs (TSFA): statfs, fstatfs and ustat
	ClassClock                        // %clock (TCL): reads or sets a system clock
	ClassPure                         // %pure (PU): always succeeds, no arguments
)

// classNames maps the names ClassByName accepts to their class: strace's
// class names without their leading '%'.
var classNames = lazy.Of(func() map[string]Class {
	return map[string]Class{
		"file":    ClassFile,
		"desc":    ClassDesc,
		"memory":  ClassMemory,
		"process": ClassProcess,
		"signal":  ClassSignal,
		"network": ClassNetwork,
		"net":     ClassNetwork,
		"ipc":     ClassIPC,
		"creds":   ClassCreds,
		"stat":    ClassStat,
		"lstat":   ClassLstat,
		"fstat":   ClassFstat,
		"%stat":   ClassStatLike,
		"statfs":  ClassStatfs,
		"fstatfs": ClassFstatfs,
		"%statfs": ClassStatfsLike,
		"clock":   ClassClock,
		"pure":    ClassPure,
	}
})

// classOrder is the order String prints classes in; it matches the bits.
var classOrder = [...]string{
	"%file", "%desc", "%memory", "%process", "%signal", "%network", "%ipc",
	"%creds", "%stat", "%lstat", "%fstat", "%%stat", "%statfs", "%fstatfs",
	"%%statfs", "%clock", "%pure",
}

// ClassByName returns the class strace selects with "%" + s: "file",
// "memory", "net" or "network", "%stat" (for %%stat), and so on. It does not
// accept the leading '%' itself, nor "all", which is not a class.
func ClassByName(s string) (Class, bool) {
	c, ok := classNames.Get()[s]
	return c, ok
}

// ClassNames returns the names ClassByName accepts, for help text and
// suggestions.
func ClassNames() []string {
	names := make([]string, 0, len(classNames.Get()))
	for name := range classNames.Get() {
		names = append(names, name)
	}
	return names
}

// Classes returns the classes of the syscall called name, 0 for a call in
// none (or a name that is no call). A name means the same call on every
// architecture, so there is one table for all.
func Classes(name string) Class {
	return syscallClasses.Get()[name]
}

// String returns the classes as strace spells them, joined by '|'.
func (c Class) String() string {
	if c == 0 {
		return "0"
	}
	var parts []string
	for i, name := range classOrder {
		if c&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if rest := c &^ (1<<len(classOrder) - 1); rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	return strings.Join(parts, "|")
}

// Shorthands for the table below: c + strace's sysent flag, so the table
// reads like strace's syscallent.h.
const (
	cTF   = ClassFile
	cTD   = ClassDesc
	cTM   = ClassMemory
	cTP   = ClassProcess
	cTS   = ClassSignal
	cTN   = ClassNetwork
	cTI   = ClassIPC
	cTC   = ClassCreds
	cTST  = ClassStat | ClassStatLike
	cTLST = ClassLstat | ClassStatLike
	cTFST = ClassFstat | ClassStatLike
	cTSF  = ClassStatfs | ClassStatfsLike
	cTFSF = ClassFstatfs | ClassStatfsLike
	cTSFA = ClassStatfsLike
	cTCL  = ClassClock
	cPU   = ClassPure
)

// syscallClasses is strace's classification of every call x86_64 and
// aarch64 have, taken from its src/linux/x86_64/syscallent.h,
// src/linux/64/syscallent.h and src/linux/generic/syscallent-common.h.
// Calls in no class are listed with 0, so that a test can check that no
// call of either table was forgotten. Calls newer than strace's tables
// (marked "not in strace") are classified by the same rules.
var syscallClasses = lazy.Of(func() map[string]Class {
	return map[string]Class{
		"read":                   cTD,
		"write":                  cTD,
		"open":                   cTD | cTF,
		"close":                  cTD,
		"stat":                   cTF | cTST,
		"fstat":                  cTD | cTFST,
		"lstat":                  cTF | cTLST,
		"poll":                   cTD,
		"lseek":                  cTD,
		"mmap":                   cTD | cTM,
		"mprotect":               cTM,
		"munmap":                 cTM,
		"brk":                    cTM,
		"rt_sigaction":           cTS,
		"rt_sigprocmask":         cTS,
		"rt_sigreturn":           cTS,
		"ioctl":                  cTD,
		"pread64":                cTD,
		"pwrite64":               cTD,
		"readv":                  cTD,
		"writev":                 cTD,
		"access":                 cTF,
		"pipe":                   cTD,
		"select":                 cTD,
		"sched_yield":            0,
		"mremap":                 cTM,
		"msync":                  cTM,
		"mincore":                cTM,
		"madvise":                cTM,
		"shmget":                 cTI,
		"shmat":                  cTI | cTM,
		"shmctl":                 cTI,
		"dup":                    cTD,
		"dup2":                   cTD,
		"pause":                  cTS,
		"nanosleep":              0,
		"getitimer":              0,
		"alarm":                  0,
		"setitimer":              0,
		"getpid":                 cPU,
		"sendfile":               cTD | cTN,
		"socket":                 cTN,
		"connect":                cTN,
		"accept":                 cTN,
		"sendto":                 cTN,
		"recvfrom":               cTN,
		"sendmsg":                cTN,
		"recvmsg":                cTN,
		"shutdown":               cTN,
		"bind":                   cTN,
		"listen":                 cTN,
		"getsockname":            cTN,
		"getpeername":            cTN,
		"socketpair":             cTN,
		"setsockopt":             cTN,
		"getsockopt":             cTN,
		"clone":                  cTP,
		"fork":                   cTP,
		"vfork":                  cTP,
		"execve":                 cTF | cTP,
		"exit":                   cTP,
		"wait4":                  cTP,
		"kill":                   cTS | cTP,
		"uname":                  0,
		"semget":                 cTI,
		"semop":                  cTI,
		"semctl":                 cTI,
		"shmdt":                  cTI | cTM,
		"msgget":                 cTI,
		"msgsnd":                 cTI,
		"msgrcv":                 cTI,
		"msgctl":                 cTI,
		"fcntl":                  cTD,
		"flock":                  cTD,
		"fsync":                  cTD,
		"fdatasync":              cTD,
		"truncate":               cTF,
		"ftruncate":              cTD,
		"getdents":               cTD,
		"getcwd":                 cTF,
		"chdir":                  cTF,
		"fchdir":                 cTD,
		"rename":                 cTF,
		"mkdir":                  cTF,
		"rmdir":                  cTF,
		"creat":                  cTD | cTF,
		"link":                   cTF,
		"unlink":                 cTF,
		"symlink":                cTF,
		"readlink":               cTF,
		"chmod":                  cTF,
		"fchmod":                 cTD,
		"chown":                  cTF,
		"fchown":                 cTD,
		"lchown":                 cTF,
		"umask":                  0,
		"gettimeofday":           cTCL,
		"getrlimit":              0,
		"getrusage":              0,
		"sysinfo":                0,
		"times":                  0,
		"ptrace":                 0,
		"getuid":                 cTC | cPU,
		"syslog":                 0,
		"getgid":                 cTC | cPU,
		"setuid":                 cTC,
		"setgid":                 cTC,
		"geteuid":                cTC | cPU,
		"getegid":                cTC | cPU,
		"setpgid":                0,
		"getppid":                cPU,
		"getpgrp":                cPU,
		"setsid":                 0,
		"setreuid":               cTC,
		"setregid":               cTC,
		"getgroups":              cTC,
		"setgroups":              cTC,
		"setresuid":              cTC,
		"getresuid":              cTC,
		"setresgid":              cTC,
		"getresgid":              cTC,
		"getpgid":                0,
		"setfsuid":               cTC,
		"setfsgid":               cTC,
		"getsid":                 0,
		"capget":                 cTC,
		"capset":                 cTC,
		"rt_sigpending":          cTS,
		"rt_sigtimedwait":        cTS,
		"rt_sigqueueinfo":        cTS | cTP,
		"rt_sigsuspend":          cTS,
		"sigaltstack":            cTS,
		"utime":                  cTF,
		"mknod":                  cTF,
		"uselib":                 cTF,
		"personality":            0,
		"ustat":                  cTSFA,
		"statfs":                 cTF | cTSF,
		"fstatfs":                cTD | cTFSF,
		"sysfs":                  0,
		"getpriority":            0,
		"setpriority":            0,
		"sched_setparam":         0,
		"sched_getparam":         0,
		"sched_setscheduler":     0,
		"sched_getscheduler":     0,
		"sched_get_priority_max": 0,
		"sched_get_priority_min": 0,
		"sched_rr_get_interval":  0,
		"mlock":                  cTM,
		"munlock":                cTM,
		"mlockall":               cTM,
		"munlockall":             cTM,
		"vhangup":                0,
		"modify_ldt":             0,
		"pivot_root":             cTF,
		"_sysctl":                0,
		"prctl":                  cTC,
		"arch_prctl":             0,
		"adjtimex":               cTCL,
		"setrlimit":              0,
		"chroot":                 cTF,
		"sync":                   0,
		"acct":                   cTF,
		"settimeofday":           cTCL,
		"mount":                  cTF,
		"umount2":                cTF,
		"swapon":                 cTF,
		"swapoff":                cTF,
		"reboot":                 0,
		"sethostname":            0,
		"setdomainname":          0,
		"iopl":                   0,
		"ioperm":                 0,
		"create_module":          0,
		"init_module":            0,
		"delete_module":          0,
		"get_kernel_syms":        0,
		"query_module":           0,
		"quotactl":               cTF,
		"nfsservctl":             0,
		"getpmsg":                cTN,
		"putpmsg":                cTN,
		"afs_syscall":            0,
		"tuxcall":                0,
		"security":               0,
		"gettid":                 cPU,
		"readahead":              cTD,
		"setxattr":               cTF,
		"lsetxattr":              cTF,
		"fsetxattr":              cTD,
		"getxattr":               cTF,
		"lgetxattr":              cTF,
		"fgetxattr":              cTD,
		"listxattr":              cTF,
		"llistxattr":             cTF,
		"flistxattr":             cTD,
		"removexattr":            cTF,
		"lremovexattr":           cTF,
		"fremovexattr":           cTD,
		"tkill":                  cTS | cTP,
		"time":                   cTCL,
		"futex":                  0,
		"sched_setaffinity":      0,
		"sched_getaffinity":      0,
		"set_thread_area":        0,
		"io_setup":               cTM,
		"io_destroy":             cTM,
		"io_getevents":           0,
		"io_submit":              0,
		"io_cancel":              0,
		"get_thread_area":        0, // %pure only off x86, where it has no argument
		"lookup_dcookie":         0,
		"epoll_create":           cTD,
		"epoll_ctl_old":          0,
		"epoll_wait_old":         0,
		"remap_file_pages":       cTM,
		"getdents64":             cTD,
		"set_tid_address":        0,
		"restart_syscall":        0,
		"semtimedop":             cTI,
		"fadvise64":              cTD,
		"timer_create":           0,
		"timer_settime":          0,
		"timer_gettime":          0,
		"timer_getoverrun":       0,
		"timer_delete":           0,
		"clock_settime":          cTCL,
		"clock_gettime":          cTCL,
		"clock_getres":           cTCL,
		"clock_nanosleep":        0,
		"exit_group":             cTP,
		"epoll_wait":             cTD,
		"epoll_ctl":              cTD,
		"tgkill":                 cTS | cTP,
		"utimes":                 cTF,
		"vserver":                0,
		"mbind":                  cTM,
		"set_mempolicy":          cTM,
		"get_mempolicy":          cTM,
		"mq_open":                cTD,
		"mq_unlink":              0,
		"mq_timedsend":           cTD,
		"mq_timedreceive":        cTD,
		"mq_notify":              cTD,
		"mq_getsetattr":          cTD,
		"kexec_load":             0,
		"waitid":                 cTP,
		"add_key":                0,
		"request_key":            0,
		"keyctl":                 0,
		"ioprio_set":             0,
		"ioprio_get":             0,
		"inotify_init":           cTD,
		"inotify_add_watch":      cTD | cTF,
		"inotify_rm_watch":       cTD,
		"migrate_pages":          cTM,
		"openat":                 cTD | cTF,
		"mkdirat":                cTD | cTF,
		"mknodat":                cTD | cTF,
		"fchownat":               cTD | cTF,
		"futimesat":              cTD | cTF,
		"newfstatat":             cTD | cTF | cTFST,
		"unlinkat":               cTD | cTF,
		"renameat":               cTD | cTF,
		"linkat":                 cTD | cTF,
		"symlinkat":              cTD | cTF,
		"readlinkat":             cTD | cTF,
		"fchmodat":               cTD | cTF,
		"faccessat":              cTD | cTF,
		"pselect6":               cTD,
		"ppoll":                  cTD,
		"unshare":                0,
		"set_robust_list":        0,
		"get_robust_list":        0,
		"splice":                 cTD,
		"tee":                    cTD,
		"sync_file_range":        cTD,
		"vmsplice":               cTD,
		"move_pages":             cTM,
		"utimensat":              cTD | cTF,
		"epoll_pwait":            cTD,
		"signalfd":               cTD | cTS,
		"timerfd_create":         cTD,
		"eventfd":                cTD,
		"fallocate":              cTD,
		"timerfd_settime":        cTD,
		"timerfd_gettime":        cTD,
		"accept4":                cTN,
		"signalfd4":              cTD | cTS,
		"eventfd2":               cTD,
		"epoll_create1":          cTD,
		"dup3":                   cTD,
		"pipe2":                  cTD,
		"inotify_init1":          cTD,
		"preadv":                 cTD,
		"pwritev":                cTD,
		"rt_tgsigqueueinfo":      cTP | cTS,
		"perf_event_open":        cTD,
		"recvmmsg":               cTN,
		"fanotify_init":          cTD,
		"fanotify_mark":          cTD | cTF,
		"prlimit64":              0,
		"name_to_handle_at":      cTD | cTF,
		"open_by_handle_at":      cTD,
		"clock_adjtime":          cTCL,
		"syncfs":                 cTD,
		"sendmmsg":               cTN,
		"setns":                  cTD,
		"getcpu":                 0,
		"process_vm_readv":       0,
		"process_vm_writev":      0,
		"kcmp":                   0,
		"finit_module":           cTD,
		"sched_setattr":          0,
		"sched_getattr":          0,
		"renameat2":              cTD | cTF,
		"seccomp":                0,
		"getrandom":              0,
		"memfd_create":           cTD,
		"kexec_file_load":        cTD,
		"bpf":                    cTD,
		"execveat":               cTD | cTF | cTP,
		"userfaultfd":            cTD,
		"membarrier":             0,
		"mlock2":                 cTM,
		"copy_file_range":        cTD,
		"preadv2":                cTD,
		"pwritev2":               cTD,
		"pkey_mprotect":          cTM,
		"pkey_alloc":             0,
		"pkey_free":              0,
		"statx":                  cTD | cTF | cTFST,
		"io_pgetevents":          0,
		"rseq":                   0,
		"uretprobe":              0, // not in strace
		"uprobe":                 0, // not in strace

		// The calls numbered alike on every architecture, from 424 on.
		"pidfd_send_signal":       cTD | cTS | cTP,
		"io_uring_setup":          cTD,
		"io_uring_enter":          cTD | cTS,
		"io_uring_register":       cTD | cTM,
		"open_tree":               cTD | cTF,
		"move_mount":              cTD | cTF,
		"fsopen":                  cTD,
		"fsconfig":                cTD | cTF,
		"fsmount":                 cTD,
		"fspick":                  cTD | cTF,
		"pidfd_open":              cTD,
		"clone3":                  cTP,
		"close_range":             0,
		"openat2":                 cTD | cTF,
		"pidfd_getfd":             cTD,
		"faccessat2":              cTD | cTF,
		"process_madvise":         cTD,
		"epoll_pwait2":            cTD,
		"mount_setattr":           cTD | cTF,
		"quotactl_fd":             cTD,
		"landlock_create_ruleset": cTD,
		"landlock_add_rule":       cTD,
		"landlock_restrict_self":  cTD,
		"memfd_secret":            cTD,
		"process_mrelease":        cTD,
		"futex_waitv":             0,
		"set_mempolicy_home_node": cTM,
		"cachestat":               cTD,
		"fchmodat2":               cTD | cTF,
		"map_shadow_stack":        cTM,
		"futex_wake":              0,
		"futex_wait":              0,
		"futex_requeue":           0,
		"statmount":               0,
		"listmount":               0,
		"lsm_get_self_attr":       0,
		"lsm_set_self_attr":       0,
		"lsm_list_modules":        0,
		"mseal":                   cTM,
		"setxattrat":              cTD | cTF,
		"getxattrat":              cTD | cTF,
		"listxattrat":             cTD | cTF, // not in strace; like getxattrat
		"removexattrat":           cTD | cTF, // not in strace; like getxattrat
		"open_tree_attr":          cTD | cTF, // not in strace; like open_tree
		"file_getattr":            cTD | cTF, // not in strace; dirfd and path
		"file_setattr":            cTD | cTF, // not in strace; dirfd and path
		"listns":                  0,         // not in strace
		"rseq_slice_yield":        0,         // not in strace
	}
})
