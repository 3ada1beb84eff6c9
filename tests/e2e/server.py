"""``streamlit run serve.py`` on a free port against a store, for the browser tests and the browser benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``streamlit run serve.py`` on a free port with its own store; stopped by ``stop``."""

    def __init__(self, database_url: str, log: Path, *, demo: bool = True):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environment = {**os.environ, "LINGYI_DATABASE_URL": database_url}
        environment.pop("LINGYI_DEBUG", None)
        if demo:  # signed in as the demo analyst: every page without a sign-in
            environment["LINGYI_DEMO"] = "1"
        else:  # signed in as a real user, with the pages of that user's role
            environment.pop("LINGYI_DEMO", None)
        self._output = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "serve.py",
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--server.headless=true",
                "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_healthy()
        except RuntimeError:
            self.stop()
            raise

    def _wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start within {seconds} s: {self.log.read_text(errors='replace')}")

    def page_url(self, page: str) -> str:
        return f"{self.url}/{page}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._output.close()
