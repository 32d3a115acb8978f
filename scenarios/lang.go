package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// Lang is the language of what a scenario says: its lesson, its lines on
// stdout and stderr, its errors. The command line maps its --lang to it;
// this package does not depend on the tracer, whose explanations have a
// language type of their own.
type Lang uint8

// The languages a scenario speaks. The zero value is English.
const (
	English Lang = iota
	Chinese
)

// Text is a text in both languages.
type Text struct{ EN, ZH string }

// In returns the text in l.
func (t Text) In(l Lang) string {
	if l == Chinese {
		return t.ZH
	}
	return t.EN
}

// pick returns en or zh, by l.
func (l Lang) pick(en, zh string) string {
	if l == Chinese {
		return zh
	}
	return en
}

// sprintf formats en or zh, by l, with the same arguments: a Chinese
// format that needs them in another order says so with %[n]s.
func (l Lang) sprintf(en, zh string, args ...any) string {
	return fmt.Sprintf(l.pick(en, zh), args...)
}

// errorf is fmt.Errorf with en or zh, by l. Errors among args are shown
// in l (see wrap) and still unwrap to what they were.
func (l Lang) errorf(en, zh string, args ...any) error {
	if l == Chinese {
		for i, a := range args {
			if err, ok := a.(error); ok {
				args[i] = l.wrap(err)
			}
		}
	}
	return fmt.Errorf(l.pick(en, zh), args...)
}

// quantity says "1 page" or "2 pages" in English, "2 页" in Chinese, which
// has no plural.
func quantityIn[N int | int64 | uint32 | uint64](l Lang, n N, one, many, zh string) string {
	if l == Chinese {
		return fmt.Sprintf("%d %s", n, zh)
	}
	return quantity(n, one, many)
}

// wrap returns err as l shows it: unchanged in English; in Chinese, an
// errno is named with glibc's zh_CN text for it (ENOENT（没有那个文件或目录）),
// as perror would print it in a Chinese locale. The result unwraps to err.
func (l Lang) wrap(err error) error {
	if l != Chinese || err == nil {
		return err
	}
	var le langError
	if errors.As(err, &le) {
		return err
	}
	return langError{err}
}

// Error returns err as l shows it (see wrap): for the command line, which
// says its own errors in the run's language too.
func (l Lang) Error(err error) error { return l.wrap(err) }

// langError is an error shown in Chinese.
type langError struct{ err error }

func (e langError) Error() string { return errnoZH(e.err) }
func (e langError) Unwrap() error { return e.err }

// errnoZH says what err is in Chinese: the errno's name and glibc's
// zh_CN message for it, with the path or call err names, if any.
func errnoZH(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + " " + pe.Path + "：" + errnoZH(pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + " " + le.Old + " " + le.New + "：" + errnoZH(le.Err)
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Syscall + "：" + errnoZH(se.Err)
	}
	var ee *exec.Error
	if errors.As(err, &ee) && errors.Is(ee.Err, exec.ErrNotFound) {
		return ee.Name + "：在 $PATH 中找不到这个可执行文件"
	}
	var e syscall.Errno
	if !errors.As(err, &e) {
		return err.Error()
	}
	name := unix.ErrnoName(e)
	if name == "" {
		name = fmt.Sprintf("errno %d", int(e))
	}
	if text, ok := errnoTextZH[e]; ok {
		return name + "（" + text + "）"
	}
	return name
}

// errnoTextZH is glibc's zh_CN translation of strerror for the errors a
// scenario, or the command line, may meet.
var errnoTextZH = map[syscall.Errno]string{
	unix.EPERM:        "不允许的操作",
	unix.ENOENT:       "没有那个文件或目录",
	unix.ESRCH:        "没有那个进程",
	unix.EINTR:        "被中断的系统调用",
	unix.EIO:          "输入/输出错误",
	unix.ENXIO:        "没有那个设备或地址",
	unix.E2BIG:        "参数列表过长",
	unix.ENOEXEC:      "可执行文件格式错误",
	unix.EBADF:        "错误的文件描述符",
	unix.ECHILD:       "没有子进程",
	unix.EAGAIN:       "资源暂时不可用",
	unix.ENOMEM:       "无法分配内存",
	unix.EACCES:       "权限不够",
	unix.EBUSY:        "设备或资源忙",
	unix.EEXIST:       "文件已存在",
	unix.EXDEV:        "无效的跨设备链接",
	unix.ENODEV:       "没有那个设备",
	unix.ENOTDIR:      "不是目录",
	unix.EISDIR:       "是一个目录",
	unix.EINVAL:       "无效的参数",
	unix.EMFILE:       "打开的文件过多",
	unix.ETXTBSY:      "文本文件忙",
	unix.EFBIG:        "文件过大",
	unix.ENOSPC:       "设备上没有空间",
	unix.EROFS:        "只读文件系统",
	unix.EPIPE:        "断开的管道",
	unix.ENAMETOOLONG: "文件名过长",
	unix.ELOOP:        "符号链接的层数过多",
	unix.EOPNOTSUPP:   "不支持的操作",
	unix.EDQUOT:       "超出磁盘限额",

	// --serve's address (the command line).
	unix.EADDRINUSE:    "地址已在使用",
	unix.EADDRNOTAVAIL: "无法指定被请求的地址",
}
