"""Kernel-enforced ban on new network sockets (a seccomp-BPF filter) for processes that need none.

Defence in depth behind the token-level SERVICE/LOAD guard: once `deny_network_sockets()` has run, no thread of
this process, nor any process it forks, can create an AF_INET/AF_INET6 (or any other non-AF_UNIX) socket, so
the embedded SPARQL engine cannot open an outbound connection whatever query it is given. Sockets that already
exist (the inherited listening socket, connections it accepts, which come from accept(2) and not socket(2)) keep
working.

References (Linux man pages): seccomp(2) (SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, struct
seccomp_data, the x32 caveat, return values), prctl(2) (PR_SET_NO_NEW_PRIVS), socket(2), address_families(7),
syscall(2), io_uring_setup(2); the BPF opcodes are those of <linux/filter.h> / <linux/bpf_common.h>.

Which families are refused: every family except AF_UNIX (an allowlist, not a list of bad families). AF_UNIX
must stay: Python's socketpair(), asyncio's wake-up pipe and local IPC use it. AF_INET/AF_INET6 are the point.
AF_PACKET (raw frames; needs CAP_NET_RAW anyway) and AF_NETLINK (kernel interfaces; glibc's getaddrinfo uses it
only for AI_ADDRCONFIG and falls back when it fails) are not needed by the server, and an allowlist also covers
families a denylist would forget (AF_VSOCK, AF_XDP, AF_TIPC, AF_RDS, AF_BLUETOOTH, ...).
"""
from __future__ import annotations

import ctypes
import errno
import platform
import sys
import threading
from dataclasses import dataclass
from kg import forking

__all__ = ["deny_network_sockets", "installed"]

# prctl(2) / seccomp(2) constants (<linux/prctl.h>, <linux/seccomp.h>).
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_TSYNC = 1
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000           # low 16 bits: the errno the syscall fails with
# Classic BPF opcodes (<linux/bpf_common.h>): class | size | mode, class | op | source.
BPF_LD_W_ABS = 0x00 | 0x00 | 0x20        # BPF_LD | BPF_W | BPF_ABS: A = 32-bit word at offset k of seccomp_data
BPF_JEQ_K = 0x05 | 0x10 | 0x00           # BPF_JMP | BPF_JEQ | BPF_K
BPF_JGE_K = 0x05 | 0x30 | 0x00           # BPF_JMP | BPF_JGE | BPF_K
BPF_RET_K = 0x06 | 0x00                  # BPF_RET | BPF_K
# struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; } (seccomp(2)).
OFF_NR, OFF_ARCH, OFF_ARGS = 0, 4, 16
X32_SYSCALL_BIT = 0x40000000
AF_UNIX = 1


@dataclass(frozen=True)
class Arch:
    """One native system-call ABI: its audit arch tag and the syscall numbers the filter needs."""

    audit: int          # AUDIT_ARCH_* (<linux/audit.h>)
    seccomp: int        # __NR_seccomp
    socket: int         # __NR_socket
    io_uring_setup: int
    x32: bool           # x86_64 shares its audit tag with the x32 ABI (seccomp(2), "Caveats")


# Neither x86_64 nor aarch64 has socketcall(2) (the multiplexer through which i386, 32-bit ARM, s390 ... reach
# socket()), so socket() is the only way in for the native ABI. A 64-bit x86 process can still make i386 system
# calls (int 0x80, where socketcall exists); they carry AUDIT_ARCH_I386, and the filter refuses every system call
# whose arch is not the native one, which closes that route too.
ARCHES: dict[str, Arch] = {
    "x86_64": Arch(audit=0xC000003E, seccomp=317, socket=41, io_uring_setup=425, x32=True),
    "aarch64": Arch(audit=0xC00000B7, seccomp=277, socket=198, io_uring_setup=425, x32=False),
}

_lock = threading.Lock()
_installed = False      # copied into forked children along with the filter itself


def _fresh_lock() -> None:
    global _lock
    _lock = threading.Lock()       # a lock held by another thread at fork time would stay held in the child


forking.renew_after_fork(_fresh_lock)


class SockFilter(ctypes.Structure):
    """struct sock_filter: one classic BPF instruction."""

    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    """struct sock_fprog: the program handed to seccomp(2)."""

    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def native_arch() -> Arch | None:
    """The running process's ABI if the filter knows it (64-bit little-endian Linux x86_64/aarch64), else None."""
    if not sys.platform.startswith("linux") or ctypes.sizeof(ctypes.c_void_p) != 8 or sys.byteorder != "little":
        return None      # a 32-bit or big-endian Python would need other syscall numbers or argument offsets
    return ARCHES.get(platform.machine())


def program(arch: Arch) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions: EPERM for non-AF_UNIX socket(), io_uring, foreign ABIs."""
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    # Symbolic program: jumps name a label ("allow"/"deny") or None for the next instruction.
    asm: list[tuple] = [
        ("ld", OFF_ARCH),
        ("jeq", arch.audit, None, "deny"),                  # a foreign ABI (i386 via int 0x80): refuse everything
        ("ld", OFF_NR),
    ]
    if arch.x32:                                            # x32 calls look like x86_64 ones plus this bit
        asm.append(("jge", X32_SYSCALL_BIT, "deny", None))
    asm += [
        # io_uring's IORING_OP_SOCKET (Linux 5.19) creates sockets without a socket(2) call seccomp could see.
        ("jeq", arch.io_uring_setup, "deny", None),
        ("jeq", arch.socket, None, "allow"),
        # The domain is an int: the kernel reads only the low 32 bits of args[0] (little-endian: first word),
        # so comparing that word alone cannot be dodged by setting the high bits.
        ("ld", OFF_ARGS),
        ("jeq", AF_UNIX, "allow", "deny"),
        ("label", "allow"), ("ret", SECCOMP_RET_ALLOW),
        ("label", "deny"), ("ret", deny),
    ]
    labels: dict[str, int] = {}
    body: list[tuple] = []
    for item in asm:
        if item[0] == "label":
            labels[item[1]] = len(body)
        else:
            body.append(item)

    def rel(here: int, target: str | None) -> int:
        return 0 if target is None else labels[target] - here - 1

    out: list[tuple[int, int, int, int]] = []
    for i, (op, *rest) in enumerate(body):
        if op == "ld":
            out.append((BPF_LD_W_ABS, 0, 0, rest[0]))
        elif op == "ret":
            out.append((BPF_RET_K, 0, 0, rest[0]))
        else:
            k, t, f = rest
            out.append((BPF_JEQ_K if op == "jeq" else BPF_JGE_K, rel(i, t), rel(i, f), k))
    return out


def _install(arch: Arch) -> bool:
    """prctl(PR_SET_NO_NEW_PRIVS) then seccomp(SECCOMP_SET_MODE_FILTER, TSYNC); False if the kernel refuses."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    prctl, syscall = libc.prctl, libc.syscall
    prctl.restype = syscall.restype = ctypes.c_long
    ulong = ctypes.c_ulong
    # Unprivileged filters require no_new_privs (seccomp(2), EACCES). It is per thread, but TSYNC also sets it on
    # every thread it synchronises (kernel/seccomp.c, seccomp_sync_threads).
    if prctl(ctypes.c_int(PR_SET_NO_NEW_PRIVS), ulong(1), ulong(0), ulong(0), ulong(0)) != 0:
        return False
    insns = program(arch)
    table = (SockFilter * len(insns))(*(SockFilter(*insn) for insn in insns))
    prog = SockFprog(len(insns), ctypes.cast(table, ctypes.POINTER(SockFilter)))
    # syscall(2) is variadic: every argument is passed as an explicit C type. With TSYNC, a positive result is
    # the id of a thread that could not be synchronised (and nothing was installed); -1 is an errno failure.
    rc = syscall(ctypes.c_long(arch.seccomp), ulong(SECCOMP_SET_MODE_FILTER), ulong(SECCOMP_FILTER_FLAG_TSYNC),
                 ctypes.byref(prog))
    return rc == 0


def deny_network_sockets() -> bool:
    """Forbid this whole process (all threads, future children) to create non-AF_UNIX sockets; True if in force."""
    global _installed
    with _lock:
        if _installed:       # one filter is enough; a second would only lengthen every system call
            return True
        arch = native_arch()
        if arch is None:
            return False
        try:
            _installed = _install(arch)
        except (OSError, AttributeError, ValueError, ctypes.ArgumentError):   # no libc symbol, odd platform: report, do not raise
            _installed = False
        return _installed


def installed() -> bool:
    """Whether `deny_network_sockets` has put the filter in force in this process (or a parent before fork)."""
    return _installed
