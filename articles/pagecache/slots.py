"""Render slots: how many stale pages this machine renders again at once.

One purge can make dozens of pages stale together: an edit of a hot article shows on the
front page, on its lists and in the related boxes of every article near it. Each stale page
has a single renderer already (its lock, store.py), but without a bound every worker of the
machine would be rendering a different page at the same moment, while the readers of pages
that are still fresh wait in the queue behind them. A reader of a stale page who finds every
slot taken gets the old copy, as that page's other readers do, and a later reader renders it
within the grace. Pages that may not be served stale (a hard purge, the grace over, a page
never stored) never wait for a slot.

A slot is a file locked with flock(): it bounds the machine whatever the cache (the CPU is
the machine's), the kernel gives it back if its process dies, and taking one makes no round
trip. Each take opens the file anew, so that threads of one process exclude each other too.
The files live in a directory of their own in the system's temporary directory, private to
this user: one that another user made (to hold the slots, or to point elsewhere) is not
used, and renders are then unbounded, as they are where no directory can be made.
"""

import fcntl
import os
import stat
import threading

from django.conf import settings

_held = threading.local()  # the slot of the render this thread is doing, if any


def take() -> bool:
    """Take a free slot for this thread's render; False when every slot is taken."""
    give_back()  # a thread renders one page at a time: a slot still held was never returned
    count = settings.PAGE_CACHE_RENDER_SLOTS
    if count <= 0:
        return True
    directory = settings.PAGE_CACHE_RENDER_SLOTS_DIR
    if not _is_private(directory):
        return True
    for n in range(count):
        try:
            fd = os.open(directory / f"slot-{n}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # taken
            os.close(fd)
            continue
        except OSError:  # a file system without locks: unbounded, rather than never rendered
            os.close(fd)
            return True
        _held.fd = fd
        return True
    return False


def _is_private(directory) -> bool:
    """Whether `directory` is (now) a real directory of this user's that no one else writes."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.lstat(directory)
    except OSError:  # a read-only disk
        return False
    return (
        stat.S_ISDIR(found.st_mode)
        and found.st_uid == os.getuid()
        and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def give_back():
    """Give back this thread's slot, if it holds one (closing the file unlocks it)."""
    fd = getattr(_held, "fd", None)
    if fd is not None:
        _held.fd = None
        os.close(fd)
