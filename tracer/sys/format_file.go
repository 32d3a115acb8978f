package sys

import (
	"strings"

	"golang.org/x/sys/unix"
)

// The argument kinds of the calls on files and directories beyond open
// and stat: access modes, links, owners, the stat family's other structs,
// directory listings, locks, and the calls that move data between fds.

// accessModes is access_modes: F_OK is zero.
var accessModes = flagSet{"?_OK", []flag{
	{0, "F_OK"},
	{unix.R_OK, "R_OK"},
	{unix.W_OK, "W_OK"},
	{unix.X_OK, "X_OK"},
}}

// faccessatFlags is faccessat_flags: AT_EACCESS shares AT_REMOVEDIR's
// value, so it has a table of its own.
var faccessatFlags = flagSet{"AT_???", []flag{
	{unix.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"},
	{unix.AT_EACCESS, "AT_EACCESS"},
	{unix.AT_EMPTY_PATH, "AT_EMPTY_PATH"},
}}

// renameFlags is rename_flags; strace 6.1's placeholder has two question
// marks.
var renameFlags = flagSet{"RENAME_??", []flag{
	{unix.RENAME_NOREPLACE, "RENAME_NOREPLACE"},
	{unix.RENAME_EXCHANGE, "RENAME_EXCHANGE"},
	{unix.RENAME_WHITEOUT, "RENAME_WHITEOUT"},
}}

// fallocFlags is falloc_flags.
var fallocFlags = flagSet{"FALLOC_FL_???", []flag{
	{unix.FALLOC_FL_KEEP_SIZE, "FALLOC_FL_KEEP_SIZE"},
	{unix.FALLOC_FL_PUNCH_HOLE, "FALLOC_FL_PUNCH_HOLE"},
	{unix.FALLOC_FL_NO_HIDE_STALE, "FALLOC_FL_NO_HIDE_STALE"},
	{unix.FALLOC_FL_COLLAPSE_RANGE, "FALLOC_FL_COLLAPSE_RANGE"},
	{unix.FALLOC_FL_ZERO_RANGE, "FALLOC_FL_ZERO_RANGE"},
	{unix.FALLOC_FL_INSERT_RANGE, "FALLOC_FL_INSERT_RANGE"},
	{unix.FALLOC_FL_UNSHARE_RANGE, "FALLOC_FL_UNSHARE_RANGE"},
}}

// flockOps is flockcmds; LOCK_RW, both of its bits, comes before them.
var flockOps = flagSet{"LOCK_???", []flag{
	{unix.LOCK_SH, "LOCK_SH"},
	{unix.LOCK_EX, "LOCK_EX"},
	{unix.LOCK_NB, "LOCK_NB"},
	{unix.LOCK_UN, "LOCK_UN"},
	{32, "LOCK_MAND"},
	{0xc0, "LOCK_RW"},
	{0x40, "LOCK_READ"},
	{0x80, "LOCK_WRITE"},
}}

// spliceFlags is splice_flags, for splice, tee and vmsplice.
var spliceFlags = flagSet{"SPLICE_F_???", []flag{
	{unix.SPLICE_F_MOVE, "SPLICE_F_MOVE"},
	{unix.SPLICE_F_NONBLOCK, "SPLICE_F_NONBLOCK"},
	{unix.SPLICE_F_MORE, "SPLICE_F_MORE"},
	{unix.SPLICE_F_GIFT, "SPLICE_F_GIFT"},
}}

// closeRangeFlags is close_range_flags.
var closeRangeFlags = flagSet{"CLOSE_RANGE_???", []flag{
	{unix.CLOSE_RANGE_UNSHARE, "CLOSE_RANGE_UNSHARE"},
	{unix.CLOSE_RANGE_CLOEXEC, "CLOSE_RANGE_CLOEXEC"},
}}

// fadviseAdvice is advise: one value.
var fadviseAdvice = flagSet{"POSIX_FADV_???", []flag{
	{unix.FADV_NORMAL, "POSIX_FADV_NORMAL"},
	{unix.FADV_RANDOM, "POSIX_FADV_RANDOM"},
	{unix.FADV_SEQUENTIAL, "POSIX_FADV_SEQUENTIAL"},
	{unix.FADV_WILLNEED, "POSIX_FADV_WILLNEED"},
	{unix.FADV_DONTNEED, "POSIX_FADV_DONTNEED"},
	{unix.FADV_NOREUSE, "POSIX_FADV_NOREUSE"},
}}

// memfdFlags is memfd_create_flags as strace 6.1 knows them: not
// MFD_NOEXEC_SEAL or MFD_EXEC, which came later.
var memfdFlags = flagSet{"MFD_???", []flag{
	{unix.MFD_CLOEXEC, "MFD_CLOEXEC"},
	{unix.MFD_ALLOW_SEALING, "MFD_ALLOW_SEALING"},
	{unix.MFD_HUGETLB, "MFD_HUGETLB"},
}}

// memfdHugeMask covers the huge page size in memfd_create's flags, as in
// mmap's.
const memfdHugeMask = unix.MFD_HUGE_MASK << unix.MFD_HUGE_SHIFT

// memfdFlagsText formats memfd_create's flags as strace does: the flags,
// then the huge page size as 21<<MFD_HUGE_SHIFT.
func memfdFlagsText(v uint64) string {
	v = uint64(uint32(v))
	huge := v & memfdHugeMask
	rest := v &^ memfdHugeMask
	s := ""
	if rest != 0 || huge == 0 {
		s = memfdFlags.flags(rest)
	}
	if huge != 0 {
		if rest != 0 {
			s += "|"
		}
		s += udec(huge>>unix.MFD_HUGE_SHIFT) + "<<MFD_HUGE_SHIFT"
	}
	return s
}

// statxSyncTypes names the AT_STATX_SYNC_TYPE bits of statx's flags, which
// strace prints first: zero is AT_STATX_SYNC_AS_STAT.
var statxSyncTypes = flagSet{"AT_STATX_???", []flag{
	{unix.AT_STATX_SYNC_AS_STAT, "AT_STATX_SYNC_AS_STAT"},
	{unix.AT_STATX_FORCE_SYNC, "AT_STATX_FORCE_SYNC"},
	{unix.AT_STATX_DONT_SYNC, "AT_STATX_DONT_SYNC"},
}}

// statxFlagsText formats statx's flags: the sync type, then the AT_
// flags.
func statxFlagsText(v uint64) string { return statxFlagsIn(nil, v) }

// statxFlagsIn is statxFlagsText in o's -X style, the two parts each in
// it: with -X verbose 0 /* AT_STATX_SYNC_AS_STAT */|0x100 /*
// AT_SYMLINK_NOFOLLOW */ as strace prints it. With -X raw, strace 6.1
// prints a zero sync type as nothing at all (its printflags has no
// placeholder for it), so that flags of 0x900 print as "|0x900" and flags
// of 0 leave the argument empty; mmtrace prints the same, for a
// line-for-line comparison with strace.
func statxFlagsIn(o *Options, v uint64) string {
	v = uint64(uint32(v))
	const syncType = unix.AT_STATX_FORCE_SYNC | unix.AT_STATX_DONT_SYNC
	if o.xlat() == XlatRaw {
		s := ""
		if v&syncType != 0 {
			s = hexNum(v & syncType)
		}
		if rest := v &^ syncType; rest != 0 {
			s += "|" + hexNum(rest)
		}
		return s
	}
	s := o.styledHex(v&syncType, statxSyncTypes.flags(v&syncType))
	if rest := v &^ syncType; rest != 0 {
		named, _ := atFlags.bits(rest)
		s += "|" + o.styledHex(rest, named)
	}
	return s
}

// statxMask is statx_masks as strace 6.1 knows them: the two sets first,
// so that a mask holding one prints as its name.
var statxMask = flagSet{"STATX_???", []flag{
	{unix.STATX_ALL, "STATX_ALL"},
	{unix.STATX_BASIC_STATS, "STATX_BASIC_STATS"},
	{unix.STATX_TYPE, "STATX_TYPE"},
	{unix.STATX_MODE, "STATX_MODE"},
	{unix.STATX_NLINK, "STATX_NLINK"},
	{unix.STATX_UID, "STATX_UID"},
	{unix.STATX_GID, "STATX_GID"},
	{unix.STATX_ATIME, "STATX_ATIME"},
	{unix.STATX_MTIME, "STATX_MTIME"},
	{unix.STATX_CTIME, "STATX_CTIME"},
	{unix.STATX_INO, "STATX_INO"},
	{unix.STATX_SIZE, "STATX_SIZE"},
	{unix.STATX_BLOCKS, "STATX_BLOCKS"},
	{unix.STATX_BTIME, "STATX_BTIME"},
	{unix.STATX_MNT_ID, "STATX_MNT_ID"},
	{unix.STATX_DIOALIGN, "STATX_DIOALIGN"},
}}

// statxAttrs is statx_attrs as strace 6.1 knows them.
var statxAttrs = flagSet{"STATX_ATTR_???", []flag{
	{unix.STATX_ATTR_COMPRESSED, "STATX_ATTR_COMPRESSED"},
	{unix.STATX_ATTR_IMMUTABLE, "STATX_ATTR_IMMUTABLE"},
	{unix.STATX_ATTR_APPEND, "STATX_ATTR_APPEND"},
	{unix.STATX_ATTR_NODUMP, "STATX_ATTR_NODUMP"},
	{unix.STATX_ATTR_ENCRYPTED, "STATX_ATTR_ENCRYPTED"},
	{unix.STATX_ATTR_AUTOMOUNT, "STATX_ATTR_AUTOMOUNT"},
	{unix.STATX_ATTR_MOUNT_ROOT, "STATX_ATTR_MOUNT_ROOT"},
	{unix.STATX_ATTR_VERITY, "STATX_ATTR_VERITY"},
	{unix.STATX_ATTR_DAX, "STATX_ATTR_DAX"},
}}

// statxSize is sizeof(struct statx).
const statxSize = 256

// statxText formats a struct statx as strace does without -v.
func statxText(b []byte) string { return statxIn(nil, b) }

// The struct statx mask bits that say which optional fields strace -v
// prints.
const (
	statxAtime    = 0x20
	statxMtime    = 0x40
	statxCtime    = 0x80
	statxBtime    = 0x800
	statxMntID    = 0x1000
	statxDioalign = 0x2000
)

// statxIn is statxText in o's style: its constants by -X, and with -v
// every field in strace 6.1's order: the times, the mount id and the
// direct I/O alignments only when stx_mask says the kernel filled them.
func statxIn(o *Options, b []byte) string {
	u32 := func(off int) string { return udec(uint64(le.Uint32(b[off:]))) }
	u64 := func(off int) string { return udec(le.Uint64(b[off:])) }
	mask := uint64(le.Uint32(b[0:]))
	attrs := le.Uint64(b[8:])
	mode := uint32(le.Uint16(b[28:]))
	s := "{stx_mask=" + o.styledHex(mask, statxMask.flags(mask))
	if o.verbose() {
		s += ", stx_blksize=" + u32(4)
	}
	s += ", stx_attributes=" + o.styledHex(attrs, statxAttrs.flags(attrs))
	if o.verbose() {
		s += ", stx_nlink=" + u32(16) + ", stx_uid=" + u32(20) + ", stx_gid=" + u32(24)
	}
	s += ", stx_mode=" + o.styledOct(uint64(mode), symbolicMode(mode))
	if !o.verbose() {
		return s + ", stx_size=" + u64(40) + ", ...}"
	}
	amask := le.Uint64(b[56:])
	s += ", stx_ino=" + u64(32) + ", stx_size=" + u64(40) + ", stx_blocks=" + u64(48) +
		", stx_attributes_mask=" + o.styledHex(amask, statxAttrs.flags(amask))
	ts := func(name string, off int) string {
		sec, nsec := int64(le.Uint64(b[off:])), uint64(le.Uint32(b[off+8:]))
		return ", " + name + "={tv_sec=" + sdec(sec) + ", tv_nsec=" + udec(nsec) + "}" + dateComment(sec, nsec)
	}
	for _, t := range [...]struct {
		bit  uint64
		name string
		off  int
	}{{statxAtime, "stx_atime", 64}, {statxBtime, "stx_btime", 80}, {statxCtime, "stx_ctime", 96}, {statxMtime, "stx_mtime", 112}} {
		if mask&t.bit != 0 {
			s += ts(t.name, t.off)
		}
	}
	s += ", stx_rdev_major=" + u32(128) + ", stx_rdev_minor=" + u32(132) +
		", stx_dev_major=" + u32(136) + ", stx_dev_minor=" + u32(140)
	if mask&statxMntID != 0 {
		s += ", stx_mnt_id=" + hexNum(le.Uint64(b[144:]))
	}
	if mask&statxDioalign != 0 {
		s += ", stx_dio_mem_align=" + u32(152) + ", stx_dio_offset_align=" + u32(156)
	}
	return s + "}"
}

// statfsSize is sizeof(struct statfs) on x86_64 and aarch64.
const statfsSize = 120

// statfsFlags is statfs_flags: ST_VALID first, as strace prints it.
var statfsFlags = flagSet{"ST_???", []flag{
	{0x20, "ST_VALID"},
	{unix.ST_RDONLY, "ST_RDONLY"},
	{unix.ST_NOSUID, "ST_NOSUID"},
	{unix.ST_NODEV, "ST_NODEV"},
	{unix.ST_NOEXEC, "ST_NOEXEC"},
	{unix.ST_SYNCHRONOUS, "ST_SYNCHRONOUS"},
	{unix.ST_MANDLOCK, "ST_MANDLOCK"},
	{unix.ST_NOATIME, "ST_NOATIME"},
	{unix.ST_NODIRATIME, "ST_NODIRATIME"},
	{unix.ST_RELATIME, "ST_RELATIME"},
	{0x2000, "ST_NOSYMFOLLOW"},
}}

// statfsText formats a struct statfs as strace does: every field, f_type
// by name, and f_flags when ST_VALID says they are there.
func statfsText(b []byte) string {
	u := func(off int) string { return udec(le.Uint64(b[off:])) }
	s := "{f_type=" + fsMagicName(le.Uint64(b[0:])) +
		", f_bsize=" + u(8) + ", f_blocks=" + u(16) + ", f_bfree=" + u(24) +
		", f_bavail=" + u(32) + ", f_files=" + u(40) + ", f_ffree=" + u(48) +
		", f_fsid={val=[" + hexNum(uint64(le.Uint32(b[56:]))) + ", " + hexNum(uint64(le.Uint32(b[60:]))) + "]}" +
		", f_namelen=" + u(64) + ", f_frsize=" + u(72)
	if flags := le.Uint64(b[80:]); flags&0x20 != 0 {
		s += ", f_flags=" + statfsFlags.flags(flags)
	}
	return s + "}"
}

// fsMagicName names a file system magic number, or prints it in hex.
func fsMagicName(v uint64) string {
	if name, ok := fsMagic.lookup(v); ok {
		return name
	}
	return hexNum(v)
}

// fsMagic is fsmagic: the magic numbers of <linux/magic.h> and a few
// others, by the kernel's names.
var fsMagic = flagSet{"", []flag{
	{0x2f, "QNX4_SUPER_MAGIC"}, {0x33, "Z3FOLD_MAGIC"}, {0x187, "AUTOFS_SUPER_MAGIC"},
	{0x1373, "DEVFS_SUPER_MAGIC"}, {0x137d, "EXT_SUPER_MAGIC"}, {0x137f, "MINIX_SUPER_MAGIC"},
	{0x138f, "MINIX_SUPER_MAGIC2"}, {0x1cd1, "DEVPTS_SUPER_MAGIC"}, {0x2468, "MINIX2_SUPER_MAGIC"},
	{0x2478, "MINIX2_SUPER_MAGIC2"}, {0x3434, "NILFS_SUPER_MAGIC"}, {0x4244, "HFS_SUPER_MAGIC"},
	{0x482b, "HFSPLUS_SUPER_MAGIC"}, {0x4d44, "MSDOS_SUPER_MAGIC"}, {0x4d5a, "MINIX3_SUPER_MAGIC"},
	{0x517b, "SMB_SUPER_MAGIC"}, {0x564c, "NCP_SUPER_MAGIC"}, {0x5df5, "EXOFS_SUPER_MAGIC"},
	{0x6969, "NFS_SUPER_MAGIC"}, {0x7275, "ROMFS_MAGIC"}, {0x72b6, "JFFS2_SUPER_MAGIC"},
	{0x9660, "ISOFS_SUPER_MAGIC"}, {0x9fa0, "PROC_SUPER_MAGIC"}, {0x9fa1, "OPENPROM_SUPER_MAGIC"},
	{0x9fa2, "USBDEVICE_SUPER_MAGIC"}, {0xadf5, "ADFS_SUPER_MAGIC"}, {0xadff, "AFFS_SUPER_MAGIC"},
	{0xef51, "EXT2_OLD_SUPER_MAGIC"}, {0xef53, "EXT2_SUPER_MAGIC"}, {0xf15f, "ECRYPTFS_SUPER_MAGIC"},
	{0x11954, "UFS_MAGIC"}, {0x27e0eb, "CGROUP_SUPER_MAGIC"}, {0x414a53, "EFS_SUPER_MAGIC"},
	{0xc0ffee, "HOSTFS_SUPER_MAGIC"}, {0xc36400, "CEPH_SUPER_MAGIC"}, {0x1021994, "TMPFS_MAGIC"},
	{0x1021997, "V9FS_MAGIC"}, {0x1161970, "GFS2_MAGIC"}, {0x12fd16d, "XIAFS_SUPER_MAGIC"},
	{0x12ff7b4, "XENIX_SUPER_MAGIC"}, {0x12ff7b5, "SYSV4_SUPER_MAGIC"}, {0x12ff7b6, "SYSV2_SUPER_MAGIC"},
	{0x12ff7b7, "COH_SUPER_MAGIC"}, {0x2011994, "SHMFS_SUPER_MAGIC"}, {0x9041934, "ANON_INODE_FS_MAGIC"},
	{0xbad1dea, "FUTEXFS_SUPER_MAGIC"}, {0xbd00bd0, "LL_SUPER_MAGIC"}, {0xbd00bd1, "LUSTRE_SUPER_MAGIC"},
	{0x11307854, "MTD_INODE_FS_MAGIC"}, {0x13661366, "BALLOON_KVM_MAGIC"}, {0x15013346, "UDF_SUPER_MAGIC"},
	{0x1badface, "BFS_MAGIC"}, {0x2011bab0, "EXFAT_SUPER_MAGIC"}, {0x24051905, "UBIFS_SUPER_MAGIC"},
	{0x28cd3d45, "CRAMFS_MAGIC"}, {0x2fc12fc1, "ZFS_SUPER_MAGIC"}, {0x3153464a, "JFS_SUPER_MAGIC"},
	{0x42465331, "BEFS_SUPER_MAGIC"}, {0x42494e4d, "BINFMTFS_MAGIC"}, {0x43415d53, "SMACK_MAGIC"},
	{0x444d4142, "DMA_BUF_MAGIC"}, {0x453dcd28, "CRAMFS_MAGIC_WEND"}, {0x454d444d, "DEVMEM_MAGIC"},
	{0x47504653, "GPFS_SUPER_MAGIC"}, {0x50495045, "PIPEFS_MAGIC"}, {0x52654973, "REISERFS_SUPER_MAGIC"},
	{0x5345434d, "SECRETMEM_MAGIC"}, {0x5346414f, "AFS_SUPER_MAGIC"}, {0x5346544e, "NTFS_SB_MAGIC"},
	{0x534f434b, "SOCKFS_MAGIC"}, {0x54190100, "UFS_CIGAM"}, {0x565a4653, "VZFS_SUPER_MAGIC"},
	{0x57ac6e9d, "STACK_END_MAGIC"}, {0x58295829, "ZSMALLOC_MAGIC"}, {0x58465342, "XFS_SUPER_MAGIC"},
	{0x5a3c69f0, "AAFS_MAGIC"}, {0x5a4f4653, "ZONEFS_MAGIC"}, {0x6165676c, "PSTOREFS_MAGIC"},
	{0x61756673, "AUFS_SUPER_MAGIC"}, {0x62646576, "BDEVFS_MAGIC"}, {0x62656570, "CONFIGFS_MAGIC"},
	{0x62656572, "SYSFS_MAGIC"}, {0x63677270, "CGROUP2_SUPER_MAGIC"}, {0x64626720, "DEBUGFS_MAGIC"},
	{0x64646178, "DAXFS_MAGIC"}, {0x65735543, "FUSE_CTL_SUPER_MAGIC"}, {0x65735546, "FUSE_SUPER_MAGIC"},
	{0x68191122, "QNX6_SUPER_MAGIC"}, {0x6b414653, "AFS_FS_MAGIC"}, {0x6c6f6f70, "BINDERFS_SUPER_MAGIC"},
	{0x6e736673, "NSFS_MAGIC"}, {0x73636673, "SECURITYFS_MAGIC"}, {0x73717368, "SQUASHFS_MAGIC"},
	{0x73727279, "BTRFS_TEST_MAGIC"}, {0x73757245, "CODA_SUPER_MAGIC"}, {0x7461636f, "OCFS2_SUPER_MAGIC"},
	{0x74726163, "TRACEFS_MAGIC"}, {0x794c7630, "OVERLAYFS_SUPER_MAGIC"}, {0x858458f6, "RAMFS_MAGIC"},
	{0x9123683e, "BTRFS_SUPER_MAGIC"}, {0x958458f6, "HUGETLBFS_MAGIC"}, {0xa501fcf5, "VXFS_SUPER_MAGIC"},
	{0xabba1974, "XENFS_SUPER_MAGIC"}, {0xc7571590, "PPC_CMM_MAGIC"}, {0xc97e8168, "LOGFS_MAGIC"},
	{0xcafe4a11, "BPF_FS_MAGIC"}, {0xde5e81e4, "EFIVARFS_MAGIC"}, {0xe0f5e1e2, "EROFS_SUPER_MAGIC_V1"},
	{0xf2f52010, "F2FS_SUPER_MAGIC"}, {0xf97cff8c, "SELINUX_MAGIC"}, {0xf995e849, "HPFS_SUPER_MAGIC"},
	{0xfe534d42, "SMB2_SUPER_MAGIC"}, {0xff534d42, "CIFS_SUPER_MAGIC"},
}}

// direntsText formats a getdents buffer as strace does without -v: its
// address and how many entries the kernel wrote, counted by walking
// d_reclen through the n bytes the call returned. header is the size of
// an entry before its name; reclen is where d_reclen is.
func direntsText(mem Memory, a, n uint64, header, reclen uint64) string {
	s := ptr(a)
	count := 0
	note := ""
	for n >= header {
		b, ok := readFull(mem, a, header)
		if !ok {
			break
		}
		count++
		r := uint64(le.Uint16(b[reclen:]))
		switch {
		case r > n:
			note += " /* d_reclen " + udec(r-n) + " bytes overflow */"
			r = n
		case r < header:
			note += " /* d_reclen " + udec(header-r) + " bytes underflow */"
			r = header
		}
		n -= r
		if n == 0 || a+r < a {
			break
		}
		a += r
	}
	plus := ""
	if n != 0 {
		plus = "+"
	}
	return s + note + " /* " + udec(uint64(count)) + plus + " entries */"
}

// The header sizes of struct linux_dirent64 and struct linux_dirent: two
// longs and d_reclen, and d_type for the first.
const (
	dirent64Header = 19
	direntHeader   = 18
	direntReclen   = 16
)

// The argument kinds of this file.
var (
	// AccessMode prints access's mode: R_OK|W_OK, F_OK.
	AccessMode = flagsArg(&accessModes)
	// FaccessatFlags prints faccessat2's flags.
	FaccessatFlags = flagsArg(&faccessatFlags)
	// RenameFlags prints renameat2's flags.
	RenameFlags = flagsArg(&renameFlags)
	// FallocFlags prints fallocate's mode.
	FallocFlags = flagsArg(&fallocFlags)
	// FlockOp prints flock's operation.
	FlockOp = flagsArg(&flockOps)
	// SpliceFlags prints the flags of splice, tee and vmsplice.
	SpliceFlags = flagsArg(&spliceFlags)
	// CloseRangeFlags prints close_range's flags.
	CloseRangeFlags = flagsArg(&closeRangeFlags)
	// FadviseAdvice prints fadvise64's advice.
	FadviseAdvice = xvalArg(&fadviseAdvice)
	// MemfdFlags prints memfd_create's flags.
	MemfdFlags = named(val(memfdFlagsText), hex32)
	// PipeFlags prints pipe2's flags: open flags.
	PipeFlags = Dup3Flags
	// Umask prints umask's mask as strace's print_numeric_umode_t: 022.
	Umask = Mode
	// Str prints a NUL-terminated string cut at the string limit:
	// memfd_create's name, prctl's thread name.
	Str = Arg{text: func(d *decoder, i int) string { return cstring(d.mem, d.arg(i), d.limit) }}

	// StatxFlags prints statx's flags: the sync type, then the AT_ flags.
	StatxFlags = Arg{text: func(d *decoder, i int) string { return statxFlagsIn(d.opt, d.arg(i)) }}
	// StatxMask prints statx's mask.
	StatxMask = flagsArg(&statxMask)
	// Statx prints the struct statx a call filled in.
	Statx = fetchedN(statxSize, func(d *decoder, b []byte) string { return statxIn(d.opt, b) })
	// Statfs prints the struct statfs a call filled in.
	Statfs = fetchedN(statfsSize, func(_ *decoder, b []byte) string { return statfsText(b) })

	// ReadlinkBuf prints the link readlink stored, as many bytes as it
	// returned, cut at the string limit. It is a read buffer.
	ReadlinkBuf = ReadBuf
	// CwdBuf prints the directory getcwd stored: a path, its length the
	// result (with the NUL).
	CwdBuf = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if d.failed() || a == 0 {
			return ptr(a)
		}
		return pathN(d.mem, a, uint64(d.c.Ret))
	}}

	// Dirents64 and Dirents print getdents64's and getdents's buffer at
	// exit: its address and how many entries it holds.
	Dirents64 = direntsArg(dirent64Header)
	Dirents   = direntsArg(direntHeader)
	// DirentCount prints getdents's count, an unsigned int.
	DirentCount = UInt

	// SendfileOffset prints sendfile's offset pointer: the offset at
	// entry, and after " => " the one the kernel stored.
	SendfileOffset = Arg{
		text: func(d *decoder, i int) string { return OffPtr.textOf(d, i) },
		then: func(d *decoder, i int) string {
			a := d.arg(i)
			if d.failed() || a == 0 {
				return ""
			}
			return " => " + readInt64(d.mem, a)
		},
	}

	// MknodMode prints mknod's mode: the file type by name.
	MknodMode = named(val(func(v uint64) string { return symbolicMode(uint32(uint16(v))) }),
		func(v uint64) string { return octMode(uint64(uint16(v))) })
	// MknodDev prints mknod's device, which strace shows only for
	// character and block devices.
	MknodDev = Arg{
		num: makedev,
		raw: func(d *decoder, i int) string { return hexNum(d.arg(i)) },
		omit: func(c *Call, i int) bool {
			t := c.Args[i-1] & unix.S_IFMT
			return t != unix.S_IFCHR && t != unix.S_IFBLK
		},
	}
)

func direntsArg(header uint64) Arg {
	return Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if d.failed() || uint64(d.c.Ret) > uint64(uint32(d.arg(i+1))) {
			return ptr(a)
		}
		if d.opt.verbose() {
			return direntsVerbose(d.opt, d.mem, a, uint64(d.c.Ret), header)
		}
		return direntsText(d.mem, a, uint64(d.c.Ret), header, direntReclen)
	}}
}

// direntTypes is dirent_types: d_type's values.
var direntTypes = flagSet{"DT_???", []flag{
	{0, "DT_UNKNOWN"}, {1, "DT_FIFO"}, {2, "DT_CHR"}, {4, "DT_DIR"}, {6, "DT_BLK"},
	{8, "DT_REG"}, {10, "DT_LNK"}, {12, "DT_SOCK"}, {14, "DT_WHT"},
}}

// dNameMax is the most bytes of a d_name strace -v reads.
const dNameMax = 256

// direntsVerbose formats the n bytes of struct linux_dirent64 (header
// dirent64Header) or of the old struct linux_dirent (direntHeader) the
// kernel wrote at a as strace -v does (its xgetdents and getdents):
// every entry, [{d_ino=..., d_off=..., d_reclen=24, d_type=DT_DIR,
// d_name="."}, ...] for getdents64, d_name before d_type for getdents,
// whose d_type is the entry's last byte; [] for none; a d_reclen that
// runs past the end or falls short of the header said in a comment;
// leftover bytes too few for an entry in hex; an entry that cannot be
// read as "..." and its address.
func direntsVerbose(o *Options, mem Memory, a, n, header uint64) string {
	old := header == direntHeader
	var s strings.Builder
	count := 0
	for {
		if n < header {
			if n == 0 {
				if count == 0 {
					s.WriteByte('[')
				}
				count++
			} else if b, ok := readFull(mem, a, n); ok {
				s.WriteString(quoteHex(b))
			} else {
				s.WriteString(ptr(a))
			}
			break
		}
		b, ok := readFull(mem, a, header)
		if !ok {
			if count > 0 {
				s.WriteString("... /* " + ptr(a) + " */")
			} else {
				s.WriteString(ptr(a))
			}
			break
		}
		if count == 0 {
			s.WriteByte('[')
		}
		count++
		r := uint64(le.Uint16(b[direntReclen:]))
		s.WriteString("{d_ino=" + udec(le.Uint64(b)) + ", d_off=" + udec(le.Uint64(b[8:])) + ", d_reclen=" + udec(r))
		var next uint64
		switch {
		case r > n:
			s.WriteString(" /* " + udec(r-n) + " bytes overflow */")
			r, n = n, 0
		case r < header:
			s.WriteString(" /* " + udec(header-r) + " bytes underflow */")
			r, n = header, n-header
		default:
			n -= r
			if n > 0 && a+r > a {
				next = a + r
			}
		}
		dType := func() {
			var t uint64
			if old {
				// The old entry's last byte, after the name and a NUL.
				tb, ok := readFull(mem, a+r-1, 1)
				if !ok {
					return
				}
				t = uint64(tb[0])
			} else {
				t = uint64(b[18])
			}
			s.WriteString(", d_type=" + o.styledHex(t, direntTypes.xval(t)))
		}
		if !old {
			dType()
		}
		readable := true
		nameLen := min(r-header, dNameMax)
		if old && nameLen > 0 {
			nameLen-- // the d_type byte
		}
		if nameLen > 0 {
			name, _, ok := readCString(mem, a+header, int(nameLen))
			if ok {
				s.WriteString(", d_name=" + quote(name))
			} else {
				s.WriteString(", d_name=" + ptr(a+header))
				readable = false
			}
		}
		if old && r > header {
			dType()
		}
		s.WriteByte('}')
		if next != 0 {
			s.WriteString(", ")
			if !readable {
				s.WriteString("...")
				break
			}
		}
		if next == 0 {
			break
		}
		a = next
	}
	if count > 0 {
		s.WriteByte(']')
	}
	return s.String()
}

// pathN formats the path in the first n bytes at a, as strace's
// printpathn: up to the first NUL, at most PATH_MAX bytes.
func pathN(mem Memory, a, n uint64) string {
	n = min(n, pathMax)
	b, terminated, ok := readCString(mem, a, int(n))
	if !ok {
		return ptr(a)
	}
	if terminated || uint64(len(b)) < pathMax {
		return quote(b)
	}
	return quote(b[:pathMax-1]) + "..."
}
