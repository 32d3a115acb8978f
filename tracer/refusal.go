package tracer

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// RefusedError is returned by Attach when the process cannot be traced:
// it does not exist, or the kernel refused (PTRACE_SEIZE failed with EPERM).
// Reason says why, as far as /proc tells.
type RefusedError struct {
	Pid    int
	Reason string
	// ReasonZH is Reason in Chinese, for a command line that speaks it.
	ReasonZH string
	Err      error // unix.ESRCH or unix.EPERM
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("cannot trace %d: %s", e.Pid, e.Reason)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// refused returns the RefusedError for an attach to pid that failed with
// err, its reason read from /proc.
func refused(pid int, err error) error {
	if errors.Is(err, unix.ESRCH) {
		return &RefusedError{Pid: pid, Reason: "no such process", ReasonZH: "没有这个进程", Err: unix.ESRCH}
	}
	w := attachWhy(procFS{"/proc"}, pid, os.Getpid())
	return &RefusedError{Pid: pid, Reason: w.en, ReasonZH: w.zh, Err: err}
}

// why is a reason in English and Chinese.
type why struct{ en, zh string }

// whyf formats en and zh with the same arguments.
func whyf(en, zh string, args ...any) why {
	return why{fmt.Sprintf(en, args...), fmt.Sprintf(zh, args...)}
}

// procFS reads the files of a /proc; tests point it at a fake one.
type procFS struct{ root string }

func (p procFS) read(rel string) string {
	b, err := os.ReadFile(filepath.Join(p.root, rel))
	if err != nil {
		return ""
	}
	return string(b)
}

// status returns the value of key in /proc/PID/status ("" if none); pid 0
// is "self".
func (p procFS) status(pid int, key string) string {
	name := "self"
	if pid != 0 {
		name = strconv.Itoa(pid)
	}
	for _, line := range strings.Split(p.read(name+"/status"), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// tracer returns the process tracing pid (0: self), or 0. TracerPid is
// the tracing thread's id, which for a threaded tracer (mmtrace, gdb) is
// not the process's.
func (p procFS) tracer(pid int) int {
	tid, _ := strconv.Atoi(p.status(pid, "TracerPid"))
	if tid == 0 {
		return 0
	}
	if tgid, err := strconv.Atoi(p.status(tid, "Tgid")); err == nil && tgid != 0 {
		return tgid
	}
	return tid
}

// pfKthread is PF_KTHREAD in a task's flags (/proc/PID/stat, field 9).
const pfKthread = 0x00200000

// capSysPtrace is CAP_SYS_PTRACE's bit in CapEff.
const capSysPtrace = 19

// attachRefusal says why the kernel refused to let process self trace pid,
// in the order the kernel checks (ptrace_attach, __ptrace_may_access, the
// Yama module): a kernel thread, its own thread group, an exited process,
// another user's or a non-dumpable process, Yama's ptrace_scope, a process
// traced already. Where nothing explains it, it says what else can.
func attachRefusal(p procFS, pid, self int) string { return attachWhy(p, pid, self).en }

// attachWhy is attachRefusal's reason in English and Chinese.
func attachWhy(p procFS, pid, self int) why {
	name := p.status(pid, "Name")
	if stat := p.read(strconv.Itoa(pid) + "/stat"); stat != "" {
		// Fields after the command, which is in parentheses and may hold
		// anything: state is field 3, flags field 9.
		if i := strings.LastIndexByte(stat, ')'); i >= 0 {
			f := strings.Fields(stat[i+1:])
			if len(f) > 6 {
				if flags, err := strconv.ParseUint(f[6], 10, 64); err == nil && flags&pfKthread != 0 {
					return whyf("it is a kernel thread (%s): the kernel traces no kernel thread", "它是内核线程（%s）：内核不跟踪内核线程", name)
				}
			}
		}
	} else if name == "" {
		return why{"no such process", "没有这个进程"}
	}
	if tgid, _ := strconv.Atoi(p.status(pid, "Tgid")); tgid == self {
		return why{"it is mmtrace itself", "它就是 mmtrace 自己"}
	}
	if strings.HasPrefix(p.status(pid, "State"), "Z") {
		return whyf("it has exited (%s is a zombie, waiting for its parent to reap it)", "它已经结束（%s 是僵尸进程，在等父进程回收它）", name)
	}
	if m := strings.Fields(p.read("self/uid_map")); len(m) > 0 && !(len(m) == 3 && m[0] == "0" && m[1] == "0" && m[2] == "4294967295") {
		// mmtrace runs in a user namespace: its capabilities count only
		// there, and uids from outside show as the overflow uid.
		mine, _ := os.Readlink(filepath.Join(p.root, "self/ns/user"))
		if theirs, err := os.Readlink(filepath.Join(p.root, strconv.Itoa(pid), "ns/user")); err != nil || theirs != mine {
			return why{"mmtrace runs in a user namespace and the process is outside it, where mmtrace has no privilege to trace",
				"mmtrace 运行在一个用户命名空间中，而这个进程在它之外，mmtrace 在那里没有跟踪的权限"}
		}
	}
	privileged := hasCap(p.status(0, "CapEff"), capSysPtrace)
	if !privileged {
		// __ptrace_may_access: the tracer's real uid must be the target's
		// real, effective and saved uid (and the same for gids).
		me := strings.Fields(p.status(0, "Uid"))
		them := strings.Fields(p.status(pid, "Uid"))
		if len(me) > 0 && len(them) >= 3 {
			for _, id := range them[:3] {
				if id != me[0] {
					return whyf("it runs as %s and mmtrace as %s: tracing another user's process needs root (CAP_SYS_PTRACE)",
						"它以 %s 的身份运行，mmtrace 以 %s 的身份运行：跟踪另一个用户的进程需要 root（CAP_SYS_PTRACE）", userName(id), userName(me[0]))
				}
			}
		}
		myGid := strings.Fields(p.status(0, "Gid"))
		theirGid := strings.Fields(p.status(pid, "Gid"))
		if len(myGid) > 0 && len(theirGid) >= 3 {
			for _, id := range theirGid[:3] {
				if id != myGid[0] {
					return whyf("it runs with group %s and mmtrace with group %s (a setgid program?): tracing it needs root (CAP_SYS_PTRACE)",
						"它以组 %s 运行，mmtrace 以组 %s 运行（是 setgid 程序吗？）：跟踪它需要 root（CAP_SYS_PTRACE）", id, myGid[0])
				}
			}
		}
		// A process that is not dumpable (a setuid program, or one that
		// called prctl(PR_SET_DUMPABLE, 0)) has its /proc entry owned by
		// root.
		var st unix.Stat_t
		if unix.Stat(filepath.Join(p.root, strconv.Itoa(pid)), &st) == nil && st.Uid == 0 && len(them) > 0 && them[0] != "0" {
			return why{"it is not dumpable (a setuid program, or it called prctl(PR_SET_DUMPABLE, 0)): tracing it needs root (CAP_SYS_PTRACE)",
				"它不可转储（是 setuid 程序，或者调用过 prctl(PR_SET_DUMPABLE, 0)）：跟踪它需要 root（CAP_SYS_PTRACE）"}
		}
		switch strings.TrimSpace(p.read("sys/kernel/yama/ptrace_scope")) {
		case "1":
			return why{"kernel.yama.ptrace_scope is 1: a process may be traced only by its ancestors (let mmtrace start it: mmtrace run -- CMD; or run as root)",
				"kernel.yama.ptrace_scope 为 1：进程只能被它的祖先进程跟踪（让 mmtrace 来启动它：mmtrace run -- CMD；或者以 root 身份运行）"}
		case "2":
			return why{"kernel.yama.ptrace_scope is 2: only root (CAP_SYS_PTRACE) may attach to a process",
				"kernel.yama.ptrace_scope 为 2：只有 root（CAP_SYS_PTRACE）可以附加到进程"}
		}
	}
	if strings.TrimSpace(p.read("sys/kernel/yama/ptrace_scope")) == "3" {
		return why{"kernel.yama.ptrace_scope is 3: attaching to a process is disabled until the next boot",
			"kernel.yama.ptrace_scope 为 3：下次开机之前，不能附加到任何进程"}
	}
	if tp := p.tracer(pid); tp != 0 {
		return whyf("it is already traced by %d (%s): a process has one tracer at a time",
			"它已经被 %d（%s）跟踪：一个进程同一时间只能被一个进程跟踪", tp, p.status(tp, "Name"))
	}
	if p.status(0, "Seccomp") == "2" {
		return why{"the kernel refused (EPERM): mmtrace runs under a seccomp filter, which may forbid ptrace (in a container, run with --cap-add=SYS_PTRACE or a seccomp profile that allows it)",
			"内核拒绝了（EPERM）：mmtrace 运行在一个 seccomp 过滤器之下，它可能禁止 ptrace（在容器中，请加 --cap-add=SYS_PTRACE 运行，或者用允许 ptrace 的 seccomp 配置）"}
	}
	if ns, err := os.Readlink(filepath.Join(p.root, strconv.Itoa(pid), "ns/user")); err == nil {
		if mine, err := os.Readlink(filepath.Join(p.root, "self/ns/user")); err == nil && mine != ns {
			return why{"it is in another user namespace, where mmtrace has no CAP_SYS_PTRACE",
				"它在另一个用户命名空间中，mmtrace 在那里没有 CAP_SYS_PTRACE"}
		}
	}
	return why{"the kernel refused (EPERM) for a reason /proc does not show: a security module (SELinux, AppArmor) may forbid it",
		"内核拒绝了（EPERM），原因在 /proc 中看不出来：可能是安全模块（SELinux、AppArmor）禁止了它"}
}

// hasCap says whether the hexadecimal capability mask has bit cap.
func hasCap(mask string, cap uint) bool {
	m, err := strconv.ParseUint(mask, 16, 64)
	return err == nil && m&(1<<cap) != 0
}

// userName is the name of uid, or the number.
func userName(uid string) string {
	if u, err := user.LookupId(uid); err == nil {
		return u.Username + " (uid " + uid + ")"
	}
	return "uid " + uid
}

// seizeRefusal says why the kernel refused to let mmtrace trace its own
// child pid, which stopped itself to be seized: almost always because a
// tracer that follows forks (strace -f, gdb) took it first.
func seizeRefusal(p procFS, pid int) string { return seizeWhy(p, pid).en }

// seizeWhy is seizeRefusal's reason in English and Chinese.
func seizeWhy(p procFS, pid int) why {
	if tp := p.tracer(pid); tp != 0 {
		name := p.status(tp, "Name")
		if p.tracer(0) == tp {
			return whyf("mmtrace is itself traced by %d (%s), which took mmtrace's child first: run mmtrace untraced, or let that tracer not follow forks",
				"mmtrace 自己正被 %d（%s）跟踪，它抢先接管了 mmtrace 的子进程：请在跟踪之外运行 mmtrace，或者让那个跟踪程序不跟随 fork", tp, name)
		}
		return whyf("its child is already traced by %d (%s)", "它的子进程已经被 %d（%s）跟踪", tp, name)
	}
	if tp := p.tracer(0); tp != 0 {
		return whyf("mmtrace is itself traced by %d (%s)", "mmtrace 自己正被 %d（%s）跟踪", tp, p.status(tp, "Name"))
	}
	if strings.TrimSpace(p.read("sys/kernel/yama/ptrace_scope")) == "3" {
		return why{"kernel.yama.ptrace_scope is 3: ptrace is disabled until the next boot",
			"kernel.yama.ptrace_scope 为 3：下次开机之前，ptrace 都被禁用"}
	}
	if p.status(0, "Seccomp") == "2" {
		return why{"mmtrace runs under a seccomp filter that forbids ptrace (in a container, run with --cap-add=SYS_PTRACE or a seccomp profile that allows it)",
			"mmtrace 运行在一个禁止 ptrace 的 seccomp 过滤器之下（在容器中，请加 --cap-add=SYS_PTRACE 运行，或者用允许 ptrace 的 seccomp 配置）"}
	}
	return why{"a security module (SELinux, AppArmor) or a container's policy forbids ptrace here",
		"安全模块（SELinux、AppArmor）或容器的策略在这里禁止 ptrace"}
}

// NotPermittedError is Run's error when the kernel refused to let mmtrace
// seize its own child (see ErrNotPermitted, which it matches): Reason says
// why, as far as /proc tells, in English and in Chinese.
type NotPermittedError struct {
	Reason   string
	ReasonZH string
	Err      error // ptrace(PTRACE_SEIZE)'s error: EPERM
}

func (e *NotPermittedError) Error() string {
	return fmt.Sprintf("%v: %s (%v)", ErrNotPermitted, e.Reason, e.Err)
}

// Unwrap returns ErrNotPermitted and the call's error.
func (e *NotPermittedError) Unwrap() []error { return []error{ErrNotPermitted, e.Err} }

// ChildGoneError is Run's error when the child ended before it stopped to
// be seized: it could not take the credentials it was given (SetCredential
// exits 126), or something killed it.
type ChildGoneError struct {
	Pid    int
	Status unix.WaitStatus
}

func (e *ChildGoneError) Error() string {
	return fmt.Sprintf("child %d ended before it could be traced (wait status %#x)", e.Pid, uint32(e.Status))
}
