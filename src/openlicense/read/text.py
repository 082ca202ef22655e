"""Read a file (or wrap a string) as text, or say exactly why it cannot be read.

This is the first stage of every scan: it turns a LICENSE, USE_POLICY.md, NOTICE or README
into a :class:`TextInput` whose ``text`` has ``"\\n"`` newlines and no byte-order mark, and which
maps character offsets back to line numbers for findings. Anything that is not readable text
raises a typed :class:`~openlicense.errors.InputError` whose one-line message starts with the
path, so a scan over a corpus can record it against that file and carry on:

=========================  =====================================================================
``MissingInputError``      no such file (also a ``FileNotFoundError``)
``NotAFileError``          a directory, FIFO, socket or device (also an ``IsADirectoryError``)
``UnreadableInputError``   permission denied or another OS error (also a ``PermissionError``)
``InputTooLargeError``     bigger than ``max_bytes``; checked before a single byte is read
``BinaryInputError``       a known binary format, or NUL bytes near the start
``EncodingInputError``     not UTF-8 and no UTF-16/32 byte-order mark, or a broken UTF-16/32
=========================  =====================================================================

Files are decoded as UTF-8 unless they start with a UTF-8, UTF-16 or UTF-32 byte-order mark;
there is no guessing of legacy encodings, because a wrong guess silently changes the text a
license is identified from. Line breaks are ``"\\r\\n"``, ``"\\r"`` and ``"\\n"`` only (not the
Unicode separators ``str.splitlines`` also honours), as in editors and ``git``.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from openlicense.errors import (
    BinaryInputError,
    EncodingInputError,
    InputError,
    InputTooLargeError,
    MissingInputError,
    NotAFileError,
    UnreadableInputError,
)

__all__ = [
    "MAX_TEXT_BYTES",
    "TextInput",
    "read_text",
    "read_text_file",
    "text_input",
]

#: Largest file read as text. License texts are under 200 KB; anything near this size is the
#: wrong file, and refusing it keeps one stray dataset from exhausting memory in a batch.
MAX_TEXT_BYTES: Final = 10 * 1024 * 1024

#: A ``str`` given to :func:`read_text` that is longer than this is text, never a path.
_MAX_PATH_LENGTH: Final = 4096

#: How much of a file without a byte-order mark is searched for NUL bytes. Text has none;
#: almost every binary format has one in its first few kilobytes (the check git uses).
_BINARY_SNIFF_BYTES: Final = 8192

_READ_CHUNK: Final = 1024 * 1024

# UTF-32 first: its little-endian mark starts with the UTF-16 little-endian one.
_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Formats a stray file in a model repository is likely to be. Signatures that are plain ASCII
# (PDF) are listed because the NUL check alone would not always catch them; formats whose
# header holds NUL bytes anyway (safetensors, GGUF, most pickles) are left to that check.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or wheel, jar, docx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"BZh91AY&SY", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x80\x02", "a Python pickle"),
    (b"\x80\x03", "a Python pickle"),
    (b"\x80\x04", "a Python pickle"),
    (b"\x80\x05", "a Python pickle"),
)

_FILE_KINDS: Final[tuple[tuple[int, str], ...]] = (
    (stat.S_IFIFO, "a named pipe (FIFO)"),
    (stat.S_IFSOCK, "a socket"),
    (stat.S_IFCHR, "a character device"),
    (stat.S_IFBLK, "a block device"),
)

# O_NONBLOCK: if the path is swapped for a FIFO between stat() and open(), opening must not
# wait for a writer; it does not change how a regular file is read. O_BINARY: Windows only.
_OPEN_FLAGS: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class TextInput:
    """Decoded text and where it came from.

    ``text`` has ``"\\n"`` newlines and no leading byte-order mark; ``newline`` records what the
    original used (``"\\n"``, ``"\\r\\n"``, ``"\\r"``, ``"mixed"``, or ``""`` when it has no line
    break). ``encoding`` is the codec the bytes were decoded with (``"utf-8"`` for in-memory
    text) and ``size`` the number of bytes read (the UTF-8 length for in-memory text).

    Lines are the pieces of ``text.split("\\n")``, numbered from 1: text ending in a newline has
    an empty last line, so every offset from 0 to ``len(text)`` has a line.
    """

    text: str
    path: str | None
    encoding: str
    newline: str
    size: int
    # Offsets where each line starts. An array of machine integers, not a tuple of ints: a
    # 10 MB file of blank lines would otherwise hold hundreds of MB of int objects. Annotated
    # as a Sequence because array is not subscriptable at runtime before Python 3.12.
    _line_starts: Sequence[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = array("q", [0])
        text = self.text
        at = text.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        object.__setattr__(self, "_line_starts", starts)

    @property
    def line_count(self) -> int:
        """Number of lines, counting the empty line after a final newline."""
        return len(self._line_starts)

    def line_of(self, offset: int) -> int:
        """The 1-based number of the line holding character ``offset`` of ``text``.

        ``offset`` may equal ``len(text)`` (the end of a match); a newline belongs to the line
        it ends. Raises :class:`IndexError` outside ``0..len(text)``: negative offsets are not
        counted from the end, since they are always a caller's bug here.
        """
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} is outside the text (0..{len(self.text)})")
        return bisect.bisect_right(self._line_starts, offset)

    def line_start(self, number: int) -> int:
        """The offset of the first character of 1-based line ``number``; ``len(text)`` for the
        line after the last (so that ``line_start(b + 1)`` ends a range of lines ``a..b``)."""
        starts = self._line_starts
        if number == len(starts) + 1:
            return len(self.text)
        if not 1 <= number <= len(starts):
            raise IndexError(f"line {number} is outside the text (1..{len(starts)})")
        return starts[number - 1]

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``, without its newline."""
        starts = self._line_starts
        if not 1 <= number <= len(starts):
            raise IndexError(f"line {number} is outside the text (1..{len(starts)})")
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[starts[number - 1] : end]


def text_input(text: str, path: str | None = None) -> TextInput:
    """Wrap an in-memory string as :func:`read_text_file` would a file holding it in UTF-8.

    A lone surrogate (half of a UTF-16 pair, not a character: no file decoded as UTF-8 holds
    one) becomes U+FFFD, as decoding replaces what it cannot read, so that every later stage
    can encode the text."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _text_input(text, path=path, encoding="utf-8", size=size)


_SURROGATE = re.compile("[\ud800-\udfff]")


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_TEXT_BYTES) -> TextInput:
    """Read the file at ``path`` as text.

    Raises a subclass of :class:`~openlicense.errors.InputError` naming the file when it is
    missing, not a regular file, unreadable, larger than ``max_bytes``, binary or wrongly
    encoded. An empty file is not an error: its text is ``""``.
    """
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"path must be a str or os.PathLike[str], not {type(name).__name__}")
    # stat() before open(): opening a FIFO blocks until a writer comes, and the size is checked
    # before anything is read.
    try:
        info = os.stat(name)
    except ValueError:  # an embedded NUL byte: no file can have that name
        raise MissingInputError("no such file (the path contains a NUL byte)", path=name) from None
    except OSError as err:
        raise _os_error(err, name) from err
    _check_regular_file(info, name, max_bytes)
    try:
        data = _read_bytes(name, max_bytes)
    except InputError:  # the fstat() check after open() found a swapped or grown file
        raise
    except OSError as err:
        raise _os_error(err, name) from err
    text, encoding = _decode(data, name)
    return _text_input(text, path=name, encoding=encoding, size=len(data))


def read_text(source: str | os.PathLike[str] | TextInput) -> TextInput:
    """Turn a path, a string of text or a :class:`TextInput` into a :class:`TextInput`.

    A ``TextInput`` is returned as is and an ``os.PathLike`` is always read as a file. A ``str``
    is text when it holds a line break, is longer than 4096 characters or names nothing on
    disk; otherwise it is a path and is read (so a directory's name raises
    :class:`~openlicense.errors.NotAFileError`). Use :func:`text_input` or a ``pathlib.Path``
    when a short string could be either.
    """
    if isinstance(source, TextInput):
        return source
    if isinstance(source, str):
        if _looks_like_text(source):
            return text_input(source)
        return read_text_file(source)
    if isinstance(source, os.PathLike):
        return read_text_file(source)
    raise TypeError(f"expected a path, a str or a TextInput, not {type(source).__name__}")


def _looks_like_text(source: str) -> bool:
    if "\n" in source or "\r" in source or len(source) > _MAX_PATH_LENGTH:
        return True
    # lexists: a dangling symlink is a path, and reading it says it is missing.
    return not os.path.lexists(source)


def _text_input(text: str, *, path: str | None, encoding: str, size: int) -> TextInput:
    text = text.removeprefix("\ufeff")
    crlf = text.count("\r\n")
    kinds = {
        "\r\n": crlf,
        "\r": text.count("\r") - crlf,
        "\n": text.count("\n") - crlf,
    }
    used = [kind for kind, count in kinds.items() if count]
    newline = used[0] if len(used) == 1 else ("mixed" if used else "")
    if crlf or kinds["\r"]:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return TextInput(text=text, path=path, encoding=encoding, newline=newline, size=size)


def _check_regular_file(info: os.stat_result, name: str, max_bytes: int) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise NotAFileError(
            "is a directory, not a file; pass a file inside it (such as its LICENSE)", path=name
        )
    if not stat.S_ISREG(mode):
        kind = next(
            (kind for flag, kind in _FILE_KINDS if stat.S_IFMT(mode) == flag), "a special file"
        )
        raise NotAFileError(
            f"is {kind}, not a regular file; copy its content to a file and pass that", path=name
        )
    if info.st_size > max_bytes:
        raise _too_large(info.st_size, max_bytes, name)


def _open_fd(name: str) -> int:
    """Open ``name`` for reading without ever blocking (the seam tests use to fake errors)."""
    return os.open(name, _OPEN_FLAGS)


def _read_chunk(fd: int, size: int) -> bytes:
    return os.read(fd, size)


def _read_bytes(name: str, max_bytes: int) -> bytes:
    fd = _open_fd(name)
    try:
        # The path may have been replaced since stat(): check what was actually opened.
        _check_regular_file(os.fstat(fd), name, max_bytes)
        # Read one byte past the limit so that a file that grew since fstat() is still refused.
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = _read_chunk(fd, min(remaining, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_large(None, max_bytes, name)
    return data


def _os_error(err: OSError, name: str) -> MissingInputError | UnreadableInputError:
    if isinstance(err, FileNotFoundError):
        return MissingInputError(
            "no such file; check the path and the working directory", path=name, errno=err.errno
        )
    if isinstance(err, NotADirectoryError):
        return MissingInputError(
            "no such file: a parent in the path is a file, not a directory",
            path=name,
            errno=err.errno,
        )
    if isinstance(err, PermissionError):
        return UnreadableInputError(
            "cannot be read: permission denied; make it readable by this user",
            path=name,
            errno=err.errno,
        )
    reason = err.strerror or type(err).__name__
    return UnreadableInputError(
        f"cannot be read: {reason}; check the file and the disk it is on",
        path=name,
        errno=err.errno,
    )


def _too_large(size: int | None, max_bytes: int, name: str) -> InputTooLargeError:
    """``size`` is None when the file grew past the limit while it was being read."""
    limit = _human_size(max_bytes)
    advice = (
        "license texts are far smaller, so check that this is the right file (or raise max_bytes)"
    )
    if size is None:
        return InputTooLargeError(
            f"grew past the {limit} limit for a text file while it was read; {advice}", path=name
        )
    shown = _human_size(size)
    if shown == limit:  # 10 MiB + 1 byte against 10 MiB: only exact counts tell them apart
        shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
    return InputTooLargeError(
        f"is {shown}, over the {limit} limit for a text file; {advice}", path=name
    )


def _human_size(size: int) -> str:
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _decode(data: bytes, name: str) -> tuple[str, str]:
    bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", "utf-8"))
    # UTF-16/32 text is full of NUL bytes; everything else is UTF-8, where a NUL means binary.
    if codec.startswith("utf-8"):
        _refuse_binary(data, name)
    try:
        return data[len(bom) :].decode(codec), codec
    except UnicodeDecodeError as err:
        raise _encoding_error(data, err, len(bom), codec, name) from None


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(
                f"is {kind}, not text; pass the license text file instead", path=name
            )
    nul = data.find(b"\x00", 0, _BINARY_SNIFF_BYTES)
    if nul != -1:
        raise BinaryInputError(
            f"looks binary (NUL byte at offset {nul}); pass a text file, or convert UTF-16/32 "
            "text that has no byte-order mark to UTF-8",
            path=name,
        )


def _encoding_error(
    data: bytes, err: UnicodeDecodeError, skip: int, codec: str, name: str
) -> EncodingInputError:
    offset = skip + err.start
    # Everything before the first bad byte decodes; count its line breaks as TextInput does.
    before = data[skip:offset].decode(codec, "replace")
    crlf = before.count("\r\n")
    line = 1 + before.count("\n") + before.count("\r") - crlf
    bad = data[offset : min(offset + 4, skip + err.end)].hex(" ").upper()
    label = codec.removesuffix("-sig").upper()
    return EncodingInputError(
        f"not valid {label} at byte offset {offset} (line {line}): {err.reason} [{bad}]; "
        f"convert the file to UTF-8",
        path=name,
        offset=offset,
        line=line,
    )
