"""Worker processes of the scheduler: this interpreter running one of our modules.

A worker reads one JSON request from stdin and writes JSON lines to stdout (the MaxSAT
engines, ``_maxsat_worker``; the per-participant break bound, ``_bound_worker``). Processes,
not threads, so the work runs on another core despite the GIL; ``subprocess``, not
``multiprocessing``, because a Celery prefork worker is a daemon process and may not have
``multiprocessing`` children.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO


def start_worker(module: str, request: object) -> tuple[subprocess.Popen[str], IO[bytes]]:
    """Start ``python -m module`` and send it ``request`` (as JSON, then end of input).

    Returns the process (stdout: a text pipe) and the temporary file taking its stderr;
    ``stop_worker`` ends the process and closes that file."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([package_root, *filter(None, [env.get("PYTHONPATH")])])
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 (stop_worker closes it)
    proc = subprocess.Popen(  # noqa: S603 (fixed argv: this interpreter, our module)
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        text=True,
    )
    assert proc.stdin is not None  # noqa: S101 (Popen with stdin=PIPE)
    try:
        proc.stdin.write(json.dumps(request))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the worker died at start-up: its exit code and stderr say why
    return proc, stderr


def emit(payload: dict[str, object]) -> None:
    """In a worker: write one JSON line to stdout, at once (the parent reads as it goes)."""
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def stop_worker(
    proc: subprocess.Popen[str], stderr: IO[bytes], reader: threading.Thread | None = None
) -> str:
    """Kill the worker if it still runs, wait for it and for the thread reading its stdout, and
    return why it failed ('' when it exited normally or was killed); closes both pipes' ends."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if reader is not None:
        reader.join()
    if proc.stdout is not None:
        proc.stdout.close()
    try:
        if proc.returncode in (0, -9):
            return ""
        stderr.seek(0)
        lines = stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {proc.returncode}"
    finally:
        stderr.close()
