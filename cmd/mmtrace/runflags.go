package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// runFlags are the flags of `mmtrace run` that change how the program is
// started, as strace's do: its user (-u) and its environment (-E).
type runFlags struct {
	user   string
	env    []string
	detach string
	follow string
	paths  []string
	// notes are what apply has to say before the trace (a -P path
	// resolved into another).
	notes []filter.Resolved
	// lang is the language of the messages.
	lang explain.Lang
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.user, "user", "u", "", "run CMD as `USER` (a name or a uid), with its group and groups, as strace -u; mmtrace must run as root")
	fs.StringVarP(&f.detach, "detach-on", "b", "", "detach from a process when it calls `SYSCALL` (only execve, as strace -b): after the program's start, a process that execs runs on untraced")
	fs.StringVar(&f.follow, "follow", "all", "what to follow: `WHAT` is all (threads and new processes, as strace -f) or threads (the program's threads; the processes it starts run untraced)")
	fs.StringArrayVarP(&f.paths, "trace-path", "P", nil, "show only the calls that touch `PATH` (by name or by an fd open on it), as strace -P; beyond strace, a pattern: * ? [...] within a name, ** for a whole tree (-P '/tmp/**'). Repeatable; alone, it looks at every call")
	fs.StringArrayVarP(&f.env, "env", "E", nil, "set `VAR=VAL` in CMD's environment, or remove VAR with -E VAR, as strace -E (repeatable)")
}

// apply sets what the flags change in the trace's configuration.
func (f *runFlags) apply(cfg *tracer.Config) error {
	switch f.detach {
	case "":
	case "execve":
		cfg.DetachOnExec = true
	default:
		return usageIn(f.lang, msgRunDetachOn, f.detach)
	}
	if len(f.paths) > 0 {
		paths, notes, err := filter.NewPaths(f.paths, resolvePath)
		if err != nil {
			return usageErrorf("run: %s", filterError(f.lang, err))
		}
		cfg.Paths = paths
		f.notes = append(f.notes, notes...)
		if cfg.Filter == nil {
			// As strace: -P alone selects from every call.
			cfg.Filter = filter.All()
		}
	}
	switch f.follow {
	case "all":
	case "threads":
		cfg.ThreadsOnly = true
	default:
		return usageIn(f.lang, msgRunFollow, f.follow)
	}
	return nil
}

// say writes the notes apply left, one a line.
func (f *runFlags) say(w io.Writer) {
	for _, n := range f.notes {
		fmt.Fprintln(w, msg(f.lang, msgResolved, n.Path, n.Into))
	}
}

// noneFor refuses the start flags with flag, which starts no program.
func (f *runFlags) noneFor(flag string) error {
	switch {
	case f.user != "":
		return usageIn(f.lang, msgRunUserNone, flag)
	case len(f.env) > 0:
		return usageIn(f.lang, msgRunEnvNone, flag)
	}
	return nil
}

// environ returns env changed as -E says, in order: VAR=VAL replaces VAR or
// adds it at the end, a bare VAR removes it.
func (f *runFlags) environ(env []string) ([]string, error) {
	if len(f.env) == 0 {
		return env, nil
	}
	out := append([]string(nil), env...)
	for _, e := range f.env {
		name, _, set := strings.Cut(e, "=")
		if name == "" || strings.ContainsRune(name, 0) {
			return nil, usageIn(f.lang, msgRunEnvName, e)
		}
		kept := out[:0]
		for _, kv := range out {
			if k, _, _ := strings.Cut(kv, "="); k != name {
				kept = append(kept, kv)
			}
		}
		out = kept
		if set {
			out = append(out, e)
		}
	}
	return out, nil
}

// credential resolves -u's user before anything starts, and makes spec's
// child take its uid, gid and groups.
func (f *runFlags) credential(spec *rawchild.Spec) error {
	if f.user == "" {
		return nil
	}
	u, err := lookupUser(f.user)
	if err != nil {
		return usageIn(f.lang, msgRunNoUser, f.user)
	}
	if os.Geteuid() != 0 {
		return usageIn(f.lang, msgRunUserRoot, f.user, os.Geteuid())
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("run: -u %s: %w", f.user, err)
	}
	ids, err := u.GroupIds()
	if err != nil {
		return fmt.Errorf("run: -u %s: its groups: %w", f.user, err)
	}
	groups := make([]uint32, 0, len(ids))
	for _, id := range ids {
		g, err := strconv.ParseUint(id, 10, 32)
		if err != nil {
			return fmt.Errorf("run: -u %s: group %q: %w", f.user, id, err)
		}
		groups = append(groups, uint32(g))
	}
	spec.SetCredential(uint32(uid), uint32(gid), groups)
	return nil
}

// lookupUser finds a user by name, or by uid when the name is a number
// that names no user.
func lookupUser(name string) (*user.User, error) {
	u, err := user.Lookup(name)
	if err == nil {
		return u, nil
	}
	if _, nerr := strconv.ParseUint(name, 10, 32); nerr == nil {
		if u, err := user.LookupId(name); err == nil {
			return u, nil
		}
	}
	return nil, fmt.Errorf("no user %q", name)
}

// resolvePath is realpath(3), as strace resolves a -P path: absolute, with
// no symbolic link.
func resolvePath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(r)
}
