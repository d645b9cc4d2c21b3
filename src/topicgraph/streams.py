"""Writing bytes whole to a stream that may be unbuffered."""

from __future__ import annotations

__all__ = ["write_all"]


def write_all(stream, data: bytes) -> None:
    """Write every byte of ``data`` to ``stream`` and flush it.

    With ``PYTHONUNBUFFERED=1`` (or ``python -u``), ``sys.stdout.buffer`` is a raw ``FileIO`` whose ``write`` may
    write only part of a large block (a signal during the write; a reader that went away) and says so only by
    what it returns. Writing the rest, or failing with ``BrokenPipeError`` on the next call, is what a buffered
    stream does.

    >>> import io
    >>> class Trickle(io.RawIOBase):
    ...     def __init__(self): self.got = b""
    ...     def writable(self): return True
    ...     def write(self, b): self.got += bytes(b[:3]); return min(3, len(b))
    >>> t = Trickle(); write_all(t, b"0123456789"); t.got
    b'0123456789'
    """
    view = memoryview(data)
    while view:
        n = stream.write(view)
        if n is None:  # a non-blocking stream that could take nothing now: ours never are; do not spin
            raise BlockingIOError("the output stream would block")
        view = view[n:]
    stream.flush()
