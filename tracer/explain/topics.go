package explain

import (
	"fmt"
	"github.com/mmtrace/mmtrace/internal/editdist"
	"strings"

	"github.com/mmtrace/mmtrace/tracer/model"
)

// topic is what `mmtrace explain NAME` prints: a call of the default set
// (its arguments, its flags, the common mistakes) or a concept of the
// lesson. The first line of each text is its summary, "name — what".
type topic struct {
	name    string
	aliases []string
	call    bool
	text    msg
}

// topics are in the order `mmtrace explain` lists them. The only field a
// text may use is {page}, the page size.
var topics = []topic{
	{name: "mmap", call: true, text: msg{
		en: `mmap — map a file, or anonymous memory, into the address space

  void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);

addr    a hint: pass NULL and the kernel picks the place. With MAP_FIXED it is
        the place, and whatever was mapped there is replaced.
length  how many bytes, at least 1. It need not be a multiple of the page size
        ({page} bytes here): the mapping is rounded up to whole pages, so
        mmap(NULL, 4, ...) maps one whole page.
prot    what the pages allow: PROT_READ, PROT_WRITE, PROT_EXEC, or PROT_NONE.
        The notes' PROT_WRITE|PROT_WRITE is a typo for PROT_READ|PROT_WRITE
        (on x86, PROT_WRITE alone lets reads through anyway).
flags   exactly one of
          MAP_SHARED     stores go to the file (or shared memory) itself: every
                         process that maps it sees them, no write() needed
          MAP_PRIVATE    reads see the file; the first store to a page copies
                         it for this process (copy-on-write); the file never
                         changes
        and any of
          MAP_ANONYMOUS  no file: zeroed memory; fd -1, offset 0
          MAP_FIXED      put the mapping exactly at addr
          MAP_POPULATE   bring every page in now, not at its first touch
fd      the open file; with MAP_ANONYMOUS pass -1
offset  where in the file the mapping starts: a multiple of the page size

Returns the mapping's address; on error MAP_FAILED ((void *) -1, not NULL).

Common mistakes
  - length 0: EINVAL.
  - offset not a page multiple (1000): EINVAL. Map from 0, add 1000 to the
    address.
  - MAP_SHARED with PROT_WRITE on a fd opened O_RDONLY: EACCES. A mapping may
    not allow more than the open did.
  - any mapping of a fd opened O_WRONLY: EACCES. A mapping reads the file.
  - mapping an empty file, then touching it: mmap works, the touch raises
    SIGBUS. Give the file its size with ftruncate first.
  - comparing the result with NULL: on error it is MAP_FAILED.
Not mistakes, whatever the notes say: MAP_PRIVATE with PROT_WRITE on an
O_RDONLY fd works (stores stay private), and closing the fd after mmap leaves
the mapping usable.`,
		zh: `mmap —— 把文件或匿名内存映射进进程的地址空间

  void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);

addr    只是建议的地址：传 NULL，由内核选择位置。加 MAP_FIXED 时就用这个
        地址，原来映射在那里的内容会被替换。
length  映射多少字节，至少为 1。不必是页大小（本机为 {page} 字节）的整数
        倍：映射总会向上取整为整页，mmap(NULL, 4, ...) 映射的是完整的一页。
prot    页的访问权限：PROT_READ、PROT_WRITE、PROT_EXEC 或 PROT_NONE。
        笔记里的 PROT_WRITE|PROT_WRITE 是 PROT_READ|PROT_WRITE 的笔误
        （在 x86 上只给 PROT_WRITE 也照样能读）。
flags   必须且只能有下面之一：
          MAP_SHARED     共享映射：写入直接进入文件（或共享内存）本身，
                         所有映射它的进程都看得到，无需 write()
          MAP_PRIVATE    私有映射：读到的是文件内容；第一次写某页时为本
                         进程复制一份（写时复制），文件不会被修改
        还可以加上：
          MAP_ANONYMOUS  匿名映射：无文件，内存清零；参数 fd 传 -1，offset 传 0
          MAP_FIXED      映射必须放在 addr
          MAP_POPULATE   现在就把所有页调入，而不是等第一次访问
fd      已打开的文件描述符；用 MAP_ANONYMOUS 时传 -1
offset  映射从文件的哪个位置开始：必须是页大小的整数倍

返回映射的首地址；出错时返回 MAP_FAILED（即 (void *) -1，不是 NULL）。

常见错误
  - length 为 0：EINVAL。
  - offset 不是页大小的整数倍（比如 1000）：EINVAL。应从 0 开始映射，
    再把地址加上 1000。
  - 以 O_RDONLY 打开的文件描述符配 MAP_SHARED 和 PROT_WRITE：EACCES。
    映射的权限不能超过打开文件时的权限。
  - 映射以 O_WRONLY 打开的文件描述符：总是 EACCES，因为映射要读文件。
  - 映射空文件后去访问：mmap 成功，访问时收到 SIGBUS。先用 ftruncate
    设定文件大小。
  - 拿返回值和 NULL 比较：出错时返回的是 MAP_FAILED。
下面这些不是错误（笔记说错了）：只读的文件描述符配 MAP_PRIVATE 和 PROT_WRITE
可以成功（写入只留在私有副本里）；mmap 之后关闭文件描述符，映射照样可用。`,
	}},
	{name: "munmap", call: true, text: msg{
		en: `munmap — remove a mapping, or part of one

  int munmap(void *addr, size_t length);

addr    page-aligned: the address mmap returned, or that of any page of the
        mapping: munmap(p + {page}, {page}) unmaps its second page alone
length  how many bytes; rounded up to whole pages like mmap's

Every page in [addr, addr+length) is unmapped; pages there that were not
mapped are no error. Touching an unmapped address afterwards raises SIGSEGV.
Stores to a MAP_SHARED file mapping are already in the file's pages: munmap
loses nothing (msync only forces them to disk now), and after the last
munmap the pages stay in the page cache. The exception is a file with no
name left (unlinked): its last munmap or close frees it, data and all.
Stores to a MAP_PRIVATE mapping are thrown away. A process's mappings all go
when it exits or execs.

Common mistakes
  - munmap(p + 1, ...) after p++: EINVAL, the address is not page-aligned.
    Keep the pointer mmap returned.
  - length 0: EINVAL.
  - using the memory after munmap: SIGSEGV.
The notes say out-of-bounds use of p makes munmap fail: it does not. A store
past the end within the last page lands in the page's unused bytes; past the
page it raises SIGSEGV, or hits whatever else is mapped there.`,
		zh: `munmap —— 解除映射（整个映射或其中一部分）

  int munmap(void *addr, size_t length);

addr    必须按页对齐：mmap 返回的地址，或映射内任何一页的地址：
        munmap(p + {page}, {page}) 只解除第二页的映射
length  字节数；和 mmap 一样向上取整为整页

[addr, addr+length) 范围内的每一页都被解除映射；其中本来没有映射的页不算
错误。解除之后再访问这些地址会收到 SIGSEGV。对 MAP_SHARED 文件映射的写入
早已进入文件的页：munmap 不会丢数据（msync 只是让它们立即写回磁盘），最后
一个映射解除之后，这些页仍留在页缓存中。例外是已经没有名字（被 unlink）的
文件：最后一次 munmap 或 close 会把它连同数据一起释放。MAP_PRIVATE 映射里
的修改则被丢弃。进程退出或 execve 时，所有映射自动解除。

常见错误
  - p++ 之后 munmap(p, ...)：EINVAL，地址没有按页对齐。要保留 mmap 返回
    的原指针。
  - length 为 0：EINVAL。
  - munmap 之后继续使用这块内存：SIGSEGV。
笔记说 p 越界操作会导致 munmap 失败，其实不会：越界写入若仍在最后一页内，
只是落在该页多余的字节里；超出这一页则会触发 SIGSEGV，或者写到别的映射上。`,
	}},
	{name: "mprotect", call: true, text: msg{
		en: `mprotect — change what the pages of a range allow

  int mprotect(void *addr, size_t length, int prot);

addr is page-aligned; the range is rounded up to whole pages; prot is
PROT_READ, PROT_WRITE, PROT_EXEC or PROT_NONE, as for mmap. Touching a page
in a way its protection forbids raises SIGSEGV (SEGV_ACCERR).

Common mistakes
  - addr not page-aligned: EINVAL.
  - part of the range not mapped: ENOMEM.
  - PROT_WRITE on a MAP_SHARED mapping of a file opened O_RDONLY: EACCES, the
    same rule as mmap's.`,
		zh: `mprotect —— 修改一段内存的访问权限

  int mprotect(void *addr, size_t length, int prot);

addr 必须按页对齐；范围向上取整为整页；prot 与 mmap 的相同：PROT_READ、
PROT_WRITE、PROT_EXEC 或 PROT_NONE。以权限不允许的方式访问某页，会收到
SIGSEGV（SEGV_ACCERR）。

常见错误
  - addr 没有按页对齐：EINVAL。
  - 范围内有一部分没有映射：ENOMEM。
  - 对只读打开的文件的 MAP_SHARED 映射加 PROT_WRITE：EACCES，规则与 mmap
    相同。`,
	}},
	{name: "msync", call: true, text: msg{
		en: `msync — write a shared file mapping's changes to disk

  int msync(void *addr, size_t length, int flags);

flags   MS_SYNC   write the dirty pages and wait until they are on disk
        MS_ASYNC  return at once (Linux writes dirty pages back on its own)
        MS_INVALIDATE  drop other cached copies (nothing to do on Linux)

msync is about the disk, not about other processes: a store to a MAP_SHARED
mapping is seen at once by every process that maps the file, and by read(),
msync or not. Call it when the data must survive a crash.

Common mistakes
  - addr not page-aligned: EINVAL.
  - the range not mapped: ENOMEM.
  - calling it to "publish" stores to another process: not needed.`,
		zh: `msync —— 把共享文件映射中的修改写回磁盘

  int msync(void *addr, size_t length, int flags);

flags   MS_SYNC   写回脏页，并等到它们落盘
        MS_ASYNC  立即返回（Linux 自己会适时写回脏页）
        MS_INVALIDATE  使其他缓存副本失效（在 Linux 上无事可做）

msync 关系到磁盘，与其他进程无关：对 MAP_SHARED 映射的写入，所有映射该文件
的进程以及 read() 立刻就能看到，不管有没有 msync。数据必须在崩溃后仍然保留
时，才需要调用它。

常见错误
  - addr 没有按页对齐：EINVAL。
  - 范围没有映射：ENOMEM。
  - 以为要调用它，其他进程才能看到写入：不需要。`,
	}},
	{name: "madvise", call: true, text: msg{
		en: `madvise — tell the kernel how a range of pages will be used

  int madvise(void *addr, size_t length, int advice);

advice  MADV_SEQUENTIAL  read ahead more       MADV_RANDOM  read ahead less
        MADV_WILLNEED    read the pages in now
        MADV_DONTNEED    drop the pages: next touch gets zeros (private
                         anonymous) or what the file or shared memory holds
        MADV_FREE        private anonymous pages may be freed later, unless
                         written again
        MADV_DONTFORK    a fork does not hand the range to the child

Most advice is a hint: ignoring it changes speed, not results. MADV_DONTNEED
and MADV_FREE do change what private memory reads back.

Common mistakes
  - addr not page-aligned, or an unknown advice: EINVAL.
  - the range not mapped: ENOMEM.`,
		zh: `madvise —— 告诉内核一段内存将如何使用

  int madvise(void *addr, size_t length, int advice);

advice  MADV_SEQUENTIAL  多预读                MADV_RANDOM  少预读
        MADV_WILLNEED    现在就把这些页读进来
        MADV_DONTNEED    丢弃这些页：再访问时，私有匿名页重新清零，
                         其他页从文件或共享内存重新读回
        MADV_FREE        私有匿名页之后可被回收，除非再次写入
        MADV_DONTFORK    fork 时子进程不继承这段内存

大多数 advice 只是提示：内核不理会也只影响速度，不影响结果。MADV_DONTNEED
和 MADV_FREE 则会改变私有内存读出来的内容。

常见错误
  - addr 没有按页对齐，或 advice 未知：EINVAL。
  - 范围没有映射：ENOMEM。`,
	}},
	{name: "mremap", call: true, text: msg{
		en: `mremap — grow, shrink or move a mapping

  void *mremap(void *old_address, size_t old_size, size_t new_size,
               int flags, ... /* void *new_address */);

flags   MREMAP_MAYMOVE  the mapping may move if it cannot grow in place
        MREMAP_FIXED    move it to new_address (needs MREMAP_MAYMOVE)

Returns the mapping's address, which may be new: pointers into the old place
are then stale.

Common mistakes
  - old_address not page-aligned: EINVAL.
  - growing without MREMAP_MAYMOVE when the next pages are taken: ENOMEM.`,
		zh: `mremap —— 扩大、缩小或移动一个映射

  void *mremap(void *old_address, size_t old_size, size_t new_size,
               int flags, ... /* void *new_address */);

flags   MREMAP_MAYMOVE  不能原地扩大时允许移动
        MREMAP_FIXED    移动到 new_address（须同时给 MREMAP_MAYMOVE）

返回映射的地址，可能是新的地址：此时指向旧位置的指针全部失效。

常见错误
  - old_address 没有按页对齐：EINVAL。
  - 后面的地址已被占用，又没给 MREMAP_MAYMOVE 却要扩大：ENOMEM。`,
	}},
	{name: "open", aliases: []string{"openat", "creat"}, call: true, text: msg{
		en: `open, openat, creat — open a file and get a file descriptor

  int open(const char *path, int flags, mode_t mode);
  int openat(int dirfd, const char *path, int flags, mode_t mode);
  int creat(const char *path, mode_t mode);  /* O_CREAT|O_WRONLY|O_TRUNC */

flags   one of O_RDONLY, O_WRONLY, O_RDWR, and any of
          O_CREAT    create the file if missing, with mode (0644) & ~umask
          O_TRUNC    empty an existing file: its size becomes 0
          O_EXCL     with O_CREAT: fail if the file exists
          O_APPEND   every write() goes to the end
          O_CLOEXEC  close the fd when the process execs
dirfd   openat resolves a relative path from this directory; AT_FDCWD is the
        working directory (libc's open() is openat(AT_FDCWD, ...) today)

Returns the lowest free fd. For mmap the access mode matters: every mapping
needs a readable fd, and a MAP_SHARED writable mapping needs O_RDWR.

Common mistakes
  - O_CREAT without mode: the file gets whatever garbage is in the register.
  - O_TRUNC and then mmap without ftruncate: the file is empty, touching the
    mapping raises SIGBUS.
  - O_WRONLY for a file to map: mmap fails with EACCES.
  - The notes open /dev/zero with O_CREAT|O_TRUNC: harmless, and pointless.`,
		zh: `open、openat、creat —— 打开文件，得到文件描述符

  int open(const char *path, int flags, mode_t mode);
  int openat(int dirfd, const char *path, int flags, mode_t mode);
  int creat(const char *path, mode_t mode);  /* O_CREAT|O_WRONLY|O_TRUNC */

flags   O_RDONLY、O_WRONLY、O_RDWR 三者之一，再加上任意几个：
          O_CREAT    文件不存在就创建，权限为 mode（如 0644）& ~umask
          O_TRUNC    清空已有的文件：大小变为 0
          O_EXCL     与 O_CREAT 同用：文件已存在则失败
          O_APPEND   每次 write() 都写到文件末尾
          O_CLOEXEC  进程 execve 时自动关闭这个文件描述符
dirfd   openat 从这个目录解析相对路径；AT_FDCWD 表示当前工作目录
        （如今 libc 的 open() 就是 openat(AT_FDCWD, ...)）

返回最小的空闲文件描述符。对 mmap 来说访问模式很重要：任何映射都要求文件
描述符可读；可写的 MAP_SHARED 映射要求以 O_RDWR 打开。

常见错误
  - 用 O_CREAT 却不给 mode：文件权限是寄存器里的随机值。
  - O_TRUNC 之后不 ftruncate 就映射：文件为空，访问映射会收到 SIGBUS。
  - 以 O_WRONLY 打开要映射的文件：mmap 以 EACCES 失败。
  - 笔记用 O_CREAT|O_TRUNC 打开 /dev/zero：无害，但毫无必要。`,
	}},
	{name: "close", call: true, text: msg{
		en: `close — release a file descriptor

  int close(int fd);

The fd number becomes free for the next open. A mapping does not need its fd:
it holds its own reference to the file, so mmap-then-close is the usual
pattern, and the mapping stays usable until munmap. The notes are right that
the fd has no effect on the mapping after mmap. After a fork, parent and
child each close their own copy.

Common mistakes
  - closing twice: the second close fails with EBADF, or worse, closes a fd
    that a later open reused.`,
		zh: `close —— 关闭文件描述符

  int close(int fd);

这个文件描述符的编号被释放，下一次 open 可以再用。映射不依赖文件描述符：
映射自己持有对文件的引用，所以常见的写法是 mmap 之后立刻 close，映射在
munmap 之前一直可用。笔记说“文件描述符对 mmap 映射没有影响”，这是对的。
fork 之后，父子进程各自关闭自己的那一份。

常见错误
  - 重复关闭：第二次 close 以 EBADF 失败；更糟的是，它可能关掉了之后
    open 重新得到的同号文件描述符。`,
	}},
	{name: "ftruncate", aliases: []string{"truncate"}, call: true, text: msg{
		en: `ftruncate, truncate — set a file's size

  int ftruncate(int fd, off_t length);
  int truncate(const char *path, off_t length);

Growing adds zero bytes (no disk blocks until written); shrinking drops the
end. A file mapping is backed only where the file has bytes: give a new or
emptied file its size before touching a mapping of it, or the touch raises
SIGBUS. Shrinking a file others have mapped makes their pages past the new
end raise SIGBUS too.

Common mistakes
  - ftruncate on something that is not a regular file (/dev/zero, a pipe):
    EINVAL. The notes' /dev/zero program fails here and exits; /dev/zero
    needs no size to be mapped.
  - ftruncate on a fd opened O_RDONLY: EINVAL.
  - a negative length: EINVAL.`,
		zh: `ftruncate、truncate —— 设置文件大小

  int ftruncate(int fd, off_t length);
  int truncate(const char *path, off_t length);

扩大时补 0 字节（在真正写入之前不占磁盘块）；缩小时截掉末尾。文件映射只
在文件有内容的范围内才有文件页对应：新建或清空的文件要先设好大小，再访问
它的映射，否则访问会收到 SIGBUS。把别人正在映射的文件截短，他们映射中超出
新末尾的页也会引发 SIGBUS。

常见错误
  - 对普通文件以外的东西（/dev/zero、管道）调用 ftruncate：EINVAL。笔记中
    映射 /dev/zero 的程序就在这里失败退出了；其实映射 /dev/zero 不需要设置
    大小。
  - 对以 O_RDONLY 打开的文件描述符调用 ftruncate：EINVAL。
  - length 为负数：EINVAL。`,
	}},
	{name: "fork", aliases: []string{"vfork", "clone", "clone3"}, call: true, text: msg{
		en: `fork, vfork, clone, clone3 — create a process (or a thread)

  pid_t fork(void);

The child is a copy of the parent at the moment of the call. fork returns
the child's pid in the parent, 0 in the child, -1 on error. What the child
gets:
  - private mappings (program, libraries, stack, heap, MAP_PRIVATE files,
    MAP_PRIVATE|MAP_ANONYMOUS): copy-on-write. Both read the same pages
    until one stores: the store goes to a copy of the page, which the other
    never sees. A file's page is copied for every process that stores to
    it (the page cache keeps the original); an anonymous page is copied
    only while something else still holds it (another process, or the
    kernel: a pipe the page was vmspliced into, for one), so the last to
    store usually keeps the original.
  - shared mappings (MAP_SHARED of a file, MAP_SHARED|MAP_ANONYMOUS, a
    MAP_SHARED mapping of /dev/zero): the same pages. A store by either is
    seen by both: this is how related processes communicate through mmap.
  - fds: a copy of the table, pointing to the same open files, so parent
    and child share each file's offset. That holds for every fd, whatever
    the mappings are; the notes tie offset sharing to MAP_SHARED, wrongly.
  - only the calling thread; ranges marked MADV_DONTFORK are not inherited.
vfork: the child borrows the parent's memory and the parent waits until the
child execs or exits. clone and clone3 take flags: CLONE_VM shares the whole
address space, CLONE_THREAD makes a thread.

Common mistakes
  - forgetting to wait for the child: it stays a zombie until reaped.
  - expecting a MAP_PRIVATE mapping to carry data between the two.
  - mapping the shared memory after fork: only mappings made before the fork
    are inherited.`,
		zh: `fork、vfork、clone、clone3 —— 创建进程（或线程）

  pid_t fork(void);

子进程是父进程在调用那一刻的拷贝。fork 在父进程中返回子进程的 pid，在子进程
中返回 0，出错返回 -1。子进程得到的是：
  - 私有映射（程序、库、栈、堆、MAP_PRIVATE 文件映射、MAP_PRIVATE|
    MAP_ANONYMOUS）：写时复制。双方先读同一份页，直到一方写入：写入落在
    该页的副本上，另一方永远看不到。文件的页对每个写入它的进程都复制一份
    （原页留在页缓存中）；匿名页只在还有别的持有者时才复制（别的进程，或
    内核：比如该页被 vmsplice 进的管道），所以最后写入的一方通常保留原页。
  - 共享映射（文件的 MAP_SHARED 映射、MAP_SHARED|MAP_ANONYMOUS、以
    MAP_SHARED 映射的 /dev/zero）：同一份页。任何一方写入，双方都看得到，
    有血缘关系的进程就是这样通过 mmap 通信的。
  - 文件描述符：复制一份描述符表，指向同样的打开文件，所以父子进程共享每个
    文件的读写偏移量。这对所有文件描述符都成立，与映射无关；笔记把偏移量
    共享归因于 MAP_SHARED，是不对的。
  - 只有调用 fork 的那个线程；标了 MADV_DONTFORK 的内存不被继承。
vfork：子进程借用父进程的内存，父进程等到子进程 execve 或退出后才继续。
clone 和 clone3 带标志：CLONE_VM 共享整个地址空间，CLONE_THREAD 创建线程。

常见错误
  - 不 wait 子进程：它一直是僵尸进程，直到被回收。
  - 指望 MAP_PRIVATE 映射在父子之间传递数据。
  - fork 之后才创建共享映射：只有 fork 之前建立的映射才会被继承。`,
	}},
	{name: "execve", aliases: []string{"execveat"}, call: true, text: msg{
		en: `execve, execveat — run another program in this process

  int execve(const char *path, char *const argv[], char *const envp[]);

The process keeps its pid, and gets a new address space: every mapping it
had is gone, shared ones included (other processes keep theirs), and the new
program's are made. Open fds stay open unless marked close-on-exec
(O_CLOEXEC). execve returns only on failure.

Common mistakes
  - expecting execve to search PATH: it does not (execlp and execvp do).
    A missing file: ENOENT.
  - a file without execute permission, or on a noexec mount: EACCES.
  - code after a successful execve: it never runs.`,
		zh: `execve、execveat —— 在本进程中运行另一个程序

  int execve(const char *path, char *const argv[], char *const envp[]);

进程保持原来的 pid，但换上新的地址空间：原有的映射全部消失，包括共享映射
（其他进程的映射不受影响），换成新程序的映射。打开的文件描述符保持打开，
设了 close-on-exec（O_CLOEXEC）的除外。execve 只有失败时才会返回。

常见错误
  - 以为 execve 会搜索 PATH：它不会（execlp、execvp 才会）。文件不存在：
    ENOENT。
  - 文件没有执行权限，或在 noexec 挂载上：EACCES。
  - execve 成功之后的代码：永远不会执行。`,
	}},
	{name: "wait4", aliases: []string{"waitid", "waitpid", "wait"}, call: true, text: msg{
		en: `wait4, waitpid, waitid — reap a child that ended

  pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);
  pid_t waitpid(pid_t pid, int *status, int options);  /* wait4(..., NULL) */

pid     > 0 that child; -1 any child; 0 any child in this process group
status  WIFEXITED(s) and WEXITSTATUS(s): it exited, with this code;
        WIFSIGNALED(s) and WTERMSIG(s): a signal killed it (SIGBUS, ...)
options WNOHANG: return 0 at once if no child has ended yet

Returns the pid of the child reaped. Until then a dead child is a zombie:
its memory is gone, its exit status waits for the parent. waitid(idtype,
id, infop, options) does the same with a siginfo_t and needs WEXITED.

Common mistakes
  - polling with WNOHANG in a tight loop, as the notes do: it burns a CPU;
    block instead, or sleep between polls.
  - ECHILD: no child left, or pid is not a child of this process.`,
		zh: `wait4、waitpid、waitid —— 回收已结束的子进程

  pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);
  pid_t waitpid(pid_t pid, int *status, int options);  /* wait4(..., NULL) */

pid     > 0 指定的子进程；-1 任意子进程；0 本进程组中的任意子进程
status  WIFEXITED(s) 与 WEXITSTATUS(s)：正常退出及其退出状态；
        WIFSIGNALED(s) 与 WTERMSIG(s)：被信号（如 SIGBUS）终止
options WNOHANG：还没有子进程结束时立即返回 0

返回被回收的子进程的 pid。在被回收之前，结束的子进程是僵尸进程：内存已经
释放，只剩退出状态等父进程来取。waitid(idtype, id, infop, options) 做同样
的事，结果放在 siginfo_t 里，且 options 必须含 WEXITED。

常见错误
  - 像笔记那样用 WNOHANG 在死循环里轮询：白白占满一个 CPU；应该阻塞等待，
    或在两次轮询之间 sleep。
  - ECHILD：没有子进程了，或者 pid 不是本进程的子进程。`,
	}},
	{name: "exit", aliases: []string{"exit_group", "_exit"}, call: true, text: msg{
		en: `exit, exit_group — end the calling thread, or the whole process

  void _exit(int status);   /* the exit_group system call */

exit_group ends every thread of the process; exit ends only the calling
thread. The kernel unmaps every mapping and closes every fd; the low 8 bits
of status go to the parent, which gets SIGCHLD and reaps them with wait.
libc's exit() first runs atexit handlers and flushes stdio, then calls
exit_group.

Common mistakes
  - calling exit() in a forked child that does not exec: it flushes the
    stdio buffers it copied from the parent, so output appears twice. Use
    _exit() there.`,
		zh: `exit、exit_group —— 结束调用的线程，或整个进程

  void _exit(int status);   /* 即 exit_group 系统调用 */

exit_group 结束进程的所有线程；exit 只结束调用它的线程。内核解除所有映射、
关闭所有文件描述符；status 的低 8 位交给父进程，父进程收到 SIGCHLD，再用
wait 取回。libc 的 exit() 先执行 atexit 注册的函数、刷新 stdio 缓冲区，然后才
调用 exit_group。

常见错误
  - fork 出的子进程不 execve 却调用 exit()：会把从父进程复制来的 stdio 缓冲
    区再刷新一遍，输出出现两次。子进程里应使用 _exit()。`,
	}},
	{name: "unlink", aliases: []string{"unlinkat"}, call: true, text: msg{
		en: `unlink, unlinkat — remove a name from a directory

  int unlink(const char *path);
  int unlinkat(int dirfd, const char *path, int flags);  /* AT_REMOVEDIR */

A directory entry is a name and an inode number. unlink removes the name; the
file itself is freed once no name, no open fd and no mapping refers to it.
So a program can create a file, open and map it, then unlink it: the memory
stays shared with its children and disappears with the last of them. That
last munmap, close or exit frees the file and its data: nothing is left to
read back.

Common mistakes
  - unlink on a directory: EISDIR (use rmdir, or unlinkat with AT_REMOVEDIR).
  - no write permission on the directory: EACCES.`,
		zh: `unlink、unlinkat —— 删除目录中的一个名字

  int unlink(const char *path);
  int unlinkat(int dirfd, const char *path, int flags);  /* AT_REMOVEDIR */

目录项由文件名和 inode 编号组成。unlink 删除的是名字；等到没有任何名字、
打开的文件描述符或映射再引用这个文件时，文件本身才被释放。所以程序可以先
创建文件、打开并映射它，然后 unlink：这块内存照样与子进程共享，最后一个
进程结束时自动消失。最后那次 munmap、close 或进程退出会把文件连同数据一起
释放：再也读不回来。

常见错误
  - 对目录调用 unlink：EISDIR（要用 rmdir，或带 AT_REMOVEDIR 的 unlinkat）。
  - 对所在目录没有写权限：EACCES。`,
	}},
	{name: "kill", aliases: []string{"tgkill"}, call: true, text: msg{
		en: `kill, tgkill — send a signal

  int kill(pid_t pid, int sig);
  int tgkill(pid_t tgid, pid_t tid, int sig);

pid     > 0 that process; 0 every process in this process group; -1 every
        process the caller may signal; < -1 every process in group -pid
sig     0 sends nothing and only checks that the target exists

tgkill sends to one thread of one process (raise() uses it).

Common mistakes
  - ESRCH: no such process (it has ended and been reaped).
  - EPERM: the target belongs to another user.`,
		zh: `kill、tgkill —— 发送信号

  int kill(pid_t pid, int sig);
  int tgkill(pid_t tgid, pid_t tid, int sig);

pid     > 0 指定进程；0 本进程组的所有进程；-1 调用者有权发信号的所有进程；
        < -1 进程组 -pid 中的所有进程
sig     0 不发送任何信号，只检查目标是否存在

tgkill 发给某个进程的某个线程（raise() 就用它）。

常见错误
  - ESRCH：没有这个进程（已经结束并被回收）。
  - EPERM：目标属于其他用户。`,
	}},
	{name: "page", aliases: []string{"pages", "pagesize"}, text: msg{
		en: `page — the unit of memory mapping

The MMU maps memory in pages: {page} bytes here (4096 on x86-64; 4, 16 or
64 KiB on arm64). sysconf(_SC_PAGESIZE) says which. Everything mmap does
is in whole pages:
  - a mapping is rounded up: a 4-byte mapping is one {page}-byte page. Its
    other bytes exist: past the end of the file they read as zero, and a
    store there is seen through every mapping of that page but is not part
    of the file: read() stops at its end. If ftruncate then grows the file,
    the store may show in it: ext4 on Linux 6.1 shows it, on 6.18 reads
    zero there. Touching a page wholly past the end: SIGBUS.
  - the file offset must be a page multiple (EINVAL otherwise).
  - munmap, mprotect, msync and madvise want a page-aligned address.
  - pages arrive when first touched: mmap returns at once, and the kernel
    fills pages in at page faults. A read fault of a file mapping also maps
    the neighbouring pages already in the page cache (fault-around: reading
    16 cached pages can take 1 fault). Fault-around is for reads only:
    storing into 16 pages of a MAP_PRIVATE mapping takes 16 faults, each
    copying its page.
The notes say the minimum is 4K "because the MMU's unit is 4K": true of
x86-64's base pages, not of every machine.`,
		zh: `页 —— 映射的基本单位

MMU 以页为单位映射内存：本机一页是 {page} 字节（x86-64 上是 4096；arm64
上可能是 4、16 或 64 KiB），用 sysconf(_SC_PAGESIZE) 查询。mmap 的一切都以
整页计：
  - 映射向上取整：4 字节的映射就是一整页（{page} 字节）。页里其余的字节
    也存在：超出文件末尾的部分读出来是 0；写进去的内容，这一页的所有映射都
    看得到，但不属于文件：read() 只读到文件末尾。之后用 ftruncate 把文件变
    长，那些内容可能出现在文件里：Linux 6.1 的 ext4 上会出现，6.18 上读出来
    是 0。访问完全在文件末尾之后的页：SIGBUS。
  - 文件偏移量必须是页大小的整数倍（否则 EINVAL）。
  - munmap、mprotect、msync、madvise 要求地址按页对齐。
  - 页在第一次访问时才到来：mmap 立即返回，内核在缺页时才把页补上。文件
    映射的一次读缺页，还会顺带映射页缓存中已有的相邻页（fault-around：读
    16 个已缓存的页可能只缺页 1 次）。这只对读缺页有效：写入 MAP_PRIVATE
    映射的 16 页要缺页 16 次，每次复制一页。
笔记说最小单位是 4K，“因为 MMU 的最小单位就是 4K”：对 x86-64 的基本页
成立，但不是所有机器都如此。`,
	}},
	{name: "shared-vs-private", aliases: []string{"shared", "private", "cow", "copy-on-write", "anonymous"}, text: msg{
		en: `shared vs private — who sees a store

  MAP_SHARED, file       stores go to the file; every process mapping it
                         sees them, and so does read()
  MAP_PRIVATE, file      reads see the file; a store copies the page for this
                         process only (copy-on-write); the file never changes
  MAP_SHARED|MAP_ANONYMOUS, or MAP_SHARED of /dev/zero
                         zeroed memory with no file, shared with the children
                         forked after the mmap
  MAP_PRIVATE|MAP_ANONYMOUS
                         zeroed memory of this process alone (malloc uses it);
                         copy-on-write after a fork

Permissions follow from where stores go: a writable MAP_SHARED file mapping
needs a fd opened O_RDWR (EACCES otherwise), while a writable MAP_PRIVATE one
needs only a readable fd, since its stores never reach the file. The notes
say MAP_PRIVATE on a read-only fd gives a bus error: it does not; their bus
error came from touching a mapping past the end of an empty file.
MAP_ANONYMOUS is Linux's (BSDs spell it MAP_ANON); /dev/zero is the older,
portable way to the same shared memory.`,
		zh: `共享映射与私有映射 —— 写入谁能看到

  MAP_SHARED，文件       写入进入文件；所有映射它的进程都看得到，read() 也
                         读得到
  MAP_PRIVATE，文件      读到的是文件内容；写入时只为本进程复制该页（写时
                         复制），文件不会改变
  MAP_SHARED|MAP_ANONYMOUS，或以 MAP_SHARED 映射 /dev/zero
                         没有文件的清零内存，与 mmap 之后 fork 出的子进程共享
  MAP_PRIVATE|MAP_ANONYMOUS
                         本进程独有的清零内存（malloc 就用它）；fork 之后按
                         写时复制处理

权限取决于写入去向：可写的 MAP_SHARED 文件映射要求文件描述符以 O_RDWR 打开
（否则 EACCES）；可写的 MAP_PRIVATE 映射只要求文件描述符可读，因为写入永远
不会进入文件。笔记说只读的文件描述符配 MAP_PRIVATE 会出现总线错误：不会；
笔记看到的总线错误，来自访问空文件映射中超出文件末尾的部分。MAP_ANONYMOUS
是 Linux 的写法（BSD 写作 MAP_ANON）；映射 /dev/zero 是得到同样共享内存的
老办法，可移植。`,
	}},
	{name: "sigbus", aliases: []string{"bus-error", "SIGBUS"}, text: msg{
		en: `SIGBUS — a mapped page that cannot be supplied

mmap checks the arguments, not the file's size: mapping an empty file works.
The error comes when a page of a file mapping is touched that lies wholly
past the end of the file. No page of the file backs it, so the kernel sends
SIGBUS (BUS_ADRERR), whose default action kills the process ("Bus error").
The bytes after the end of the file in its last, partial page are fine:
they read as zero, and stores to them are not part of the file (read()
stops at its end).

How it happens: the file was created or emptied (O_TRUNC) and never given a
size; ftruncate failed and the program went on; another process shrank the
file. Fix: ftruncate the file to its size before touching the mapping.
Also SIGBUS: an I/O error reading the page, or a hardware memory error.
SIGSEGV is different: no mapping at that address, or one whose protection
forbids the access.`,
		zh: `SIGBUS —— 映射的页无法提供

mmap 只检查参数，不检查文件大小：映射空文件也会成功。错误发生在访问文件
映射中完全超出文件末尾的那些页时：没有文件页与之对应，内核发送 SIGBUS
（BUS_ADRERR），其默认动作是终止进程（“Bus error”，总线错误）。文件最后
一页中末尾之后的字节则没有问题：读出来是 0，写进去的内容也不属于文件
（read() 只读到文件末尾）。

常见成因：文件刚创建或被清空（O_TRUNC），却没有设定大小；ftruncate 失败了
程序却继续运行；别的进程把文件截短了。解决办法：访问映射之前先用 ftruncate
把文件设成需要的大小。读页时发生 I/O 错误或硬件内存错误也会引发 SIGBUS。
SIGSEGV 则不同：那个地址上没有映射，或映射的权限不允许这样访问。`,
	}},
	{name: "fd", aliases: []string{"fds", "file-descriptor"}, text: msg{
		en: `file descriptors — the small numbers open returns

A fd indexes the process's fd table. Each entry points to an open file (the
file, its access mode and its offset), which points to the file itself. open
returns the lowest free number; 0, 1 and 2 are stdin, stdout and stderr.
  - fork copies the table: both processes' fds point to the same open files
    and share their offsets.
  - execve keeps the fds, except those opened O_CLOEXEC.
  - the access mode limits mappings: a mapping needs a readable fd, and a
    writable MAP_SHARED mapping needs O_RDWR.
  - a mapping holds its own reference to the file: close the fd right after
    mmap, and the mapping keeps working.`,
		zh: `文件描述符 —— open 返回的那个小整数

文件描述符是进程文件描述符表的下标。表项指向一个“打开的文件”（记录文件
本身、访问模式和读写偏移量）。open 返回最小的空闲编号；0、1、2 是标准输入、
标准输出和标准错误。
  - fork 复制这张表：父子进程的文件描述符指向同样的打开文件，共享读写
    偏移量。
  - execve 保留文件描述符，以 O_CLOEXEC 打开的除外。
  - 访问模式限制映射：任何映射都要求文件描述符可读，可写的 MAP_SHARED
    映射要求 O_RDWR。
  - 映射自己持有对文件的引用：mmap 之后马上 close，映射照样可用。`,
	}},
	{name: "faults", aliases: []string{"page-fault", "page-faults", "fault"}, text: msg{
		en: `page faults — how mapped pages arrive

mmap only reserves addresses and records what backs them; it reads nothing.
The first touch of a page traps into the kernel: a page fault. The kernel
finds or makes the page, fills in the page table, and the instruction runs
again. This is demand paging.
  minor fault: served without I/O. The page was found in memory (the file's
               page cache, or shared memory another process touched
               first), or made on the spot: a fresh zero-filled page for
               anonymous memory, or a copy for a store to a copy-on-write
               page (MAP_PRIVATE, or any private page after a fork).
  major fault: the page was not in memory and had to be brought in, or
               allocated in the page cache. That is a disk read only if
               read_bytes in /proc/PID/io grew: a store into the new page
               of a file just made longer is major and reads nothing.
One fault can map more than one page: a read of a file page also maps its
neighbours that are in the page cache (fault-around).
mmtrace shows the faults each process took between two of its calls, and
where their pages went: how many pages each mapping the process made with
mmap gained (from /proc/PID/pagemap), and what kind (page cache,
zero-filled, copied on write), apart from the rest of the process (program,
libraries, stack, heap). A scenario shows only the faults that gave its
mappings pages; --faults shows them all. MAP_POPULATE and MADV_WILLNEED
bring pages in ahead.`,
		zh: `缺页 —— 映射的页是怎样到来的

mmap 只是预留地址、记下由什么来提供内容，什么都不读。第一次访问某一页时，
CPU 陷入内核：这就是缺页（page fault）。内核找到或造出这一页、填好页表，
然后重新执行那条指令。这就是按需调页。
  次缺页（minor）：不需要 I/O。页已在内存中（文件的页缓存，或别的进程先
                   访问过的共享内存），或当场造出：匿名内存得到一页新分配
                   并清零的页；写入写时复制的页（MAP_PRIVATE，或 fork 之后
                   的任何私有页）得到一份副本。
  主缺页（major）：页不在内存中，必须调入，或在页缓存中新分配。只有
                   /proc/PID/io 中的 read_bytes 增加了，才是读了磁盘：往刚
                   加长的文件的新页里写入是主缺页，却什么也不读。
一次缺页可以映射不止一页：读文件的一页时，内核会把页缓存中相邻的页一并映射
（fault-around）。mmtrace 显示每个进程在相邻两次系统调用之间发生的缺页，以及
这些页去了哪里：进程用 mmap 建立的每个映射多了几页（取自 /proc/PID/pagemap）、
是哪一种（页缓存、清零的新页、写时复制的副本），与进程的其他部分（程序、库、
栈、堆）分开。场景默认只显示让它的映射多出页的缺页；--faults 显示全部。
MAP_POPULATE 和 MADV_WILLNEED 可以提前把页调入。`,
	}},
}

// find returns the topic called name or one of its aliases.
func find(name string) *topic {
	for i := range topics {
		tp := &topics[i]
		if strings.EqualFold(tp.name, name) {
			return tp
		}
		for _, a := range tp.aliases {
			if strings.EqualFold(a, name) {
				return tp
			}
		}
	}
	return nil
}

// Topic returns the offline explanation of a call or a topic: a call's
// arguments, what each flag does and the common mistakes, or a concept of
// the lesson. Aliases work: openat gives open's text.
func Topic(lang Lang, name string) (string, bool) {
	tp := find(name)
	if tp == nil {
		return "", false
	}
	return topicText(lang, tp), true
}

func topicText(lang Lang, tp *topic) string {
	s := tp.text.in(lang)
	return strings.ReplaceAll(s, "{page}", fmt.Sprint(model.PageSize))
}

// Topics returns the names Topic knows, calls first, in the order List
// shows them; aliases are not included.
func Topics() []string {
	out := make([]string, len(topics))
	for i, tp := range topics {
		out[i] = tp.name
	}
	return out
}

// List returns what `mmtrace explain` prints with no argument: every call
// and topic with its summary.
func List(lang Lang) string {
	var b strings.Builder
	heads := [2]msg{
		{en: "Calls:", zh: "系统调用："},
		{en: "Topics:", zh: "主题："},
	}
	label := func(tp *topic) string {
		if tp.call {
			return strings.Join(append([]string{tp.name}, tp.aliases...), ", ")
		}
		return tp.name
	}
	wide := 0
	for i := range topics {
		wide = max(wide, len(label(&topics[i])))
	}
	for i, calls := range []bool{true, false} {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(heads[i].in(lang))
		b.WriteByte('\n')
		for j := range topics {
			tp := &topics[j]
			if tp.call != calls {
				continue
			}
			summary := strings.SplitN(tp.text.in(lang), "\n", 2)[0]
			if _, what, ok := strings.Cut(summary, " — "); ok {
				summary = what
			} else if _, what, ok := strings.Cut(summary, " —— "); ok {
				summary = what
			}
			fmt.Fprintf(&b, "  %-*s  %s\n", wide, label(tp), summary)
		}
	}
	return b.String()
}

// Suggest returns the known name closest to name, for "did you mean", or
// "" if none is close.
func Suggest(name string) string {
	name = strings.ToLower(name)
	best, bestD := "", 3
	for _, tp := range topics {
		for _, n := range append([]string{tp.name}, tp.aliases...) {
			ln := strings.ToLower(n)
			d := editdist.Levenshtein(name, ln)
			if len(name) >= 3 && (strings.HasPrefix(ln, name) || strings.HasPrefix(name, ln)) {
				d = min(d, 1)
			}
			if d < bestD {
				best, bestD = n, d
			}
		}
	}
	return best
}
