package explain

// msgID names a message of the catalog.
type msgID uint16

// The messages. Each is one note line (or a piece of one) in both
// languages; TestCatalog checks that both texts exist and use the same
// fields.
const (
	// Units and joiners.
	mPage1 msgID = iota
	mPages
	mByte1
	mBytes
	mMinor1
	mMinorN
	mFault1
	mFaultN
	mMajor1
	mMajorN
	mListSep
	mListAnd
	mFdItem
	mMapItem
	mFdsNone
	mMore

	// Words.
	mReadOnly
	mWriteOnly
	mReadWrite
	mAnonMemory
	mUnknownFile
	mDevZeroMapping
	mHeap
	mStack
	mKindChar
	mKindBlock
	mKindDir
	mKindFifo
	mKindSocket
	mKindOther

	// Page faults.
	mSincePrev
	mSinceFork
	mSinceStart
	mFaultsMinor
	mFaultsMajor
	mFaultsBoth
	mMajorWhat
	mDiskRead
	mDiskReadOver
	mDiskNone
	mGainLine
	mGainZero
	mGainShared
	mGainCache
	mGainCow
	mGainPlain
	mGainMore
	mGainRest
	mGainNone
	mResidentGrew

	// Generic.
	mFailed
	mInterrupted
	mInterruptedTraced
	mInterruptedTracedWhy
	mNotOpen
	mNoSuchFile
	mUnaligned
	mUnalignedHint
	mZeroLen
	mNotMapped

	// open, openat, creat.
	mOpen
	mOpenTrunc
	mOpenRO
	mOpenWO
	mOpenDevZero
	mOpenDevZeroCreat
	mOpenENOENT
	mOpenENOENTCreat
	mOpenEACCES
	mOpenEEXIST
	mOpenEISDIR
	mOpenEMFILE

	// close.
	mClose
	mCloseMapped
	mCloseEBADF

	// ftruncate, truncate.
	mTrunc
	mTruncZero
	mTruncDevice
	mTruncDevZero
	mTruncRO
	mTruncNeg

	// mmap.
	mRounded
	mMmapFile
	mMmapShared
	mMmapProtWriteOnly
	mMmapSharedRead
	mMmapPrivate
	mMmapPrivateRO
	mMmapEmpty
	mMmapPastEOF
	mMmapReplaced
	mMmapAnon
	mMmapAnonShared
	mMmapAnonPrivate
	mMmapReserve
	mMmapDevZero
	mMmapDevZeroShared
	mMmapDevZeroPrivate
	mMmapLib
	mMmapZeroLen
	mMmapBadOffset
	mMmapBadOffsetHint
	mMmapBadOffsetLibc
	mMmapFixedUnaligned
	mMmapNoType
	mMmapSharedRO
	mMmapSharedROFix
	mMmapWriteOnly
	mMmapEACCES
	mMmapEBADF
	mMmapENODEV
	mMmapENOMEM
	mMmapEPERM

	// munmap.
	mMunmap
	mMunmapSharedFile
	mMunmapSharedFileEOF
	mMunmapPrivateFile
	mMunmapStillShared
	mMunmapUnlinkedInUse
	mFreedUnlinked
	mMunmapNothing
	mMunmapAgain
	mMunmapHint

	// mprotect, msync, madvise, mremap.
	mMprotect
	mMprotectEACCES
	mMsync
	mMsyncSync
	mMsyncAsync
	mMsyncNote
	mMsyncNoFile
	mMadvise
	mAdvNormal
	mAdvRandom
	mAdvSequential
	mAdvWillneed
	mAdvDontneed
	mAdvFree
	mAdvDontfork
	mAdvDofork
	mAdvHugepage
	mAdvOther
	mMremap
	mMremapMoved
	mMremapENOMEM

	// lseek.
	mLseek

	// fork, vfork, clone, clone3.
	mFork
	mForkShared
	mForkCOW
	mThread
	mVfork
	mCloneVM
	mForkEAGAIN

	// execve, execveat.
	mExec
	mExecFds
	mExecEACCES
	mExecENOEXEC

	// wait4, waitid.
	mWaitExited
	mWaitKilled
	mWaitReaped
	mWaitNone
	mWaitECHILD
	mWaitid
	mWhyBus
	mWhySegv
	mWhySegvProt

	// exit, exit_group, and deaths.
	mExited
	mExitedFile
	mExitedFiles
	mExitedShared
	mStoresLiveOn
	mKilled
	mCore

	// unlink, unlinkat.
	mUnlink
	mUnlinkMapped
	mUnlinkEISDIR
	mUnlinkEACCES

	// kill, tgkill.
	mKill
	mKillProbe
	mKillESRCH
	mKillEPERM
	mTargetPid
	mTargetGroup
	mTargetPgid
	mTargetAll
	mTargetThread

	// Signals.
	mBusPastEOF
	mCauseTruncFailed
	mCauseEmptied
	mCauseShrunk
	mCauseNoSize
	mBusOther
	mBusNoMap
	mSegvUnmapped
	mSegvNull
	mCauseUnmapped
	mSegvProt
	mSigchld
	mHowExited
	mHowKilled
	mHowStopped
	mHowContinued
	mSigSent

	numMsgs
)

// catalog holds every message, English and Chinese side by side.
var catalog = [numMsgs]msg{
	mPage1:   {en: "{n} page", zh: "{n} 页"},
	mPages:   {en: "{n} pages", zh: "{n} 页"},
	mByte1:   {en: "{n} byte", zh: "{n} 字节"},
	mBytes:   {en: "{n} bytes", zh: "{n} 字节"},
	mFault1:  {en: "{n} page fault", zh: "缺页 {n} 次"},
	mFaultN:  {en: "{n} page faults", zh: "缺页 {n} 次"},
	mMinor1:  {en: "{n} minor page fault", zh: "次缺页 {n} 次"},
	mMinorN:  {en: "{n} minor page faults", zh: "次缺页 {n} 次"},
	mMajor1:  {en: "{n} major page fault", zh: "主缺页 {n} 次"},
	mMajorN:  {en: "{n} major page faults", zh: "主缺页 {n} 次"},
	mListSep: {en: ", ", zh: "、"},
	mListAnd: {en: "{a} and {b}", zh: "{a} 和 {b}"},
	mFdItem:  {en: "{fd} ({file})", zh: "{fd}（{file}）"},
	mMapItem: {en: "{name} ({pages})", zh: "{name}（{pages}）"},
	mFdsNone: {en: "none", zh: "无"},
	mMore:    {en: "{n} more", zh: "另外 {n} 个"},

	mReadOnly:       {en: "read-only", zh: "只读"},
	mWriteOnly:      {en: "write-only", zh: "只写"},
	mReadWrite:      {en: "read-write", zh: "读写"},
	mAnonMemory:     {en: "anonymous memory", zh: "匿名内存"},
	mUnknownFile:    {en: "a file the trace did not see", zh: "跟踪没有看到的某个文件"},
	mDevZeroMapping: {en: "the /dev/zero mapping", zh: "/dev/zero 映射"},
	mHeap:           {en: "the heap", zh: "堆"},
	mStack:          {en: "the stack", zh: "栈"},
	mKindChar:       {en: "character device", zh: "字符设备"},
	mKindBlock:      {en: "block device", zh: "块设备"},
	mKindDir:        {en: "directory", zh: "目录"},
	mKindFifo:       {en: "pipe", zh: "管道"},
	mKindSocket:     {en: "socket", zh: "套接字"},
	mKindOther:      {en: "special file", zh: "特殊文件"},
	mSincePrev:      {en: "since its previous call", zh: "自上一次系统调用以来"},
	mSinceFork:      {en: "since the fork", zh: "自 fork 以来"},
	mSinceStart:     {en: "since the trace began", zh: "自开始跟踪以来"},
	// A minor fault is served without I/O: a page found in memory, a
	// fresh zero-filled page, or a copy made for copy-on-write.
	mFaultsMinor: {en: "took {minor} {since}, served without I/O", zh: "{since}，{minor}，无需 I/O"},
	mFaultsMajor: {en: "took {major} {since}", zh: "{since}，{major}"},
	mFaultsBoth:  {en: "took {minor} and {major} {since}", zh: "{since}，{minor}，{major}"},
	// A major fault found no page in memory; it is a disk read only when
	// read_bytes of /proc/PID/io says so (a store into a new file's page
	// is major and reads nothing).
	mMajorWhat: {en: "major: the page was not in memory and had to be brought in or allocated in the page cache", zh: "主缺页：页不在内存中，必须调入，或在页缓存中新分配"},
	mDiskRead:  {en: "this process read {bytes} from disk (read_bytes)", zh: "本进程从磁盘读入了 {bytes}（read_bytes）"},
	// read_bytes is read at a major fault only: compared with the last
	// read, it may cover several calls, and says so.
	mDiskReadOver: {en: "this process read {bytes} from disk over its last {n} calls (read_bytes)", zh: "本进程在最近 {n} 次系统调用期间从磁盘读入了 {bytes}（read_bytes）"},
	mDiskNone:     {en: "this process read nothing from disk (read_bytes unchanged)", zh: "本进程没有从磁盘读入任何数据（read_bytes 未变）"},
	// Where the faults went: the pages each mapping made by the trace's
	// mmap calls gained, read from /proc/PID/pagemap.
	mGainLine:     {en: "{name}: {items}", zh: "{name}：{items}"},
	mGainZero:     {en: "{pages} mapped in, freshly zero-filled", zh: "映射进 {pages}，新分配并清零"},
	mGainShared:   {en: "{pages} of shared memory mapped in (zero-filled at the first touch by any sharer)", zh: "映射进 {pages} 共享内存（共享它的进程第一次访问时分配并清零）"},
	mGainCache:    {en: "{pages} of the page cache mapped in", zh: "映射进页缓存中的 {pages}"},
	mGainCow:      {en: "{pages} copied on write (this process's own copy; the file is unchanged)", zh: "写时复制了 {pages}（本进程自己的副本，文件不变）"},
	mGainPlain:    {en: "{pages} mapped in", zh: "映射进 {pages}"},
	mGainMore:     {en: "{n} more of the mappings it made gained pages", zh: "它建立的映射中另有 {n} 个多出了页"},
	mGainRest:     {en: "elsewhere (program, libraries, stack, heap): {pages} mapped in", zh: "其他部分（程序、库、栈、堆）：映射进 {pages}"},
	mGainNone:     {en: "the mappings it made with mmap gained no page", zh: "它用 mmap 建立的映射没有多出任何页"},
	mResidentGrew: {en: "its resident pages grew by {pages}", zh: "它的常驻内存增加了 {pages}"},

	mFailed:               {en: "{call} failed with {errno}; man 2 {call} lists its causes", zh: "{call} 失败，错误码 {errno}；可能的原因见 man 2 {call}"},
	mInterrupted:          {en: "interrupted by a signal: the call is restarted, or fails with EINTR", zh: "被信号打断：调用会自动重新执行，或以 EINTR 失败"},
	mInterruptedTraced:    {en: "interrupted only because the process is traced; the kernel restarts the call", zh: "只是因为进程正被跟踪才被打断；内核会自动重新执行这个调用"},
	mInterruptedTracedWhy: {en: "untraced, the kernel discards a {sig} the process does not catch, and the call goes on", zh: "不被跟踪时，进程不处理的 {sig} 会被内核直接丢弃，调用照常继续"},
	mNotOpen:              {en: "fd {fd} is not open", zh: "文件描述符 {fd} 没有打开"},
	mNoSuchFile:           {en: "{file} does not exist", zh: "{file} 不存在"},
	mUnaligned:            {en: "{addr} is not page-aligned: it is {off} into the page at {page}", zh: "{addr} 没有按页对齐：它位于 {page} 那一页内偏移 {off} 处"},
	mUnalignedHint:        {en: "{call} works on whole pages: pass a page-aligned address", zh: "{call} 以整页为单位：地址必须按页对齐"},
	mZeroLen:              {en: "length 0: {call} needs at least one byte", zh: "长度为 0：{call} 至少要 1 字节"},
	mNotMapped:            {en: "part of the {pages} from {addr} is not mapped", zh: "{addr} 起的 {pages} 中有一部分没有映射"},

	mOpen:            {en: "fd {fd} now refers to {file}, opened {access}", zh: "文件描述符 {fd} 现在指向 {file}（以{access}方式打开）"},
	mOpenTrunc:       {en: "O_TRUNC emptied it: give it a size (ftruncate) before touching a mapping of it", zh: "O_TRUNC 把它清空为 0 字节：访问它的映射之前，先用 ftruncate 设定大小"},
	mOpenRO:          {en: "read-only: a MAP_SHARED mapping of it cannot be writable (EACCES); a MAP_PRIVATE one can", zh: "只读：对它的 MAP_SHARED 映射不能可写（EACCES），MAP_PRIVATE 映射则可以"},
	mOpenWO:          {en: "write-only: mmap needs a readable fd, so any mapping of it fails with EACCES", zh: "只写：mmap 要求文件描述符可读，所以映射它总会以 EACCES 失败"},
	mOpenDevZero:     {en: "/dev/zero has no size and reads as zeros: mapped MAP_SHARED, it is memory shared with children", zh: "/dev/zero 没有大小，读出来全是 0：以 MAP_SHARED 映射，就得到可与子进程共享的内存"},
	mOpenENOENT:      {en: "{file} does not exist (without O_CREAT, {call} does not create it)", zh: "{file} 不存在（没有 O_CREAT 时，{call} 不会创建文件）"},
	mOpenENOENTCreat: {en: "a directory on the path to {file} does not exist", zh: "{file} 路径上的某个目录不存在"},
	mOpenEACCES:      {en: "permission denied: {file}'s mode, or a directory on its path, forbids opening it {access}", zh: "权限不足：{file} 的权限位或路径上的目录不允许以{access}方式打开它"},
	mOpenEEXIST:      {en: "{file} exists, and O_EXCL asked for a new file", zh: "{file} 已经存在，而 O_EXCL 要求新建文件"},
	mOpenEISDIR:      {en: "{file} is a directory: it cannot be opened for writing", zh: "{file} 是目录，不能以写方式打开"},
	mOpenEMFILE:      {en: "this process has too many open fds: close some first", zh: "本进程打开的文件描述符太多了：先关闭一些"},

	// The notes' open of /dev/zero, with their file program's flags.
	mOpenDevZeroCreat: {en: "O_CREAT and O_TRUNC do nothing here: /dev/zero exists, and a device has no contents to empty", zh: "O_CREAT 和 O_TRUNC 在这里不起作用：/dev/zero 本来就存在，设备也没有内容可清空"},

	mClose:       {en: "fd {fd} ({file}) closed", zh: "关闭了文件描述符 {fd}（{file}）"},
	mCloseMapped: {en: "fd {fd} ({file}) closed; the mapping at {addr} still works: it holds its own reference", zh: "关闭了文件描述符 {fd}（{file}）；{addr} 处的映射照常可用：映射自己持有对文件的引用"},
	mCloseEBADF:  {en: "fd {fd} is not open (closed already?)", zh: "文件描述符 {fd} 并没有打开（已经关闭过了？）"},

	mTrunc:        {en: "{file} is now {size} long: a mapping of it can touch {pages}, past that SIGBUS", zh: "{file} 的长度现在是 {size}：映射它时可以访问 {pages}，再往后访问会触发 SIGBUS"},
	mTruncZero:    {en: "{file} is now empty: no page of a mapping of it has the file behind it (SIGBUS)", zh: "{file} 现在为空：它的映射没有任何一页有文件内容对应（访问会触发 SIGBUS）"},
	mTruncDevice:  {en: "{file} is a {kind}, not a regular file: it has no size to set", zh: "{file} 是{kind}，不是普通文件，没有可以设置的大小"},
	mTruncDevZero: {en: "the notes' program exits on this error; mapping /dev/zero needs no size at all", zh: "笔记中的程序遇到这个错误就退出了；其实映射 /dev/zero 根本不需要设置大小"},
	mTruncRO:      {en: "fd {fd} was opened read-only: ftruncate needs a fd open for writing", zh: "文件描述符 {fd} 是以只读方式打开的：ftruncate 要求文件描述符以可写方式打开"},
	mTruncNeg:     {en: "the length {len} is negative", zh: "长度 {len} 是负数"},

	mRounded:            {en: " ({len} rounded up to pages)", zh: "（{len} 向上取整为整页）"},
	mMmapFile:           {en: "{pages} of {file} at {addr}, from offset {off}{rounded}", zh: "把 {file} 从偏移 {off} 起的 {pages} 映射到 {addr}{rounded}"},
	mMmapProtWriteOnly:  {en: "PROT_WRITE without PROT_READ: reads work all the same, the hardware has no write-only pages", zh: "只有 PROT_WRITE 没有 PROT_READ：照样能读，硬件没有只写的页"},
	mMmapShared:         {en: "MAP_SHARED: stores reach {file} itself and every process mapping it, no write() needed", zh: "MAP_SHARED：写入直接进入 {file} 本身，所有映射它的进程都看得到，无需 write()"},
	mMmapSharedRead:     {en: "MAP_SHARED, PROT_READ: it reads {file}'s own pages, the ones every process mapping it sees", zh: "MAP_SHARED、只读：读到的就是 {file} 自己的页，所有映射它的进程看到的都是这一份"},
	mMmapPrivate:        {en: "MAP_PRIVATE: reads see {file}; a store gets a private copy of the page (copy-on-write)", zh: "MAP_PRIVATE：读到的是 {file} 的内容；写入时先复制出私有的一页（写时复制），文件不变"},
	mMmapPrivateRO:      {en: "works although fd {fd} is read-only: stores go to private copies, never to {file}; no bus error", zh: "尽管文件描述符 {fd} 是只读的，照样成功：写入只进私有副本，不会写回 {file}；也不会有总线错误"},
	mMmapEmpty:          {en: "{file} is 0 bytes long: no page of the file backs this mapping, touching it raises SIGBUS", zh: "{file} 长度为 0：这个映射没有任何文件页对应，一访问就会触发 SIGBUS"},
	mMmapPastEOF:        {en: "{file} is {size} long: touching the mapping's last {pages} (past its end) raises SIGBUS", zh: "{file} 只有 {size}：映射的最后 {pages}在文件末尾之后，访问它们会触发 SIGBUS"},
	mMmapReplaced:       {en: "MAP_FIXED replaced what was mapped there: {what}", zh: "MAP_FIXED 替换了原来映射在那里的内容：{what}"},
	mMmapAnon:           {en: "{pages} of zeroed memory at {addr}, no file (fd -1){rounded}", zh: "在 {addr} 得到 {pages}清零的内存，没有文件（文件描述符为 -1）{rounded}"},
	mMmapAnonShared:     {en: "MAP_SHARED|MAP_ANONYMOUS: children forked from now on share these pages with this process", zh: "MAP_SHARED|MAP_ANONYMOUS：此后 fork 出的子进程与本进程共享这些页"},
	mMmapAnonPrivate:    {en: "{pages} of zeroed private memory at {addr}, no file; after a fork it is copy-on-write", zh: "在 {addr} 得到 {pages} 清零的私有内存，没有文件；fork 之后按写时复制处理"},
	mMmapReserve:        {en: "{pages} of address space reserved at {addr}: PROT_NONE, no access until mprotect", zh: "在 {addr} 预留了 {pages} 地址空间：PROT_NONE，mprotect 之前不能访问"},
	mMmapDevZero:        {en: "{pages} of zeroed memory at {addr}, from /dev/zero{rounded}", zh: "在 {addr} 得到 {pages} 来自 /dev/zero 的清零内存{rounded}"},
	mMmapDevZeroShared:  {en: "MAP_SHARED of /dev/zero is shared anonymous memory: children forked from now on share it", zh: "以 MAP_SHARED 映射 /dev/zero 就是共享匿名内存：此后 fork 出的子进程与本进程共享它"},
	mMmapDevZeroPrivate: {en: "MAP_PRIVATE of /dev/zero: private zeroed memory, as MAP_PRIVATE|MAP_ANONYMOUS gives", zh: "以 MAP_PRIVATE 映射 /dev/zero：得到私有的清零内存，与 MAP_PRIVATE|MAP_ANONYMOUS 相同"},
	mMmapLib:            {en: "the dynamic loader maps {file} ({pages}, private)", zh: "动态链接器映射 {file}（{pages}，私有映射）"},
	mMmapZeroLen:        {en: "length 0: a mapping needs at least one byte (any other length is rounded up to whole pages)", zh: "长度为 0：映射至少要 1 字节（其他长度都会向上取整为整页，不必是页大小的整数倍）"},
	mMmapBadOffset:      {en: "offset {off} is not a multiple of the page size {pagesize}: a mapping starts at a page of the file", zh: "偏移 {off} 不是页大小 {pagesize} 的整数倍：映射必须从文件的某一页开始"},
	mMmapBadOffsetHint:  {en: "{off} lies in the page at offset {lo}: map from {lo} and add {delta} to the address", zh: "{off} 落在从偏移 {lo} 开始的那一页里：从 {lo} 开始映射，再把地址加上 {delta}"},
	mMmapBadOffsetLibc:  {en: "from C this call is never made: glibc's mmap() returns EINVAL itself, so strace shows no mmap", zh: "C 程序根本不会发出这次调用：glibc 的 mmap() 自己就返回 EINVAL，strace 里看不到这一行 mmap"},
	mMmapFixedUnaligned: {en: "MAP_FIXED at {addr}, which is not page-aligned: a mapping starts on a page boundary", zh: "MAP_FIXED 指定的 {addr} 没有按页对齐：映射必须从页边界开始"},
	mMmapNoType:         {en: "flags must hold exactly one of MAP_SHARED and MAP_PRIVATE", zh: "flags 必须且只能包含 MAP_SHARED 和 MAP_PRIVATE 之一"},
	mMmapSharedRO:       {en: "fd {fd} was opened read-only, yet MAP_SHARED with PROT_WRITE asks that stores reach {file}", zh: "文件描述符 {fd} 是以只读方式打开的，而 MAP_SHARED 加 PROT_WRITE 要求把写入落到 {file} 上"},
	mMmapSharedROFix:    {en: "a mapping may not allow more than the open: open O_RDWR, drop PROT_WRITE, or use MAP_PRIVATE", zh: "映射的权限不能超过打开文件时的权限：改用 O_RDWR 打开、去掉 PROT_WRITE，或改用 MAP_PRIVATE"},
	mMmapWriteOnly:      {en: "fd {fd} ({file}) is write-only: a mapping always reads the file, so mmap needs a readable fd", zh: "文件描述符 {fd}（{file}）是以只写方式打开的：映射总要读文件，所以 mmap 要求文件描述符可读"},
	mMmapEACCES:         {en: "{file} cannot be mapped so: not a regular file, or fd {fd}'s access mode forbids it", zh: "不能这样映射 {file}：它不是普通文件，或文件描述符 {fd} 的访问模式不允许"},
	mMmapEBADF:          {en: "fd {fd} is not open (for memory with no file: MAP_ANONYMOUS and fd -1)", zh: "文件描述符 {fd} 没有打开（不需要文件的内存请用 MAP_ANONYMOUS，参数 fd 传 -1）"},
	mMmapENODEV:         {en: "{file} cannot be mapped: its file system or device does not support mmap", zh: "{file} 不能映射：它所在的文件系统或设备不支持 mmap"},
	mMmapENOMEM:         {en: "no room for {pages} more: the address space or a memory limit is full", zh: "容纳不下另外 {pages}：地址空间或内存限制已满"},
	mMmapEPERM:          {en: "not permitted: PROT_EXEC on a noexec mount, or a sealed file", zh: "不允许：在 noexec 挂载的文件系统上要求 PROT_EXEC，或文件已被密封（seal）"},

	mMunmap:              {en: "{pages} at {addr} unmapped: {what}{rounded}", zh: "{addr} 处的 {pages} 已解除映射：{what}{rounded}"},
	mMunmapSharedFile:    {en: "its stores are in {file} already: munmap loses nothing; msync only forces a disk write", zh: "通过它的写入早已进入 {file}：munmap 不会丢数据（msync 只是立即写回磁盘）"},
	mMunmapSharedFileEOF: {en: "its stores are in {file} already, up to its end ({size}): munmap loses nothing", zh: "通过它的写入早已进入 {file}（到文件末尾 {size} 为止）：munmap 不会丢数据"},
	mMunmapPrivateFile:   {en: "any private copies made by stores are dropped: {file} never saw them", zh: "写入产生的私有副本随之丢弃：{file} 从未看到这些修改"},
	mMunmapStillShared:   {en: "still mapped by {pids}: the memory lives on until the last of them unmaps it", zh: "{pids} 仍映射着这些页：直到最后一个映射解除，这块内存才会释放"},
	mMunmapUnlinkedInUse: {en: "{file} has no name left: its stores last only while a mapping or a fd still uses it", zh: "{file} 已经没有名字了：写入的内容只在还有映射或文件描述符使用它时才存在"},
	mFreedUnlinked:       {en: "{file} was unlinked and nothing traced uses it now: the file and its data are freed", zh: "{file} 已被 unlink，被跟踪的进程也都不再使用它：文件连同其中的数据随之释放"},
	mMunmapNothing:       {en: "nothing was mapped at {addr}: munmap succeeds all the same", zh: "{addr} 处本来就没有映射：munmap 照样成功"},
	mMunmapAgain:         {en: "{addr} was unmapped already, by an earlier munmap: unmapping it again does nothing", zh: "{addr} 早已被之前的 munmap 解除映射：再次 munmap 什么都不做"},
	mMunmapHint:          {en: "munmap takes any page-aligned address, not only mmap's; after p++, pass the original pointer", zh: "munmap 接受任何按页对齐的地址，不一定是 mmap 返回的那个；做过 p++ 的话，要传原来的指针"},

	mMprotect:       {en: "the protection of {pages} at {addr} ({what}) is now {prot}", zh: "{addr} 处的 {pages}（{what}）权限改为 {prot}"},
	mMprotectEACCES: {en: "PROT_WRITE on a MAP_SHARED mapping of {file}, whose fd was read-only: refused, as mmap would", zh: "对 {file} 的 MAP_SHARED 映射加 PROT_WRITE，但文件描述符是只读的：被拒绝，mmap 也会拒绝"},
	mMsync:          {en: "{file}'s {pages} at {addr}: {done}", zh: "{addr} 处 {file} 的 {pages}：{done}"},
	mMsyncSync:      {en: "on disk now (MS_SYNC waits for the writes)", zh: "已写回磁盘（MS_SYNC 会等到写完）"},
	mMsyncAsync:     {en: "to be written to disk soon (MS_ASYNC does not wait)", zh: "稍后写回磁盘（MS_ASYNC 不等待）"},
	mMsyncNote:      {en: "msync is about the disk: other processes saw the stores already", zh: "msync 只关系到磁盘：其他进程早已看到这些写入"},
	mMsyncNoFile:    {en: "nothing to write back: {what} is not a shared file mapping", zh: "没有要写回的：{what} 不是共享文件映射"},
	mMadvise:        {en: "{advice} on {pages} at {addr}: {meaning}", zh: "对 {addr} 处的 {pages} 使用 {advice}：{meaning}"},
	mAdvNormal:      {en: "back to the default read-ahead", zh: "恢复默认的预读"},
	mAdvRandom:      {en: "expect random access, read ahead less", zh: "预计随机访问，少预读"},
	mAdvSequential:  {en: "expect sequential access, read ahead more", zh: "预计顺序访问，多预读"},
	mAdvWillneed:    {en: "start reading these pages in now", zh: "现在就开始把这些页读进内存"},
	mAdvDontneed:    {en: "drop the pages: private anonymous ones come back zeroed, others from the file or shared memory", zh: "丢弃这些页：私有匿名页再访问时为 0，其他页从文件或共享内存重新读回"},
	mAdvFree:        {en: "the kernel may free these pages later, unless they are written again", zh: "之后若不再写入，内核可以随时回收这些页"},
	mAdvDontfork:    {en: "a fork will not hand these pages to the child", zh: "fork 时子进程不会继承这些页"},
	mAdvDofork:      {en: "a fork hands these pages to the child again", zh: "fork 时子进程重新继承这些页"},
	mAdvHugepage:    {en: "back these pages with huge pages where possible", zh: "尽量用大页来承载这些页"},
	mAdvOther:       {en: "a hint about how these pages will be used", zh: "告诉内核这些页将如何使用"},
	mMremap:         {en: "the mapping at {old} went from {from} to {to}", zh: "{old} 处的映射从 {from} 变为 {to}"},
	mMremapMoved:    {en: "the mapping at {old} went from {from} to {to}, and moved to {addr}", zh: "{old} 处的映射从 {from} 变为 {to}，并移到了 {addr}"},
	mMremapENOMEM:   {en: "cannot grow in place: the next pages are taken (MREMAP_MAYMOVE lets it move)", zh: "无法原地扩大：后面的地址已被占用（加 MREMAP_MAYMOVE 允许移动）"},

	mLseek: {en: "fd {fd} is at offset {off} of {file}: the open file's offset, shared with any child forked since", zh: "文件描述符 {fd} 在 {file} 中的偏移量为 {off}：它属于打开的文件，之后 fork 的子进程也共用它"},

	mFork:        {en: "child {child} inherits fds {fds}; program, libraries, stack: copy-on-write", zh: "子进程 {child} 继承了文件描述符 {fds}；程序、库、栈按写时复制共享"},
	mForkShared:  {en: "shared by {pids}: {maps}: stores are seen by all", zh: "由 {pids} 共享：{maps}：写入彼此可见"},
	mForkCOW:     {en: "copy-on-write (MAP_PRIVATE): {maps}: each process that stores gets its own copy", zh: "写时复制（MAP_PRIVATE）：{maps}：每个写入的进程都会得到自己的一份副本"},
	mThread:      {en: "new thread {child}: it shares this process's whole address space and fds", zh: "新线程 {child}：与本进程共享整个地址空间和全部文件描述符"},
	mVfork:       {en: "child {child} borrows this address space; the parent waits until it calls execve or exits", zh: "子进程 {child} 借用父进程的地址空间；父进程要等它 execve 或退出后才继续"},
	mCloneVM:     {en: "child {child} shares this address space (CLONE_VM): every store is seen by both", zh: "子进程 {child} 与本进程共享地址空间（CLONE_VM）：任何写入双方都看得到"},
	mForkEAGAIN:  {en: "no new process: a limit on processes (ulimit -u, pids.max) is reached", zh: "无法创建新进程：达到了进程数上限（ulimit -u 或 pids.max）"},
	mExec:        {en: "now runs {file}: every old mapping is gone, shared ones too (other processes keep theirs)", zh: "现在运行 {file}：原有映射全部消失，共享映射也一样（其他进程的映射不受影响）"},
	mExecFds:     {en: "still open in the new program (no O_CLOEXEC): fds {fds}", zh: "在新程序中仍然打开（未设 O_CLOEXEC）：文件描述符 {fds}"},
	mExecEACCES:  {en: "{file} is not executable: its mode, or a noexec mount, forbids it", zh: "{file} 不可执行：权限位或 noexec 挂载不允许"},
	mExecENOEXEC: {en: "{file} is not a program the kernel can run (no ELF header, no #! line)", zh: "{file} 不是内核能运行的程序（既不是 ELF，也没有 #! 行）"},

	mWaitExited:  {en: "reaped child {child}, which exited with status {code}", zh: "回收了子进程 {child}，它以状态 {code} 退出"},
	mWaitKilled:  {en: "reaped child {child}, killed by {sig}{why}", zh: "回收了子进程 {child}，它被 {sig} 信号终止{why}"},
	mWaitReaped:  {en: "reaped child {child}: its exit status is collected, the zombie is gone", zh: "回收了子进程 {child}：取回了它的退出状态，僵尸进程随之消失"},
	mWaitNone:    {en: "no child has ended yet: WNOHANG returns 0 at once instead of waiting", zh: "还没有子进程结束：WNOHANG 让调用立即返回 0，而不是阻塞等待"},
	mWaitECHILD:  {en: "no child to wait for: all are reaped, or this one is not a child of this process", zh: "没有可等待的子进程：都已回收，或者它不是本进程的子进程"},
	mWaitid:      {en: "a child changed state; waitid says which in the siginfo it fills in", zh: "有子进程状态改变；具体是哪个，waitid 写在它填的 siginfo 里"},
	mWhyBus:      {en: ": it touched {addr}, past the end of {file}", zh: "：它访问的 {addr} 超出了 {file} 的末尾"},
	mWhySegv:     {en: ": it touched {addr}, where nothing is mapped", zh: "：它访问的 {addr} 处没有映射"},
	mWhySegvProt: {en: ": it touched {addr}, which the protection {prot} forbids", zh: "：它对 {addr} 的访问违反了映射的权限 {prot}"},

	mExited:       {en: "exited with status {code}: its mappings are released, its fds closed; wait reaps it", zh: "以状态 {code} 退出：映射全部释放，文件描述符全部关闭；父进程用 wait 回收它"},
	mExitedFile:   {en: "exited with status {code}; its stores to {maps} are in the file", zh: "以状态 {code} 退出；它写入 {maps} 的内容已在文件中"},
	mExitedFiles:  {en: "exited with status {code}; its stores to {maps} are in the files", zh: "以状态 {code} 退出；它写入 {maps} 的内容已在这些文件中"},
	mExitedShared: {en: "exited with status {code}; its stores in {maps} stay, mapped by {pids}", zh: "以状态 {code} 退出；它写入 {maps} 的内容仍保留在内存中，{pids} 还映射着它"},
	mStoresLiveOn: {en: "its stores in {maps} stay, mapped by {pids}", zh: "它写入 {maps} 的内容仍保留在内存中，{pids} 还映射着它"},
	mKilled:       {en: "killed by {sig}{core}{why}", zh: "被 {sig} 信号终止{core}{why}"},
	mCore:         {en: " (core dumped)", zh: "（已生成核心转储）"},

	mUnlink:       {en: "the name {file} is gone; the file lives on while a fd or a mapping still uses it", zh: "目录项 {file} 已删除；只要还有文件描述符或映射在用，文件本身就还在"},
	mUnlinkMapped: {en: "the name {file} is gone; mapped by {pids}, its pages live on until munmap", zh: "目录项 {file} 已删除；{pids} 仍映射着它，munmap 之前它的页依然存在"},
	mUnlinkEISDIR: {en: "{file} is a directory: remove it with rmdir (or unlinkat with AT_REMOVEDIR)", zh: "{file} 是目录：要用 rmdir（或带 AT_REMOVEDIR 的 unlinkat）删除"},
	mUnlinkEACCES: {en: "no permission to remove names from the directory holding {file}", zh: "无权在 {file} 所在的目录中删除目录项"},

	mKill:         {en: "sent {sig} to {target}", zh: "向{target}发送了 {sig}"},
	mKillProbe:    {en: "signal 0 sends nothing: it checks that {target} exists", zh: "信号 0 不发送任何东西：只检查{target}是否存在"},
	mKillESRCH:    {en: "{target} does not exist: it has ended and been reaped", zh: "{target}不存在：它已经结束并被回收"},
	mKillEPERM:    {en: "not allowed to signal {target}: it belongs to another user", zh: "无权向{target}发信号：它属于其他用户"},
	mTargetPid:    {en: "process {pid}", zh: "进程 {pid} "},
	mTargetGroup:  {en: "every process in its process group", zh: "本进程组的所有进程"},
	mTargetPgid:   {en: "every process in process group {pid}", zh: "进程组 {pid} 中的所有进程"},
	mTargetAll:    {en: "every process it may signal", zh: "它有权发信号的所有进程"},
	mTargetThread: {en: "thread {tid} of process {pid}", zh: "进程 {pid} 的线程 {tid} "},

	mBusPastEOF:       {en: "{addr} is {off} into the mapping of {file}, which is {size} long", zh: "{addr} 位于 {file} 映射内偏移 {off} 处，而该文件只有 {size}"},
	mCauseTruncFailed: {en: "no page of the file backs it: ftruncate({fd}, {len}) failed earlier with {errno}", zh: "没有文件页对应这个地址：之前的 ftruncate({fd}, {len}) 以 {errno} 失败了"},
	mCauseEmptied:     {en: "no page of the file backs it: O_TRUNC emptied the file, and no ftruncate gave it a size", zh: "没有文件页对应这个地址：O_TRUNC 把文件清空了，之后也没有用 ftruncate 设定大小"},
	mCauseShrunk:      {en: "no page of the file backs it: ftruncate made the file {size} long, less than the mapping", zh: "没有文件页对应这个地址：ftruncate 把文件大小设成了 {size}，比映射短"},
	mCauseNoSize:      {en: "no page of the file backs it: give the file a size (ftruncate) before touching the mapping", zh: "没有文件页对应这个地址：访问映射前应先用 ftruncate 设定文件大小"},
	mBusOther:         {en: "{addr} is in {what}, but the kernel could not supply that page (I/O error?)", zh: "{addr} 位于 {what} 的映射中，但内核无法提供这一页（I/O 出错？）"},
	mBusNoMap:         {en: "{addr} is in no mapping the trace knows of", zh: "{addr} 不在跟踪所知的任何映射中"},
	mSegvUnmapped:     {en: "{addr} lies in no mapping of this process: there is nothing there to read or write", zh: "{addr} 不在本进程的任何映射中：那里没有可以读写的内存"},
	mSegvNull:         {en: "{addr} is next to address 0: a NULL pointer was used", zh: "{addr} 紧挨着地址 0：使用了空指针"},
	mCauseUnmapped:    {en: "a munmap earlier removed {what} from there", zh: "之前的 munmap 已经拆除了那里的 {what}"},
	mSegvProt:         {en: "{addr} is in {what}, mapped {prot}: this access is not allowed", zh: "{addr} 位于 {what} 的映射中，权限为 {prot}：不允许这样访问"},
	mSigchld:          {en: "child {child} {how}: the kernel tells the parent with SIGCHLD", zh: "子进程 {child} {how}：内核用 SIGCHLD 通知父进程"},
	mHowExited:        {en: "exited with status {code}", zh: "以状态 {code} 退出"},
	mHowKilled:        {en: "was killed by {sig}", zh: "被 {sig} 信号终止"},
	mHowStopped:       {en: "stopped", zh: "暂停了"},
	mHowContinued:     {en: "continued", zh: "继续运行"},
	mSigSent:          {en: "{sig} sent by process {pid}", zh: "{sig} 由进程 {pid} 发送"},
}
