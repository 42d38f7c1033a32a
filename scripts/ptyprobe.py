#!/usr/bin/env python3
"""Measures a terminal program the way a person meets it: in a pseudo-terminal.

Sub-commands (all timestamps are time.monotonic_ns()):

  startup  Time from exec to the first complete frame, for the wizard, for
           `whiptail --msgbox`, and for a floor (`tail -f` of a 2.3 KB file:
           fork, exec and one write of a frame's size, nothing else), run in
           rotation. "First complete frame" is the last byte written before
           the program goes quiet for QUIET ms.
  idle     Starts the wizard, waits for the first frame, then lets it sit for
           N seconds: CPU time spent (utime+stime from /proc/<pid>/stat, and the
           nanosecond sum of /proc/<pid>/task/*/schedstat) and bytes written
           (redraws) during that window.
  flow     Drives one full cancellation (13800138000, card payment, embedded
           sandbox) with keys, reads the SMS code off the sandbox phone panel,
           and reports VmHWM (peak RSS) from /proc/<pid>/status before exit.

Only the standard library: pty.fork, select, os.read.
"""

import argparse
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
import unicodedata

CSI = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")


class Screen:
    """Just enough of a terminal to read back what ratatui draws: cursor
    positioning, erase, and text with wide (CJK) characters taking two cells."""

    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.pending = b""

    def feed(self, data):
        data = self.pending + bytes(data)
        self.pending = b""
        i = 0
        while i < len(data):
            if data[i] == 0x1B:
                m = CSI.match(data, i)
                if not m:
                    self.pending = data[i:]  # an escape split across reads
                    return
                if m.group(3) is not None:
                    self.csi(m.group(1).decode(), m.group(3).decode())
                i = m.end()
                continue
            j = data.find(b"\x1b", i)
            j = len(data) if j < 0 else j
            chunk = data[i:j]
            try:
                text = chunk.decode("utf-8")
            except UnicodeDecodeError as e:  # a character split across reads
                text = chunk[: e.start].decode("utf-8")
                if j == len(data):
                    self.pending = chunk[e.start :]
                    j = len(data)
            self.text(text)
            i = j

    def csi(self, params, final):
        nums = [int(x) if x.isdigit() else 0 for x in params.split(";")] if params else []
        if final == "H":
            row = nums[0] if nums else 1
            col = nums[1] if len(nums) > 1 else 1
            self.r, self.c = max(row, 1) - 1, max(col, 1) - 1
        elif final == "J" and (nums[:1] == [2] or nums[:1] == [3]):
            self.cells = [[" "] * self.cols for _ in range(self.rows)]
        elif final == "J":
            for r in range(self.r, self.rows):
                for c in range(self.c if r == self.r else 0, self.cols):
                    self.cells[r][c] = " "
        elif final == "K":
            for c in range(self.c, self.cols):
                self.cells[self.r][c] = " "

    def text(self, text):
        for ch in text:
            if ch == "\r":
                self.c = 0
                continue
            if ch == "\n":
                self.r = min(self.r + 1, self.rows - 1)
                continue
            if ch < " ":
                continue
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if self.r < self.rows and self.c < self.cols:
                self.cells[self.r][self.c] = ch
                if w == 2 and self.c + 1 < self.cols:
                    self.cells[self.r][self.c + 1] = ""
            self.c += w

    def lines(self):
        return ["".join(row) for row in self.cells]

    def text_all(self):
        return "\n".join(self.lines())


CLK_TCK = os.sysconf("SC_CLK_TCK")


class Child:
    """A program running on the slave side of a fresh pty of cols×rows."""

    def __init__(self, argv, env, cols, rows):
        self.t0 = time.monotonic_ns()
        pid, fd = pty_fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.out = bytearray()
        self.screen = Screen(cols, rows)
        self.frames_at = []  # when each frame began (a synchronized update opened)
        self.last_byte_ns = None
        self.first_byte_ns = None
        self.eof = False

    def pump(self, timeout_s):
        """Reads what is there within timeout_s; returns the bytes read."""
        if self.eof:
            time.sleep(timeout_s)
            return b""
        ready, _, _ = select.select([self.fd], [], [], timeout_s)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the slave side is closed
            data = b""
        now = time.monotonic_ns()
        if not data:
            self.eof = True
            return b""
        if self.first_byte_ns is None:
            self.first_byte_ns = now
        self.last_byte_ns = now
        self.out += data
        self.frames_at += [now] * data.count(b"\x1b[?2026h")
        self.screen.feed(data)
        return data

    def until_quiet(self, quiet_ms, limit_s=20.0):
        """Waits for output followed by quiet_ms of silence; returns ns since exec."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.last_byte_ns is None:
                self.pump(0.05)
                continue
            left = self.last_byte_ns + quiet_ms * 1_000_000 - time.monotonic_ns()
            if left <= 0:
                return self.last_byte_ns - self.t0
            self.pump(left / 1e9)
        raise RuntimeError(
            f"no quiet frame within {limit_s}s; output so far: {bytes(self.out[-400:])!r}"
        )

    def send(self, data):
        os.write(self.fd, data)

    def wait_for(self, pattern, limit_s=20.0):
        """Pumps until the ANSI-stripped output matches pattern; returns the match."""
        deadline = time.monotonic() + limit_s
        rx = re.compile(pattern)
        while time.monotonic() < deadline:
            m = rx.search(plain(self.out))
            if m:
                return m
            self.pump(0.05)
        raise RuntimeError(
            f"{pattern!r} did not appear within {limit_s}s; screen text tail: "
            f"{plain(self.out)[-600:]!r}"
        )

    def wait_screen(self, pattern, limit_s=20.0):
        """Pumps until the screen as drawn now shows pattern; returns the match."""
        deadline = time.monotonic() + limit_s
        rx = re.compile(pattern)
        while time.monotonic() < deadline:
            m = rx.search(self.screen.text_all())
            if m:
                return m
            self.pump(0.05)
        raise RuntimeError(
            f"{pattern!r} did not appear within {limit_s}s; screen:\n{self.screen.text_all()}"
        )

    def mark(self):
        """Forgets the output so far, so wait_for only sees what comes next."""
        self.out = bytearray()
        self.frames_at = []

    def stop(self):
        """Asks the program to end (SIGTERM), drains, reaps. Returns the wait status."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        return self.reap()

    def reap(self, limit_s=5.0):
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return status
            self.pump(0.02)
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return status


def pty_fork():
    import pty

    return pty.fork()


ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")


def plain(data):
    """The text of an output stream with escape sequences removed."""
    return ANSI.sub(b"", bytes(data)).decode("utf-8", "replace")


def cpu_ticks(pid):
    """utime+stime of the whole process (all threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3); utime/stime are fields 14 and 15.
    return int(fields[11]) + int(fields[12])


def thread_ns(pid):
    """Run time of each live thread, from schedstat: {tid: ns}."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[tid] = int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def cpu_ns_between(before, after):
    """CPU spent between two thread_ns readings, and how many threads ended in
    between (their last moments are not counted: a thread that ends takes its
    schedstat with it; the tick count from /proc/<pid>/stat still has them)."""
    spent = sum(ns - before.get(tid, 0) for tid, ns in after.items())
    return spent, len(set(before) - set(after))


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def base_env(lang):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "LANG": lang,
    }
    return env


def wizard_env(binary, lang):
    home = tempfile.mkdtemp(prefix="uw-bench-")
    env = base_env(lang)
    env["HOME"] = home
    env["XDG_DATA_HOME"] = os.path.join(home, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    return [binary], env, home


def ms(ns):
    return ns / 1e6


def first_frame(who, a):
    """One start: ns from exec to the first complete frame."""
    if who == "floor":
        # The least any program can take here: a small C program (coreutils'
        # tail) that writes a frame's worth of bytes and then waits.
        argv = ["/usr/bin/tail", "-c", "+1", "-f", a.floor_file]
        c = Child(argv, base_env(a.lang), 80, 24)
        t = c.until_quiet(a.quiet_ms)
        c.stop()
        return t
    if who == "whiptail":
        argv = [a.whiptail, "--msgbox", "Press Enter to continue.", "10", "40"]
        c = Child(argv, base_env(a.lang), 80, 24)
        t = c.until_quiet(a.quiet_ms)
        c.stop()
        return t
    argv, env, home = wizard_env(a.binary if who == "wizard" else a.compare, a.lang)
    c = Child(argv, env, 80, 24)
    t = c.until_quiet(a.quiet_ms)
    c.stop()
    shutil.rmtree(home, ignore_errors=True)
    return t


def cmd_startup(a):
    who = ["wizard", "whiptail", "floor"] + (["compare"] if a.compare else [])
    times = {w: [] for w in who}
    with tempfile.NamedTemporaryFile("w", prefix="uw-floor-", suffix=".txt") as f:
        # About the size of the wizard's first login frame (2.3 KB).
        f.write(("x" * 79 + "\n") * 29)
        f.flush()
        a.floor_file = f.name
        for i in range(a.runs):
            # Rotate the order so no program always runs right after another.
            k = i % len(who)
            for w in who[k:] + who[:k]:
                times[w].append(first_frame(w, a))
    print(f"first frame, 80x24, quiet={a.quiet_ms} ms, {a.runs} runs each (alternating)")
    for name, xs in times.items():
        label = name if name != "compare" else f"compare ({a.compare})"
        print(
            f"  {label:9} median {ms(statistics.median(xs)):7.2f} ms"
            f"  min {ms(min(xs)):7.2f}  max {ms(max(xs)):7.2f}"
        )
    mt = statistics.median(times["whiptail"])
    mf = statistics.median(times["floor"])
    print(f"  ratio wizard/whiptail {statistics.median(times['wizard']) / mt:.2f}")
    if a.compare:
        print(f"  ratio compare/whiptail {statistics.median(times['compare']) / mt:.2f}")
    # What each spends above the floor (fork, exec, a write, the pty): its own work.
    for name in ["wizard", "whiptail"] + (["compare"] if a.compare else []):
        own = statistics.median(times[name]) - mf
        print(f"  {name:9} above the floor {ms(own):6.2f} ms")


def cmd_idle(a):
    argv, env, home = wizard_env(a.binary, a.lang)
    c = Child(argv, env, 80, 24)
    first = c.until_quiet(a.quiet_ms)
    startup_ticks, threads0 = cpu_ticks(c.pid), thread_ns(c.pid)
    startup_ns = sum(threads0.values())
    c.mark()
    t_start = time.monotonic()
    ticks0 = startup_ticks
    while time.monotonic() - t_start < a.seconds:
        c.pump(0.2)
    ticks1 = cpu_ticks(c.pid)
    idle_ns, ended = cpu_ns_between(threads0, thread_ns(c.pid))
    n_threads = threads(c.pid)
    idle_bytes = len(c.out)
    c.stop()
    shutil.rmtree(home, ignore_errors=True)
    print(f"idle, 80x24, {a.seconds:.0f} s after the first frame ({ms(first):.1f} ms after exec)")
    print(f"  start-up CPU (exec -> first frame + {a.quiet_ms} ms): "
          f"{startup_ticks * 1000 // CLK_TCK} ms (ticks), {ms(startup_ns):.2f} ms (schedstat)")
    print(f"  idle CPU: {(ticks1 - ticks0) * 1000 // CLK_TCK} ms (utime+stime, {1000 // CLK_TCK} ms ticks), "
          f"{ms(idle_ns):.3f} ms (schedstat, {n_threads} threads; {ended} ended meanwhile)")
    print(f"  bytes written while idle: {idle_bytes} (0 = no redraw)")


def cmd_flow(a):
    argv, env, home = wizard_env(a.binary, a.lang)
    c = Child(argv, env, a.cols, a.rows)
    c.until_quiet(a.quiet_ms)
    steps = []

    def step(name, keys, expect, limit_s=20.0, stream=False):
        c.mark()
        t = time.monotonic_ns()
        for k in keys:
            c.send(k)
            time.sleep(0.005)
        m = c.wait_for(expect, limit_s) if stream else c.wait_screen(expect, limit_s)
        took = time.monotonic_ns() - t
        # Every frame is wrapped in a synchronized update: count the openings.
        gaps = [b - a for a, b in zip(c.frames_at, c.frames_at[1:])]
        steps.append((name, took, len(c.frames_at), gaps))
        return m

    # Typing the number: the carrier is recognised; Enter asks for a code.
    c.send(b"13800138000")
    time.sleep(0.1)
    m = step("request code", [b"\r"], r"验证码为[^0-9]{0,20}(\d{6})", stream=True)
    code = m.group(1).encode()
    step("login + plans", [code, b"\r"], r"可退订")
    time.sleep(0.3)
    step("quote", [b"\r"], r"费用报价（以运营商为准）")
    time.sleep(0.3)
    c.send("张伟".encode())
    time.sleep(0.05)
    step("form", [b"\t", b"110101199003071233", b"\r"], r"请核对")
    time.sleep(0.3)
    step("submit", [b"\r"], r"订单号")
    time.sleep(0.3)
    step("pay + await", [b"\t", b"6222021234567890128", b"\r"], r"已退订，运营商已确认", 60)
    time.sleep(1.0)
    c.pump(0.3)
    last = c.screen.lines()
    hwm = status_kb(c.pid, "VmHWM")
    rss = status_kb(c.pid, "VmRSS")
    n_threads = threads(c.pid)
    ticks = cpu_ticks(c.pid)
    c.mark()
    c.send(b"\r")
    status = c.reap(10)
    shutil.rmtree(home, ignore_errors=True)
    print(f"full flow, {a.cols}x{a.rows}, 13800138000, card, embedded sandbox")
    print("  step           keys sent -> expected text on screen, frames drawn (rate), gaps between frames")
    for name, t, frames, gaps in steps:
        gap = (f"median gap {ms(statistics.median(gaps)):6.1f} ms, "
               f"{sum(g < 90_000_000 for g in gaps)} gaps < 90 ms") if gaps else ""
        print(f"  {name:14} {ms(t):8.1f} ms  {frames:4d} frames ({frames / (t / 1e9):5.1f} /s)  {gap}")
    print(f"  peak RSS (VmHWM) {hwm} kB = {hwm / 1024:.1f} MiB; RSS at the end {rss} kB; "
          f"{n_threads} threads; CPU {ticks * 1000 // CLK_TCK} ms")
    print(f"  exit status after Enter on the last screen: {os.waitstatus_to_exitcode(status)}")
    if a.show:
        print("  last screen:\n" + "\n".join("    " + l.rstrip() for l in last))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--lang", default="zh_CN.UTF-8")
    p.add_argument("--quiet-ms", type=int, default=300)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("startup")
    s.add_argument("--runs", type=int, default=21)
    s.add_argument("--compare", help="a second wizard binary to run in the same rotation (A/B)")
    s.add_argument("--whiptail", default=shutil.which("whiptail") or "/usr/bin/whiptail")
    i = sub.add_parser("idle")
    i.add_argument("--seconds", type=float, default=10.0)
    f = sub.add_parser("flow")
    f.add_argument("--cols", type=int, default=120)
    f.add_argument("--rows", type=int, default=40)
    f.add_argument("--show", action="store_true", help="print the last screen")
    a = p.parse_args()
    {"startup": cmd_startup, "idle": cmd_idle, "flow": cmd_flow}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
