"""Progress bars on long builds: shown on a terminal, quiet in pipes, logs and CI."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

from benchmarks.generate import write_corpus

ROOT = Path(__file__).resolve().parents[1]
BARS = ("extracting", "linking", "writing")


def _command(seeds: Path, docs: Path) -> list[str]:
    return [sys.executable, "-m", "build_scripts", "build", "--seeds", str(seeds), "--docs", str(docs),
            "--knowledge", str(ROOT / "knowledge"), "--no-cache"]


def _on_a_terminal(cmd: list[str]) -> tuple[int, str]:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # 40 rows, 120 columns
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_long_builds_show_bars_on_a_terminal_and_stay_quiet_in_a_pipe(tmp_path):
    seeds = tmp_path / "seeds"
    write_corpus(220, seeds, seed=3, knowledge=ROOT / "knowledge")  # above the 200-capture threshold
    piped = subprocess.run(_command(seeds, tmp_path / "docs-piped"), cwd=ROOT, capture_output=True, text=True,
                           timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert not any(bar in piped.stderr for bar in BARS) and "\r" not in piped.stderr
    status, shown = _on_a_terminal(_command(seeds, tmp_path / "docs-terminal"))
    assert status == 0, shown
    for bar in BARS:
        assert f"{bar}:" in shown, f"no {bar} bar on the terminal:\n{shown[-2000:]}"
    assert re.search(r"extracting:[^\r]*\| *[1-9]\d*/220", shown)  # the bar moved as captures were done
