package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// classDoc says what one of strace's syscall classes holds, in English and
// Chinese; name is the class as -e trace= takes it, flag strace's sysent
// flag for it.
type classDoc struct {
	name, flag string
	en, zh     string
}

// classDocs are the classes `-e trace=%CLASS` selects, in strace's order.
var classDocs = []classDoc{
	{"%file", "TF", "calls that take a file name", "以文件名为参数的调用"},
	{"%desc", "TD", "calls that take or return a file descriptor", "以文件描述符为参数或返回文件描述符的调用"},
	{"%memory", "TM", "calls that map memory or change a mapping", "映射内存或改变映射的调用"},
	{"%process", "TP", "calls of a process's life: creating, execing, waiting, ending", "进程生命周期的调用：创建、执行程序、等待、结束"},
	{"%signal", "TS", "calls about signals", "与信号有关的调用"},
	{"%network", "TN", "calls about the network; %net is the same", "与网络有关的调用；%net 与它相同"},
	{"%ipc", "TI", "System V IPC calls", "System V 进程间通信的调用"},
	{"%creds", "TC", "calls that read or set user and group ids and capabilities", "读取或设置用户 ID、组 ID 与能力（capabilities）的调用"},
	{"%stat", "TST", "the stat variants", "stat 系列"},
	{"%lstat", "TLST", "the lstat variants", "lstat 系列"},
	{"%fstat", "TFST", "the fstat, fstatat and statx variants", "fstat、fstatat 与 statx 系列"},
	{"%%stat", "TSTA", "every call of %stat, %lstat and %fstat", "%stat、%lstat 与 %fstat 的全部调用"},
	{"%statfs", "TSF", "the statfs variants", "statfs 系列"},
	{"%fstatfs", "TFSF", "the fstatfs variants", "fstatfs 系列"},
	{"%%statfs", "TSFA", "statfs, fstatfs and ustat", "statfs、fstatfs 与 ustat"},
	{"%clock", "TCL", "calls that read or set a system clock", "读取或设置系统时钟的调用"},
	{"%pure", "PU", "calls that take no argument and always succeed", "没有参数且总是成功的调用"},
}

// findClass returns the class doc of name ("%memory", "%net", "%%stat").
func findClass(name string) (classDoc, sys.Class, bool) {
	if !strings.HasPrefix(name, "%") {
		return classDoc{}, 0, false
	}
	c, ok := sys.ClassByName(name[1:])
	if !ok {
		return classDoc{}, 0, false
	}
	for _, d := range classDocs {
		if dc, _ := sys.ClassByName(d.name[1:]); dc == c {
			return d, c, true
		}
	}
	return classDoc{}, 0, false
}

// classCalls returns the calls of class c on arch, sorted, and those of
// the other architecture mmtrace knows that arch has not.
func classCalls(c sys.Class, arch sys.Arch) (here, elsewhere []string) {
	in := func(a sys.Arch) []string {
		var names []string
		for _, n := range sys.Names(a) {
			if sys.Classes(n)&c == c {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		return slices.Compact(names)
	}
	here = in(arch)
	for _, a := range []sys.Arch{sys.AMD64, sys.ARM64} {
		if a == arch {
			continue
		}
		for _, n := range in(a) {
			if !slices.Contains(here, n) && !slices.Contains(elsewhere, n) {
				elsewhere = append(elsewhere, n)
			}
		}
	}
	slices.Sort(elsewhere)
	return here, elsewhere
}

// explainClass is `mmtrace explain %CLASS`: what the class holds and
// every call of it, as -e trace=%CLASS selects them on this machine.
func explainClass(l explain.Lang, d classDoc, c sys.Class) string {
	return explainClassOn(l, d, c, sys.HostArch())
}

// explainClassOn is explainClass for the calls of arch.
func explainClassOn(l explain.Lang, d classDoc, c sys.Class, arch sys.Arch) string {
	here, elsewhere := classCalls(c, arch)
	var b strings.Builder
	switch {
	case len(here) == 0 && l == explain.ZH:
		// arm64 has no stat or lstat: the class is empty there.
		fmt.Fprintf(&b, "%s：%s（strace 的 %s 类）。在 %s 上这一类一个调用也没有：-e trace=%s 在这里什么也不选。\n", d.name, d.zh, d.flag, arch, d.name)
	case len(here) == 0:
		fmt.Fprintf(&b, "%s: %s (strace's %s class). On %s no call is in it: -e trace=%s selects nothing here.\n", d.name, d.en, d.flag, arch, d.name)
	case l == explain.ZH:
		fmt.Fprintf(&b, "%s：%s（strace 的 %s 类）。-e trace=%s 选中它们；在 %s 上共 %d 个：\n\n", d.name, d.zh, d.flag, d.name, arch, len(here))
	default:
		fmt.Fprintf(&b, "%s: %s (strace's %s class). -e trace=%s selects them; %d on %s:\n\n", d.name, d.en, d.flag, d.name, len(here), arch)
	}
	if len(here) > 0 {
		b.WriteString("  " + strings.Join(here, " ") + "\n")
	}
	if len(elsewhere) > 0 {
		if l == explain.ZH {
			b.WriteString("\n只在其他架构上有的：\n\n")
		} else {
			b.WriteString("\nOnly on another architecture:\n\n")
		}
		b.WriteString("  " + strings.Join(elsewhere, " ") + "\n")
	}
	return refill(b.String(), "", helpWidth)
}

// filterHelp is `mmtrace help filter`: the -e trace= syntax and the classes.
func filterHelp(l explain.Lang) string {
	var b strings.Builder
	if l == explain.ZH {
		b.WriteString("用法：mmtrace run -e trace=EXPR [-e trace=EXPR...] -- CMD\n\n" +
			"-e trace= 选择时间线上显示哪些系统调用，语法与 strace 相同。不加 -e 时显示映射内存这一课的调用；-a 显示全部。EXPR 是用逗号分隔的一串值：\n\n" +
			"  NAME       一个系统调用名：mmap、openat……\n" +
			"  %CLASS     一类调用（见下）：%memory、%file……\n" +
			"  CLASS      desc、file、memory、process、signal、ipc、network 的旧写法（不带 %）\n" +
			"  /REGEX     名字与 Go 正则表达式匹配的调用（不锚定，与 strace 一样）\n" +
			"  NUMBER     各架构上这个号码的调用\n" +
			"  all, none  全部调用；一个也不要\n\n" +
			"值前加 ? 时，匹配不到也不算错。整串前加 ! 表示除了列出的都要：-e trace=!close。给几次 -e trace= 时，最后一次为准。\n\n" +
			"类（mmtrace explain %CLASS 列出一类的全部调用）：\n\n")
	} else {
		b.WriteString("Usage: mmtrace run -e trace=EXPR [-e trace=EXPR...] -- CMD\n\n" +
			"-e trace= chooses the calls the timeline shows, with strace's syntax. Without -e the timeline shows the mmap lesson's calls; -a shows every call. EXPR is a comma-separated list of values:\n\n" +
			"  NAME       a call's name: mmap, openat, ...\n" +
			"  %CLASS     a class of calls (below): %memory, %file, ...\n" +
			"  CLASS      the old spelling of desc, file, memory, process, signal, ipc and network (no %)\n" +
			"  /REGEX     the calls whose name the Go regular expression matches (unanchored, as in strace)\n" +
			"  NUMBER     the call with that number on each architecture\n" +
			"  all, none  every call; no call\n\n" +
			"A value may start with ? to make matching nothing no error. The whole list may start with ! to trace every call but those listed: -e trace=!close. Given several times, the last -e trace= counts.\n\n" +
			"The classes ('mmtrace explain %CLASS' lists a class's calls):\n\n")
	}
	wide := 0
	for _, d := range classDocs {
		wide = max(wide, len(d.name))
	}
	for _, d := range classDocs {
		text := d.en
		if l == explain.ZH {
			text = d.zh
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", wide, d.name, text)
	}
	return refill(b.String(), "", helpWidth)
}
