/* ptrace-floor MODE CMD [ARGS...]: trace CMD and everything it starts with
 * the least a tracer that shows calls must do, and nothing else: no
 * decoding, no output. What CMD then costs above its untraced time is the
 * kernel's ptrace round trips (and the scheduler's), the floor under any
 * ptrace tracer, mmtrace and strace alike.
 *
 *   full      stop at every call's entry and exit (strace -f, mmtrace -a);
 *             at each stop read what the call is (PTRACE_GET_SYSCALL_INFO),
 *             as any tracer that names calls must
 *   lesson    a seccomp filter stops only the lesson's calls (strace -f
 *             --seccomp-bpf -e trace=..., mmtrace run); at each stop the
 *             same read, and the call's exit is waited for
 *
 * With PIN=1 in the environment the tracer and CMD share the tracer's
 * first CPU (what mmtrace's --pin-cpu=always does), otherwise each runs
 * where the scheduler puts it. It exits with CMD's status. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The lesson's calls that this architecture has (bench/run.sh's list). */
static const long lesson[] = {
#ifdef SYS_open
    SYS_open,
#endif
#ifdef SYS_creat
    SYS_creat,
#endif
#ifdef SYS_truncate
    SYS_truncate,
#endif
#ifdef SYS_fork
    SYS_fork,
#endif
#ifdef SYS_vfork
    SYS_vfork,
#endif
    SYS_openat, SYS_close, SYS_ftruncate, SYS_mmap, SYS_munmap, SYS_mprotect,
    SYS_msync, SYS_madvise, SYS_mremap, SYS_clone, SYS_clone3, SYS_execve,
    SYS_execveat, SYS_wait4, SYS_waitid, SYS_exit, SYS_exit_group,
#ifdef SYS_unlink
    SYS_unlink,
#endif
    SYS_unlinkat, SYS_kill, SYS_tgkill,
};
#define NLESSON (sizeof lesson / sizeof lesson[0])

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#endif

static int install_filter(void) {
	struct sock_filter f[4 + NLESSON + 2];
	int n = 0;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < NLESSON; i++) /* a match jumps to the TRACE after the ALLOW */
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lesson[i], NLESSON - i, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	struct sock_fprog prog = {.len = n, .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

int main(int argc, char **argv) {
	if (argc < 3 || (strcmp(argv[1], "full") && strcmp(argv[1], "lesson"))) {
		fprintf(stderr, "usage: ptrace-floor full|lesson CMD [ARGS...]\n");
		return 2;
	}
	int seccomp = !strcmp(argv[1], "lesson");
	if (getenv("PIN") && !strcmp(getenv("PIN"), "1")) {
		cpu_set_t set;
		CPU_ZERO(&set);
		if (sched_getaffinity(0, sizeof set, &set) == 0) {
			int first = 0;
			while (first < CPU_SETSIZE && !CPU_ISSET(first, &set))
				first++;
			CPU_ZERO(&set);
			CPU_SET(first, &set);
			sched_setaffinity(0, sizeof set, &set); /* the child inherits it */
		}
	}
	pid_t child = fork();
	if (child < 0) {
		perror("ptrace-floor: fork");
		return 1;
	}
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		raise(SIGSTOP);
		if (seccomp && install_filter() != 0) {
			perror("ptrace-floor: seccomp");
			_exit(1);
		}
		execvp(argv[2], argv + 2);
		perror("ptrace-floor: exec");
		_exit(127);
	}
	int st;
	if (waitpid(child, &st, WSTOPPED) != child || !WIFSTOPPED(st)) {
		fprintf(stderr, "ptrace-floor: the child did not stop\n");
		return 1;
	}
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (seccomp)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, child, 0, opts) != 0) {
		perror("ptrace-floor: seize");
		return 1;
	}
	kill(child, SIGCONT);
	/* How a task goes on after a stop: to its next call (full), or to its
	 * next seccomp stop, past the exit stop of the call it is in. */
	enum req { SYSCALL = PTRACE_SYSCALL, CONT = PTRACE_CONT };
	enum req on = seccomp ? CONT : SYSCALL;
	struct __ptrace_syscall_info info;
	int status = 0;
	for (;;) {
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every task is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == child)
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st), event = st >> 16, deliver = 0;
		enum req next = on;
		if (sig == (SIGTRAP | 0x80)) {
			/* A call's entry or exit: what call, what result. With the
			 * filter, an entry reached by PTRACE_SYSCALL (after a seccomp
			 * stop) is the same call: on to its exit. */
			ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
			if (seccomp && info.op == PTRACE_SYSCALL_INFO_ENTRY)
				next = SYSCALL;
		} else if (event == PTRACE_EVENT_SECCOMP) {
			ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
			next = SYSCALL; /* to the call's exit */
		} else if (event == PTRACE_EVENT_STOP) {
			/* A new task's first stop, or a group stop: on. */
		} else if (event) {
			/* fork, clone, exec: on. */
		} else {
			deliver = sig; /* a signal for the task: give it */
		}
		ptrace(next, tid, 0, deliver);
	}
	return status;
}
