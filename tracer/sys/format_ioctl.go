package sys

import (
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
)

// ioctl: the request by name (strace 6.1's table for the terminal 'T'
// requests and the socket 0x89 ones, the same on x86_64 and aarch64, which
// both use asm-generic/ioctls.h), else as _IOC(dir, type, nr, size); and
// the argument as strace's term_ioctl decodes it, else in hex.

// ioctlNames is the part of strace 6.1's ioctlent mmtrace knows: every
// name strace 6.1 prints for the request types 'T' (terminals), 0x89
// (sockets), 0x12 (block devices), 'f', 'X' and 0x94 (file systems),
// found by asking strace to print each number of those types. Where two
// requests share a number, both names, as strace prints them
// ("SNDCTL_TMR_START or TCSETS").
var ioctlNames = lazy.Of(func() map[uint32]string {
	return map[uint32]string{
		0x5401: "TCGETS", 0x5402: "SNDCTL_TMR_START or TCSETS", 0x5403: "SNDCTL_TMR_STOP or TCSETSW",
		0x5404: "SNDCTL_TMR_CONTINUE or TCSETSF", 0x5405: "TCGETA", 0x5406: "TCSETA", 0x5407: "TCSETAW",
		0x5408: "TCSETAF", 0x5409: "TCSBRK", 0x540a: "TCXONC", 0x540b: "TCFLSH", 0x540c: "TIOCEXCL",
		0x540d: "TIOCNXCL", 0x540e: "TIOCSCTTY", 0x540f: "TIOCGPGRP", 0x5410: "TIOCSPGRP", 0x5411: "TIOCOUTQ",
		0x5412: "TIOCSTI", 0x5413: "TIOCGWINSZ", 0x5414: "TIOCSWINSZ", 0x5415: "TIOCMGET", 0x5416: "TIOCMBIS",
		0x5417: "TIOCMBIC", 0x5418: "TIOCMSET", 0x5419: "TIOCGSOFTCAR", 0x541a: "TIOCSSOFTCAR",
		0x541b: "FIONREAD", 0x541c: "TIOCLINUX", 0x541d: "TIOCCONS", 0x541e: "TIOCGSERIAL",
		0x541f: "TIOCSSERIAL", 0x5420: "TIOCPKT", 0x5421: "FIONBIO", 0x5422: "TIOCNOTTY", 0x5423: "TIOCSETD",
		0x5424: "TIOCGETD", 0x5425: "TCSBRKP", 0x5427: "TIOCSBRK", 0x5428: "TIOCCBRK", 0x5429: "TIOCGSID",
		0x542e: "TIOCGRS485", 0x542f: "TIOCSRS485", 0x5432: "TCGETX", 0x5433: "TCSETX", 0x5434: "TCSETXF",
		0x5435: "TCSETXW", 0x5437: "TIOCVHANGUP", 0x5441: "TIOCGPTPEER", 0x5450: "FIONCLEX", 0x5451: "FIOCLEX",
		0x5452: "FIOASYNC", 0x5453: "TIOCSERCONFIG", 0x5454: "TIOCSERGWILD", 0x5455: "TIOCSERSWILD",
		0x5456: "TIOCGLCKTRMIOS", 0x5457: "TIOCSLCKTRMIOS", 0x5458: "TIOCSERGSTRUCT", 0x5459: "TIOCSERGETLSR",
		0x545a: "TIOCSERGETMULTI", 0x545b: "TIOCSERSETMULTI", 0x545c: "TIOCMIWAIT", 0x545d: "TIOCGICOUNT",
		0x5460: "FIOQSIZE", 0x54e3: "TUNGETDEVNETNS",
		0x40045407: "SNDCTL_TMR_METRONOME", 0x40045408: "SNDCTL_TMR_SELECT", 0x402c542b: "TCSETS2",
		0x402c542c: "TCSETSW2", 0x402c542d: "TCSETSF2", 0x40045431: "TIOCSPTLCK", 0x40045436: "TIOCSIG",
		0x802c542a: "TCGETS2", 0x80045430: "TIOCGPTN", 0x80045432: "TIOCGDEV", 0x80045438: "TIOCGPKT",
		0x80045439: "TIOCGPTLCK", 0x80045440: "TIOCGEXCL", 0x80285442: "TIOCGISO7816",
		0xc0045401: "SNDCTL_TMR_TIMEBASE", 0xc0045405: "SNDCTL_TMR_TEMPO", 0xc0045406: "SNDCTL_TMR_SOURCE",
		0xc0285443: "TIOCSISO7816",
		0x8901:     "FIOSETOWN", 0x8902: "SIOCSPGRP", 0x8903: "FIOGETOWN", 0x8904: "SIOCGPGRP", 0x8905: "SIOCATMARK",
		0x8906: "SIOCGSTAMP_OLD", 0x8907: "SIOCGSTAMPNS_OLD", 0x890b: "SIOCADDRT", 0x890c: "SIOCDELRT",
		0x890d: "SIOCRTMSG", 0x8910: "SIOCGIFNAME", 0x8911: "SIOCSIFLINK", 0x8912: "SIOCGIFCONF",
		0x8913: "SIOCGIFFLAGS", 0x8914: "SIOCSIFFLAGS", 0x8915: "SIOCGIFADDR", 0x8916: "SIOCSIFADDR",
		0x8917: "SIOCGIFDSTADDR", 0x8918: "SIOCSIFDSTADDR", 0x8919: "SIOCGIFBRDADDR", 0x891a: "SIOCSIFBRDADDR",
		0x891b: "SIOCGIFNETMASK", 0x891c: "SIOCSIFNETMASK", 0x891d: "SIOCGIFMETRIC", 0x891e: "SIOCSIFMETRIC",
		0x891f: "SIOCGIFMEM", 0x8920: "SIOCSIFMEM", 0x8921: "SIOCGIFMTU", 0x8922: "SIOCSIFMTU",
		0x8923: "SIOCSIFNAME", 0x8924: "SIOCSIFHWADDR", 0x8925: "SIOCGIFENCAP", 0x8926: "SIOCSIFENCAP",
		0x8927: "SIOCGIFHWADDR", 0x8929: "SIOCGIFSLAVE", 0x8930: "SIOCSIFSLAVE", 0x8931: "SIOCADDMULTI",
		0x8932: "SIOCDELMULTI", 0x8933: "SIOCGIFINDEX", 0x8934: "SIOCSIFPFLAGS", 0x8935: "SIOCGIFPFLAGS",
		0x8936: "SIOCDIFADDR", 0x8937: "SIOCSIFHWBROADCAST", 0x8938: "SIOCGIFCOUNT", 0x8940: "SIOCGIFBR",
		0x8941: "SIOCSIFBR", 0x8942: "SIOCGIFTXQLEN", 0x8943: "SIOCSIFTXQLEN", 0x8946: "SIOCETHTOOL",
		0x8947: "SIOCGMIIPHY", 0x8948: "SIOCGMIIREG", 0x8949: "SIOCSMIIREG", 0x894a: "SIOCWANDEV",
		0x894b: "SIOCOUTQNSD", 0x894c: "SIOCGSKNS", 0x8953: "SIOCDARP", 0x8954: "SIOCGARP", 0x8955: "SIOCSARP",
		0x8960: "SIOCDRARP", 0x8961: "SIOCGRARP", 0x8962: "SIOCSRARP", 0x8970: "SIOCGIFMAP", 0x8971: "SIOCSIFMAP",
		0x8980: "SIOCADDDLCI", 0x8981: "SIOCDELDLCI", 0x8982: "SIOCGIFVLAN", 0x8983: "SIOCSIFVLAN",
		0x8990: "SIOCBONDENSLAVE", 0x8991: "SIOCBONDRELEASE", 0x8992: "SIOCBONDSETHWADDR",
		0x8993: "SIOCBONDSLAVEINFOQUERY", 0x8994: "SIOCBONDINFOQUERY", 0x8995: "SIOCBONDCHANGEACTIVE",
		0x89a0: "SIOCBRADDBR", 0x89a1: "SIOCBRDELBR", 0x89a2: "SIOCBRADDIF", 0x89a3: "SIOCBRDELIF",
		0x89b0: "SIOCSHWTSTAMP", 0x89b1: "SIOCGHWTSTAMP", 0x89e0: "SIOCPROTOPRIVATE", 0x89f0: "SIOCDEVPRIVATE",
		// The 'T' requests of the sound timer and timerfd, and the block
		// (0x12), file system ('f', 'X', 0x94) and XSDFEC ('f') ones.
		0x54a0:     "SNDRV_TIMER_IOCTL_START",
		0x54a1:     "SNDRV_TIMER_IOCTL_STOP",
		0x54a2:     "SNDRV_TIMER_IOCTL_CONTINUE",
		0x54a3:     "SNDRV_TIMER_IOCTL_PAUSE",
		0x40085400: "TFD_IOC_SET_TICKS",
		0x40045402: "SNDRV_TIMER_IOCTL_TREAD_OLD",
		0x40485404: "SNDRV_TIMER_IOCTL_GPARAMS",
		0x40345410: "SNDRV_TIMER_IOCTL_SELECT",
		0x40505412: "SNDRV_TIMER_IOCTL_PARAMS",
		0x80045400: "SNDRV_TIMER_IOCTL_PVERSION",
		0xc0145401: "SNDRV_TIMER_IOCTL_NEXT_DEVICE",
		0xc0505405: "SNDRV_TIMER_IOCTL_GSTATUS",
		0x9406:     "BTRFS_IOC_TRANS_START",
		0x9407:     "BTRFS_IOC_TRANS_END",
		0x9408:     "BTRFS_IOC_SYNC",
		0x941c:     "BTRFS_IOC_SCRUB_CANCEL",
		0x942e:     "BTRFS_IOC_QUOTA_RESCAN_WAIT",
		0x40049409: "BTRFS_IOC_CLONE or FICLONE",
		0x4020940d: "BTRFS_IOC_CLONE_RANGE or FICLONERANGE",
		0x40309410: "BTRFS_IOC_DEFRAG_RANGE",
		0x40089413: "BTRFS_IOC_DEFAULT_SUBVOL",
		0x40089416: "BTRFS_IOC_WAIT_SYNC",
		0x4008941a: "BTRFS_IOC_SUBVOL_SETFLAGS",
		0x40049421: "BTRFS_IOC_BALANCE_CTL",
		0x40489426: "BTRFS_IOC_SEND",
		0x40189429: "BTRFS_IOC_QGROUP_ASSIGN",
		0x4010942a: "BTRFS_IOC_QGROUP_CREATE",
		0x4040942c: "BTRFS_IOC_QUOTA_RESCAN",
		0x41009432: "FS_IOC_SETFSLABEL",
		0x40309439: "BTRFS_IOC_SET_FEATURES",
		0x40809440: "BTRFS_IOC_ENCODED_WRITE",
		0x80089418: "BTRFS_IOC_START_SYNC",
		0x80089419: "BTRFS_IOC_SUBVOL_GETFLAGS",
		0x8030942b: "BTRFS_IOC_QGROUP_LIMIT",
		0x8040942d: "BTRFS_IOC_QUOTA_RESCAN_STATUS",
		0x81009431: "FS_IOC_GETFSLABEL",
		0x80189439: "BTRFS_IOC_GET_FEATURES",
		0x80489439: "BTRFS_IOC_GET_SUPPORTED_FEATURES",
		0x80809440: "BTRFS_IOC_ENCODED_READ",
		0xc0709411: "BTRFS_IOC_TREE_SEARCH_V2",
		0xc0109414: "BTRFS_IOC_SPACE_INFO",
		0xc0389423: "BTRFS_IOC_INO_PATHS",
		0xc0389424: "BTRFS_IOC_LOGICAL_INO",
		0xc0c89425: "BTRFS_IOC_SET_RECEIVED_SUBVOL",
		0xc0109428: "BTRFS_IOC_QUOTA_CTL",
		0xc0189436: "BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE",
		0xc038943b: "BTRFS_IOC_LOGICAL_INO_V2",
		0x6600:     "XSDFEC_START_DEV",
		0x6601:     "XSDFEC_STOP_DEV",
		0x660b:     "XSDFEC_CLEAR_STATS",
		0x660d:     "XSDFEC_SET_DEFAULT_CONFIG",
		0x40046602: "FS_IOC32_SETFLAGS",
		0x40086602: "FS_IOC_SETFLAGS",
		0x40026603: "XSDFEC_SET_IRQ",
		0x40086604: "XSDFEC_SET_TURBO",
		0x40606605: "XSDFEC_ADD_LDPC_CODE_PARAMS",
		0x40086608: "XSDFEC_SET_ORDER",
		0x40016609: "XSDFEC_SET_BYPASS",
		0x40106614: "FS_IOC_GET_ENCRYPTION_PWSALT",
		0x400c6615: "FS_IOC_GET_ENCRYPTION_POLICY",
		0x40806685: "FS_IOC_ENABLE_VERITY",
		0x80046601: "FS_IOC32_GETFLAGS",
		0x80086601: "FS_IOC_GETFLAGS",
		0x80086602: "XSDFEC_GET_STATUS",
		0x801c6606: "XSDFEC_GET_CONFIG",
		0x80086607: "XSDFEC_GET_TURBO",
		0x8001660a: "XSDFEC_IS_ACTIVE",
		0x800c660c: "XSDFEC_GET_STATS",
		0x800c6613: "FS_IOC_SET_ENCRYPTION_POLICY",
		0x8010661b: "FS_IOC_GET_ENCRYPTION_NONCE",
		0xc020660b: "FS_IOC_FIEMAP",
		0xc0096616: "FS_IOC_GET_ENCRYPTION_POLICY_EX",
		0xc0506617: "FS_IOC_ADD_ENCRYPTION_KEY",
		0xc0406618: "FS_IOC_REMOVE_ENCRYPTION_KEY",
		0xc0406619: "FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS",
		0xc080661a: "FS_IOC_GET_ENCRYPTION_KEY_STATUS",
		0xc0046686: "FS_IOC_MEASURE_VERITY",
		0xc0286687: "FS_IOC_READ_VERITY_METADATA",
		0x125d:     "BLKROSET",
		0x125e:     "BLKROGET",
		0x125f:     "BLKRRPART",
		0x1260:     "BLKGETSIZE",
		0x1261:     "BLKFLSBUF",
		0x1262:     "BLKRASET",
		0x1263:     "BLKRAGET",
		0x1264:     "BLKFRASET",
		0x1265:     "BLKFRAGET",
		0x1266:     "BLKSECTSET",
		0x1267:     "BLKSECTGET",
		0x1268:     "BLKSSZGET",
		0x1269:     "BLKPG",
		0x1274:     "BLKTRACESTART",
		0x1275:     "BLKTRACESTOP",
		0x1276:     "BLKTRACETEARDOWN",
		0x1277:     "BLKDISCARD",
		0x1278:     "BLKIOMIN",
		0x1279:     "BLKIOOPT",
		0x127a:     "BLKALIGNOFF",
		0x127b:     "BLKPBSZGET",
		0x127c:     "BLKDISCARDZEROES",
		0x127d:     "BLKSECDISCARD",
		0x127e:     "BLKROTATIONAL",
		0x127f:     "BLKZEROOUT",
		0x40081271: "BLKBSZSET",
		0x40101283: "BLKRESETZONE",
		0x40101286: "BLKOPENZONE",
		0x40101287: "BLKCLOSEZONE",
		0x40101288: "BLKFINISHZONE",
		0x80081270: "BLKBSZGET",
		0x80081272: "BLKGETSIZE64",
		0x8100127d: "BLKZNAME",
		0x80081280: "BLKGETDISKSEQ",
		0x80041284: "BLKGETZONESZ",
		0x80041285: "BLKGETNRZONES",
		0xc0481273: "BLKTRACESETUP",
		0xc0101282: "BLKREPORTZONE",
		0x401c5820: "FS_IOC_FSSETXATTR",
		0x801c581f: "FS_IOC_FSGETXATTR",
		0x8004587d: "F2FS_IOC_SHUTDOWN",
		0xc0185801: "PACKET_CTRL_CMD",
		0xc0c0583b: "FS_IOC_GETFSMAP",
		0xc0045877: "FIFREEZE",
		0xc0045878: "FITHAW",
		0xc0185879: "FITRIM",
	}
})

// ioctlDirs is ioctl_dirs: _IOC_NONE is zero.
var ioctlDirs = flagSet{"_IOC_???", []flag{
	{0, "_IOC_NONE"},
	{2, "_IOC_READ"},
	{1, "_IOC_WRITE"},
}}

// ioctlRequest formats an ioctl request: its name, or its parts as
// _IOC(_IOC_READ, 0x54, 0x13, 0x8).
func ioctlRequest(v uint64) string {
	code := uint32(v)
	if name, ok := ioctlNames.Get()[code]; ok {
		return name
	}
	return "_IOC(" + ioctlDirs.flags(uint64(code>>30)) + ", " + hexNum(uint64(code>>8&0xff)) +
		", " + hexNum(uint64(code&0xff)) + ", " + hexNum(uint64(code>>16&0x3fff)) + ")"
}

// The terminal flag tables: term_iflags, term_oflags and its delay
// fields, term_cflags, baud_options, term_lflags, modem_flags.
var (
	termIflags = flagSet{"", []flag{
		{0x1, "IGNBRK"}, {0x2, "BRKINT"}, {0x4, "IGNPAR"}, {0x8, "PARMRK"}, {0x10, "INPCK"},
		{0x20, "ISTRIP"}, {0x40, "INLCR"}, {0x80, "IGNCR"}, {0x100, "ICRNL"}, {0x200, "IUCLC"},
		{0x400, "IXON"}, {0x800, "IXANY"}, {0x1000, "IXOFF"}, {0x2000, "IMAXBEL"}, {0x4000, "IUTF8"},
	}}
	termOflags = flagSet{"", []flag{
		{0x1, "OPOST"}, {0x2, "OLCUC"}, {0x4, "ONLCR"}, {0x8, "OCRNL"}, {0x10, "ONOCR"},
		{0x20, "ONLRET"}, {0x40, "OFILL"}, {0x80, "OFDEL"},
	}}
	termOdelays = [...]struct {
		mask uint64
		fs   flagSet
	}{
		{0x100, flagSet{"NL?", []flag{{0, "NL0"}, {0x100, "NL1"}}}},
		{0x600, flagSet{"CR?", []flag{{0, "CR0"}, {0x200, "CR1"}, {0x400, "CR2"}, {0x600, "CR3"}}}},
		{0x1800, flagSet{"TAB?", []flag{{0, "TAB0"}, {0x800, "TAB1"}, {0x1000, "TAB2"}, {0x1800, "XTABS"}}}},
		{0x2000, flagSet{"BS?", []flag{{0, "BS0"}, {0x2000, "BS1"}}}},
		{0x4000, flagSet{"VT?", []flag{{0, "VT0"}, {0x4000, "VT1"}}}},
		{0x8000, flagSet{"FF?", []flag{{0, "FF0"}, {0x8000, "FF1"}}}},
	}
	termCflags = flagSet{"", []flag{
		{0x40, "CSTOPB"}, {0x80, "CREAD"}, {0x100, "PARENB"}, {0x200, "PARODD"}, {0x400, "HUPCL"},
		{0x800, "CLOCAL"}, {0x40000000, "CMSPAR"}, {0x80000000, "CRTSCTS"},
	}}
	termCsize   = flagSet{"CS?", []flag{{0, "CS5"}, {0x10, "CS6"}, {0x20, "CS7"}, {0x30, "CS8"}}}
	baudOptions = flagSet{"B???", []flag{
		{0, "B0"}, {1, "B50"}, {2, "B75"}, {3, "B110"}, {4, "B134"}, {5, "B150"}, {6, "B200"}, {7, "B300"},
		{8, "B600"}, {9, "B1200"}, {10, "B1800"}, {11, "B2400"}, {12, "B4800"}, {13, "B9600"},
		{14, "B19200"}, {15, "B38400"}, {0x1000, "BOTHER"}, {0x1001, "B57600"}, {0x1002, "B115200"},
		{0x1003, "B230400"}, {0x1004, "B460800"}, {0x1005, "B500000"}, {0x1006, "B576000"},
		{0x1007, "B921600"}, {0x1008, "B1000000"}, {0x1009, "B1152000"}, {0x100a, "B1500000"},
		{0x100b, "B2000000"}, {0x100c, "B2500000"}, {0x100d, "B3000000"}, {0x100e, "B3500000"},
		{0x100f, "B4000000"},
	}}
	termLflags = flagSet{"", []flag{
		{0x1, "ISIG"}, {0x2, "ICANON"}, {0x4, "XCASE"}, {0x8, "ECHO"}, {0x10, "ECHOE"}, {0x20, "ECHOK"},
		{0x40, "ECHONL"}, {0x80, "NOFLSH"}, {0x8000, "IEXTEN"}, {0x200, "ECHOCTL"}, {0x400, "ECHOPRT"},
		{0x800, "ECHOKE"}, {0x1000, "FLUSHO"}, {0x4000, "PENDIN"}, {0x100, "TOSTOP"}, {0x10000, "EXTPROC"},
	}}
	modemFlags = flagSet{"TIOCM_???", []flag{
		{0x1, "TIOCM_LE"}, {0x2, "TIOCM_DTR"}, {0x4, "TIOCM_RTS"}, {0x8, "TIOCM_ST"}, {0x10, "TIOCM_SR"},
		{0x20, "TIOCM_CTS"}, {0x40, "TIOCM_CAR"}, {0x80, "TIOCM_RNG"}, {0x100, "TIOCM_DSR"},
		{0x2000, "TIOCM_OUT1"}, {0x4000, "TIOCM_OUT2"}, {0x8000, "TIOCM_LOOP"},
	}}
	tcxoncOptions = flagSet{"TC???", []flag{{0, "TCOOFF"}, {1, "TCOON"}, {2, "TCIOFF"}, {3, "TCION"}}}
	tcflshOptions = flagSet{"TC???", []flag{{0, "TCIFLUSH"}, {1, "TCOFLUSH"}, {2, "TCIOFLUSH"}}}
)

// flagsNoDefault formats v as strace's printflags with no placeholder:
// zero prints nothing at all (strace 6.1 leaves "c_iflag=" empty), bits
// it does not know print as bare hex.
func (fs *flagSet) flagsNoDefault(v uint64) string {
	if v == 0 {
		return ""
	}
	s, _ := fs.bits(v)
	return s
}

// The terminal masks of c_oflag and c_cflag.
const (
	termCbaud   = 0x100f
	termCibaud  = 0x100f0000
	termIBShift = 16
	termCsizeM  = 0x30
)

// termFlags formats the four flag words of a termios, termios2 or
// termio, as strace 6.1 does, with the "|" it leaves after c_oflag's and
// c_cflag's fields when nothing follows; each field and flag word in
// o's -X style (c_oflag=0|0|0|0|0|0|0x5 with -X raw).
func termFlags(o *Options, iflag, oflag, cflag, lflag uint64) string {
	var s strings.Builder
	s.WriteString("{c_iflag=")
	s.WriteString(termIflags.flagsNoDefaultIn(o, iflag))
	s.WriteString(", c_oflag=")
	for _, d := range termOdelays {
		s.WriteString(d.fs.xvalIn(o, oflag&d.mask))
		s.WriteByte('|')
		oflag &^= d.mask
	}
	s.WriteString(termOflags.flagsNoDefaultIn(o, oflag))
	s.WriteString(", c_cflag=")
	s.WriteString(baudOptions.xvalIn(o, cflag&termCbaud))
	s.WriteByte('|')
	if ib := cflag & termCibaud; ib != 0 {
		s.WriteString(baudOptions.xvalIn(o, ib>>termIBShift) + "<<" + o.styledHex(termIBShift, "IBSHIFT") + "|")
	}
	s.WriteString(termCsize.xvalIn(o, cflag&termCsizeM))
	s.WriteByte('|')
	s.WriteString(termCflags.flagsNoDefaultIn(o, cflag&^(termCbaud|termCibaud|termCsizeM)))
	s.WriteString(", c_lflag=")
	s.WriteString(termLflags.flagsNoDefaultIn(o, lflag))
	return s.String()
}

// termLineDiscs is term_line_discs: c_line's line disciplines.
var termLineDiscs = flagSet{"N_???", []flag{
	{0, "N_TTY"}, {1, "N_SLIP"}, {2, "N_MOUSE"}, {3, "N_PPP"}, {4, "N_STRIP"}, {5, "N_AX25"},
	{6, "N_X25"}, {7, "N_6PACK"}, {8, "N_MASC"}, {9, "N_R3964"}, {10, "N_PROFIBUS_FDL"},
	{11, "N_IRDA"}, {12, "N_SMSBLOCK"}, {13, "N_HDLC"}, {14, "N_SYNC_PPP"}, {15, "N_HCI"},
	{16, "N_GIGASET_M101"}, {17, "N_SLCAN"}, {18, "N_PPS"}, {19, "N_V253"}, {20, "N_CAIF"},
	{21, "N_GSM0710"}, {22, "N_TI_WL"}, {23, "N_TRACESINK"}, {24, "N_TRACEROUTER"}, {25, "N_NCI"},
	{26, "N_SPEAKUP"}, {27, "N_NULL"}, {28, "N_MCTP"}, {29, "N_DEVELOPMENT"}, {30, "N_CAN327"},
}}

// termCC names c_cc's slots as <asm-generic/termbits.h> numbers them
// (x86_64 and aarch64 alike); strace prints a slot with no name by its
// index.
var termCC = [...]string{"VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC",
	"VSTART", "VSTOP", "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2"}

// termTail ends a termios, termios2 or termio after its flags: ", ...}"
// as strace prints it without -v; with -v, c_line, then c_cc (the bytes
// at cc) slot by slot, [VINTR]=0x3, in hex.
func termTail(o *Options, line byte, cc []byte) string {
	if !o.verbose() {
		return ", ...}"
	}
	var s strings.Builder
	s.WriteString(", c_line=" + termLineDiscs.xvalIn(o, uint64(line)) + ", c_cc=[")
	for i, c := range cc {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteByte('[')
		if i < len(termCC) {
			s.WriteString(termCC[i])
		} else {
			s.WriteString(strconv.Itoa(i))
		}
		s.WriteString("]=" + hexNum(uint64(c)))
	}
	s.WriteByte(']')
	return s.String()
}

// The sizes of the kernel's struct termios, termios2 and termio.
const (
	termiosSize  = 36
	termios2Size = 44
	termioSize   = 18
	winsizeSize  = 8
)

// The layout of struct termios (termios2 adds the two speeds after it)
// and struct termio: c_line after the flags, then c_cc, NCCS 19 and
// NCC 8 bytes.
const (
	termiosLine, termiosNCCS = 16, 19
	termioLine, termioNCC    = 8, 8
)

func termiosText(b []byte) string { return termiosIn(nil, b) }

// termiosIn formats a struct termios, or with its two speeds a termios2
// (44 bytes), with -v whole.
func termiosIn(o *Options, b []byte) string {
	s := termFlags(o, uint64(le.Uint32(b[0:])), uint64(le.Uint32(b[4:])), uint64(le.Uint32(b[8:])), uint64(le.Uint32(b[12:]))) +
		termTail(o, b[termiosLine], b[termiosLine+1:termiosLine+1+termiosNCCS])
	if o.verbose() && len(b) >= termios2Size {
		s += ", c_ispeed=" + udec(uint64(le.Uint32(b[36:]))) + ", c_ospeed=" + udec(uint64(le.Uint32(b[40:]))) + "}"
	} else if o.verbose() {
		s += "}"
	}
	return s
}

func termioText(b []byte) string { return termioIn(nil, b) }

// termioIn formats a struct termio, with -v whole.
func termioIn(o *Options, b []byte) string {
	s := termFlags(o, uint64(le.Uint16(b[0:])), uint64(le.Uint16(b[2:])), uint64(le.Uint16(b[4:])), uint64(le.Uint16(b[6:]))) +
		termTail(o, b[termioLine], b[termioLine+1:termioLine+1+termioNCC])
	if o.verbose() {
		s += "}"
	}
	return s
}

func winsizeText(b []byte) string {
	return "{ws_row=" + udec(uint64(le.Uint16(b[0:]))) + ", ws_col=" + udec(uint64(le.Uint16(b[2:]))) +
		", ws_xpixel=" + udec(uint64(le.Uint16(b[4:]))) + ", ws_ypixel=" + udec(uint64(le.Uint16(b[6:]))) + "}"
}

// The argument kinds of ioctl.
var (
	// IoctlRequest prints ioctl's request.
	IoctlRequest = named(val(ioctlRequest), hex32)
	// Termios, Termios2 and Termio print a terminal's settings, without
	// c_line and c_cc as strace does without -v, with them with -v.
	Termios  = fetchedN(termiosSize, func(d *decoder, b []byte) string { return termiosIn(d.opt, b) })
	Termios2 = fetchedN(termios2Size, func(d *decoder, b []byte) string { return termiosIn(d.opt, b) })
	Termio   = fetchedN(termioSize, func(d *decoder, b []byte) string { return termioIn(d.opt, b) })
	// Winsize prints a struct winsize.
	Winsize = fetchedN(winsizeSize, func(_ *decoder, b []byte) string { return winsizeText(b) })
	// ModemFlags prints the modem lines behind a pointer: [TIOCM_DTR].
	ModemFlags = fetchedN(4, func(d *decoder, b []byte) string {
		return "[" + modemFlags.flagsIn(d.opt, uint64(le.Uint32(b))) + "]"
	})
	// Char prints the one byte behind a pointer, as a string.
	Char = Arg{text: func(d *decoder, i int) string { return buffer(d.mem, d.arg(i), 1, d.limit) }}
)

// ioctlSpecs are the requests strace's term_ioctl decodes, and how;
// every other request prints its argument in hex.
var ioctlSpecs = lazy.Of(func() map[uint32]*spec {
	m := map[uint32]*spec{}
	add := func(s *spec, codes ...uint32) {
		for _, c := range codes {
			m[c] = s
		}
	}
	add(call(FD, IoctlRequest, exit(Termios)), 0x5401, 0x5456)                // TCGETS, TIOCGLCKTRMIOS
	add(call(FD, IoctlRequest, Termios), 0x5402, 0x5403, 0x5404, 0x5457)      // TCSETS*, TIOCSLCKTRMIOS
	add(call(FD, IoctlRequest, exit(Termios2)), 0x802c542a)                   // TCGETS2
	add(call(FD, IoctlRequest, Termios2), 0x402c542b, 0x402c542c, 0x402c542d) // TCSETS*2
	add(call(FD, IoctlRequest, exit(Termio)), 0x5405)                         // TCGETA
	add(call(FD, IoctlRequest, Termio), 0x5406, 0x5407, 0x5408)               // TCSETA*
	add(call(FD, IoctlRequest, exit(Winsize)), 0x5413)                        // TIOCGWINSZ
	add(call(FD, IoctlRequest, Winsize), 0x5414)                              // TIOCSWINSZ
	add(call(FD, IoctlRequest, xval64Arg(&tcxoncOptions)), 0x540a)            // TCXONC
	add(call(FD, IoctlRequest, xval64Arg(&tcflshOptions)), 0x540b)            // TCFLSH
	add(call(FD, IoctlRequest, Int), 0x5409, 0x5425, 0x540e)                  // TCSBRK, TCSBRKP, TIOCSCTTY
	add(call(FD, IoctlRequest, exit(ModemFlags)), 0x5415)                     // TIOCMGET
	add(call(FD, IoctlRequest, ModemFlags), 0x5416, 0x5417, 0x5418)           // TIOCMBIS, TIOCMBIC, TIOCMSET
	// TIOCGPGRP, TIOCGSID, TIOCGETD, TIOCGSOFTCAR, TIOCGPTN, FIONREAD,
	// TIOCOUTQ, TIOCGEXCL, TIOCGDEV: an int the kernel stores.
	add(call(FD, IoctlRequest, exit(IntPtr)), 0x540f, 0x5429, 0x5424, 0x5419, 0x80045430, 0x541b, 0x5411, 0x80045440, 0x80045432)
	// TIOCSPGRP, TIOCSETD, FIONBIO, FIOASYNC, TIOCPKT, TIOCSSOFTCAR,
	// TIOCSPTLCK: an int the caller passes.
	add(call(FD, IoctlRequest, IntPtr), 0x5410, 0x5423, 0x5421, 0x5452, 0x5420, 0x541a, 0x40045431)
	add(call(FD, IoctlRequest, Char), 0x5412)    // TIOCSTI
	add(call(FD, IoctlRequest, Int), 0x40049409) // FICLONE: the source fd
	// TIOCSBRK, TIOCCBRK, TIOCCONS, TIOCNOTTY, TIOCEXCL, TIOCNXCL,
	// FIOCLEX, FIONCLEX, TIOCVHANGUP, TIOCSSERIAL: no argument printed.
	add(call(FD, IoctlRequest), 0x5427, 0x5428, 0x541d, 0x5422, 0x540c, 0x540d, 0x5451, 0x5450, 0x5437, 0x541f)
	return m
})

// ioctlSpec is the default line of ioctl: the argument in hex.
var ioctlSpec = &spec{
	args:   []Arg{FD, IoctlRequest, Hex},
	result: RetInt,
	sel:    func(c *Call) *spec { return ioctlSpecs.Get()[uint32(c.Args[1])] },
}
