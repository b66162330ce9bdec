"""Standard output that survives its reader going away (`elea-import run … | head`).

The import must neither stop halfway because a progress line could not be written, nor lose its
exit status: once the pipe is closed, the rest of the output goes to /dev/null and the command
still ends with the import's own exit code."""

from __future__ import annotations

import contextlib
import io
import os
from typing import TextIO


class PipeSafeOutput(io.TextIOBase):
    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        self.reader_gone = True
        # The interpreter's final flush of the real stdout must not fail either.
        # A stream with no file behind it (tests' capture) has nothing to redirect.
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())
