"""Run a parser of untrusted bytes in a child process with a memory cap and a deadline.

PDF and image decoders are large C libraries: a crafted file can make them allocate gigabytes or
loop for minutes, and no check made before parsing can rule that out. The parse therefore runs in
a forked child whose address space is capped (``RLIMIT_AS``) and which is killed at the deadline;
the parent only ever receives the plain result (or the child's ``ImportFailure``) through a pipe.
A fork costs a few milliseconds, since the child shares the parent's loaded libraries.
"""

from __future__ import annotations

import faulthandler
import json
import os
import resource
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from phoihop.core.i18n import _

from .errors import ImportFailure

T = TypeVar("T")

DEFAULT_MEMORY = 1536 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0


def run_isolated(
    function: Callable[..., T],
    *args,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
    what: str = "",
) -> T:
    """``function(*args)`` in a forked child; its ``ImportFailure`` is raised here as it was.

    The result must be JSON data: nothing but plain values crosses back from the child.

    Where ``fork`` is not available (not POSIX) the function runs in this process.
    """
    if not hasattr(os, "fork") or os.environ.get("PHOIHOP_NO_ISOLATION"):
        return function(*args)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        # a decoder killed by the memory cap must not print a crash report on the server's log
        faulthandler.disable()
        code = 0
        try:
            try:
                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            except (ValueError, OSError):
                pass
            try:
                payload = ("ok", function(*args))
            except ImportFailure as exc:
                payload = ("failure", str(exc))
            except MemoryError:
                payload = ("memory", "")
            except BaseException as exc:  # noqa: BLE001 - reported to the parent as a refusal
                payload = ("error", f"{type(exc).__name__}: {exc}")
            data = json.dumps(payload).encode()
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _w, _x = select.select([pipe], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if timed_out:
        raise ImportFailure(
            _(
                "Tệp %(what)s bị từ chối: đọc quá %(seconds)s giây (tệp có thể bị hỏng hoặc cố ý làm bất thường)."
            )
            % {"what": what, "seconds": int(timeout)}
        )
    try:
        status, value = json.loads(b"".join(chunks))
    except Exception as exc:  # noqa: BLE001 - the child died (killed by the memory cap)
        raise ImportFailure(
            _(
                "Tệp %(what)s bị từ chối: đọc tệp cần quá nhiều bộ nhớ (tệp có thể bị hỏng hoặc cố ý làm bất thường)."
            )
            % {"what": what}
        ) from exc
    if status == "ok":
        return value
    if status == "failure":
        raise ImportFailure(value)
    if status == "memory":
        raise ImportFailure(
            _(
                "Tệp %(what)s bị từ chối: đọc tệp cần quá nhiều bộ nhớ (tệp có thể bị hỏng hoặc cố ý làm bất thường)."
            )
            % {"what": what}
        )
    raise ImportFailure(
        _("Không đọc được tệp %(what)s: tệp bị hỏng hoặc có cấu trúc không đọc được.")
        % {"what": what}
    )
