"""reading: decoding tables, newline and line-number bookkeeping, and one typed error per bad input.

Every file is generated in ``tmp_path``; nothing here needs a fixture on disk.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import pickle
import random
import struct
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openlicense.errors import (
    BinaryInputError,
    EncodingInputError,
    InputError,
    InputTooLargeError,
    MissingInputError,
    NotAFileError,
    OpenLicenseError,
    UnreadableInputError,
)
from openlicense.read import text as reading
from openlicense.read.text import (
    MAX_TEXT_BYTES,
    TextInput,
    read_text,
    read_text_file,
    text_input,
)

LICENSE = (
    "MIT License\n\nCopyright © 2024 — Ünïcode Contributors 🦙\n\nPermission is hereby granted\n"
)


def write(tmp_path: Path, data: bytes, name: str = "LICENSE") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- decoding ----------------------------------------------------------------------------------

# (id, bytes on disk, expected text, encoding, newline)
DECODED = [
    ("utf-8", LICENSE.encode(), LICENSE, "utf-8", "\n"),
    ("utf-8-bom", b"\xef\xbb\xbf" + LICENSE.encode(), LICENSE, "utf-8-sig", "\n"),
    ("utf-16-le-bom", b"\xff\xfe" + LICENSE.encode("utf-16-le"), LICENSE, "utf-16-le", "\n"),
    ("utf-16-be-bom", b"\xfe\xff" + LICENSE.encode("utf-16-be"), LICENSE, "utf-16-be", "\n"),
    (
        "utf-16-le-bom-crlf",
        b"\xff\xfe" + LICENSE.replace("\n", "\r\n").encode("utf-16-le"),
        LICENSE,
        "utf-16-le",
        "\r\n",
    ),
    (
        "utf-32-le-bom",
        b"\xff\xfe\x00\x00" + LICENSE.encode("utf-32-le"),
        LICENSE,
        "utf-32-le",
        "\n",
    ),
    (
        "utf-32-be-bom",
        b"\x00\x00\xfe\xff" + LICENSE.encode("utf-32-be"),
        LICENSE,
        "utf-32-be",
        "\n",
    ),
    ("crlf", LICENSE.replace("\n", "\r\n").encode(), LICENSE, "utf-8", "\r\n"),
    ("lone-cr", LICENSE.replace("\n", "\r").encode(), LICENSE, "utf-8", "\r"),
    ("mixed", b"one\r\ntwo\nthree\rfour", "one\ntwo\nthree\nfour", "utf-8", "mixed"),
    ("cr-then-lf-is-crlf", b"a\r\nb\r\n", "a\nb\n", "utf-8", "\r\n"),
    ("lf-cr-is-two-breaks", b"a\n\rb", "a\n\nb", "utf-8", "mixed"),
    ("no-newline", b"MIT", "MIT", "utf-8", ""),
    ("empty", b"", "", "utf-8", ""),
    ("bom-only", b"\xef\xbb\xbf", "", "utf-8-sig", ""),
    ("utf-16-bom-only", b"\xff\xfe", "", "utf-16-le", ""),
    ("whitespace-only", b"  \t\n\n   \n", "  \t\n\n   \n", "utf-8", "\n"),
    ("nul-after-8k-is-text", b"a" * 9000 + b"\x00", "a" * 9000 + "\x00", "utf-8", ""),
]


@pytest.mark.parametrize(
    ("data", "text", "encoding", "newline"),
    [case[1:] for case in DECODED],
    ids=[case[0] for case in DECODED],
)
def test_read_text_file_decodes(
    tmp_path: Path, data: bytes, text: str, encoding: str, newline: str
) -> None:
    path = write(tmp_path, data)
    got = read_text_file(path)
    assert got == TextInput(
        text=text, path=str(path), encoding=encoding, newline=newline, size=len(data)
    )


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, b"MIT\n")
    monkeypatch.chdir(tmp_path)
    assert read_text_file("LICENSE").path == "LICENSE"
    assert read_text_file(Path("LICENSE")).path == "LICENSE"


# --- line numbers ------------------------------------------------------------------------------

# The same three-line text written with each newline convention: offsets and lines are counted
# in the normalized text, so they agree whatever the file used.
NEWLINES = [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")]


@pytest.mark.parametrize("newline", [nl for _, nl in NEWLINES], ids=[i for i, _ in NEWLINES])
def test_line_numbers_after_newline_normalization(tmp_path: Path, newline: str) -> None:
    lines = ["MIT License", "", "Copyright © 2024 Ünïcode", "Permission is hereby granted"]
    path = write(tmp_path, newline.join(lines).encode())
    got = read_text_file(path)
    assert got.newline == newline
    assert got.line_count == 4
    assert [got.line(n) for n in range(1, 5)] == lines
    third = got.text.index("Copyright")
    assert (got.line_of(third), got.line_of(third - 1), got.line_of(third - 2)) == (3, 2, 1)
    assert got.line_of(got.text.index("granted")) == 4


# (id, text, offset, expected line)
LINE_OF = [
    ("start", "ab\ncd\n", 0, 1),
    ("newline-ends-its-line", "ab\ncd\n", 2, 1),
    ("after-newline", "ab\ncd\n", 3, 2),
    ("last-char", "ab\ncd\n", 5, 2),
    ("end-after-final-newline", "ab\ncd\n", 6, 3),
    ("end-without-final-newline", "ab\ncd", 5, 2),
    ("last-char-without-final-newline", "ab\ncd", 4, 2),
    ("empty-text", "", 0, 1),
    ("only-newlines", "\n\n\n", 3, 4),
    ("blank-line", "a\n\nb", 2, 2),
]


@pytest.mark.parametrize(
    ("text", "offset", "line"), [c[1:] for c in LINE_OF], ids=[c[0] for c in LINE_OF]
)
def test_line_of(text: str, offset: int, line: int) -> None:
    assert text_input(text).line_of(offset) == line


# (id, text, line number, expected line text)
LINE = [
    ("first", "ab\ncd\n", 1, "ab"),
    ("second", "ab\ncd\n", 2, "cd"),
    ("empty-after-final-newline", "ab\ncd\n", 3, ""),
    ("last-without-final-newline", "ab\ncd", 2, "cd"),
    ("empty-text", "", 1, ""),
    ("blank-line", "a\n\nb", 2, ""),
    ("crlf-input-normalized", "a\r\nb\r\n", 2, "b"),
    ("cr-input-normalized", "a\rb", 2, "b"),
]


@pytest.mark.parametrize(
    ("text", "number", "expected"), [c[1:] for c in LINE], ids=[c[0] for c in LINE]
)
def test_line(text: str, number: int, expected: str) -> None:
    assert text_input(text).line(number) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: t.line_of(-1), "offset -1 is outside the text (0..6)"),
        (lambda t: t.line_of(7), "offset 7 is outside the text (0..6)"),
        (lambda t: t.line(0), "line 0 is outside the text (1..3)"),
        (lambda t: t.line(4), "line 4 is outside the text (1..3)"),
    ],
    ids=["negative-offset", "offset-past-end", "line-zero", "line-past-end"],
)
def test_out_of_range_positions_raise_index_error(
    call: Callable[[TextInput], object], message: str
) -> None:
    with pytest.raises(IndexError) as info:
        call(text_input("ab\ncd\n"))
    assert str(info.value) == message


def test_unicode_line_separators_are_not_line_breaks() -> None:
    got = text_input("a\u2028b\x0bc\x0cd\x85e\nf")
    assert (got.line_count, got.line(1), got.newline) == (2, "a\u2028b\x0bc\x0cd\x85e", "\n")


@given(st.text(alphabet=st.sampled_from("ab\r\n\u2028é"), max_size=60))
def test_line_bookkeeping_agrees_with_split(raw: str) -> None:
    got = text_input(raw)
    lines = got.text.split("\n")
    assert "\r" not in got.text
    assert got.line_count == len(lines)
    assert [got.line(n) for n in range(1, len(lines) + 1)] == lines
    for offset in range(len(got.text) + 1):
        assert got.line_of(offset) == got.text.count("\n", 0, offset) + 1


# --- in-memory text and dispatch ---------------------------------------------------------------

# (id, text, path, expected TextInput fields: text, newline, size)
IN_MEMORY = [
    ("crlf", "MIT\r\nLicense\r\n", None, ("MIT\nLicense\n", "\r\n", 14)),
    ("lone-cr", "MIT\rLicense", None, ("MIT\nLicense", "\r", 11)),
    ("bom-stripped", "\ufeffMIT", None, ("MIT", "", 6)),
    ("only-one-bom-stripped", "\ufeff\ufeffMIT", None, ("\ufeffMIT", "", 9)),
    ("non-ascii-size-in-utf-8-bytes", "© Ü", "README.md", ("© Ü", "", 5)),
    ("empty", "", None, ("", "", 0)),
]


@pytest.mark.parametrize(
    ("text", "path", "expected"), [c[1:] for c in IN_MEMORY], ids=[c[0] for c in IN_MEMORY]
)
def test_text_input(text: str, path: str | None, expected: tuple[str, str, int]) -> None:
    got = text_input(text, path)
    assert got == TextInput(
        text=expected[0], path=path, encoding="utf-8", newline=expected[1], size=expected[2]
    )


def test_read_text_passes_a_text_input_through() -> None:
    given_input = text_input("MIT")
    assert read_text(given_input) is given_input


# (id, source builder given the tmp dir holding LICENSE = "MIT\n", expected text (None: the
# source itself), whether it was read from the file)
DISPATCH: list[tuple[str, Callable[[Path], str | os.PathLike[str]], str | None, bool]] = [
    ("path-object", lambda d: d / "LICENSE", "MIT\n", True),
    ("str-naming-a-file", lambda d: str(d / "LICENSE"), "MIT\n", True),
    ("short-str-naming-nothing", lambda d: "Apache-2.0", "Apache-2.0", False),
    # a file name followed by a newline is text, although the name alone would be read
    ("str-with-newline", lambda d: f"{d / 'LICENSE'}\n", None, False),
    ("str-with-cr", lambda d: "MIT\rLicense", "MIT\nLicense", False),
    ("empty-str", lambda d: "", "", False),
    ("str-longer-than-4096", lambda d: "x" * 4097, "x" * 4097, False),
    ("str-with-nul", lambda d: "MIT\x00", "MIT\x00", False),
]


@pytest.mark.parametrize(
    ("source", "text", "from_file"), [c[1:] for c in DISPATCH], ids=[c[0] for c in DISPATCH]
)
def test_read_text_dispatch(
    tmp_path: Path,
    source: Callable[[Path], str | os.PathLike[str]],
    text: str | None,
    from_file: bool,
) -> None:
    write(tmp_path, b"MIT\n")
    given_source = source(tmp_path)
    got = read_text(given_source)
    assert got.text == (given_source if text is None else text)
    assert got.path == (os.fspath(given_source) if from_file else None)


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (lambda d: d, NotAFileError),
        (str, NotAFileError),
        (lambda d: d / "missing", MissingInputError),
        (lambda d: os.fspath(d / "dangling"), MissingInputError),
    ],
    ids=["dir-path", "dir-str", "missing-path-object", "dangling-symlink-str"],
)
def test_read_text_reads_existing_paths_and_path_objects(
    tmp_path: Path, source: Callable[[Path], str | os.PathLike[str]], error: type[Exception]
) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(error):
        read_text(source(tmp_path))


def test_read_text_rejects_bytes() -> None:
    with pytest.raises(TypeError, match="not bytes"):
        read_text(b"MIT")  # type: ignore[arg-type]


# --- bad file contents -------------------------------------------------------------------------


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("LICENSE", "MIT License\n")
    return buffer.getvalue()


def safetensors_bytes() -> bytes:
    header = b'{"__metadata__":{"format":"pt"}}'
    return struct.pack("<Q", len(header)) + header + b"\x00" * 16


def random_bytes_with_nul() -> bytes:
    noise = bytearray(random.Random(20240601).randbytes(2048))
    noise[0:1] = b"A"  # not a magic number: the NUL check must be what catches it
    noise[100] = 0
    return bytes(noise)


# (id, bytes, error class, message fragment, (.offset, .line) of an EncodingInputError)
BAD_CONTENT: list[tuple[str, bytes, type[InputError], str, tuple[int, int] | None]] = [
    (
        "latin-1",
        "MIT License\n\nCopyright (c) 2024 Jérôme\n".encode("latin-1"),
        EncodingInputError,
        "not valid UTF-8 at byte offset 33 (line 3): invalid continuation byte [E9]; "
        "convert the file to UTF-8",
        (33, 3),
    ),
    (
        "latin-1-crlf",
        "a\r\nb\r\nc\xe9\r\n".encode("latin-1"),
        EncodingInputError,
        "at byte offset 7 (line 3)",
        (7, 3),
    ),
    ("latin-1-lone-cr", "a\rb\rc\xe9".encode("latin-1"), EncodingInputError, "(line 3)", (5, 3)),
    ("latin-1-first-byte", b"\xa9 2024", EncodingInputError, "byte offset 0 (line 1)", (0, 1)),
    (
        "truncated-utf-8",
        "ok\n©".encode()[:-1],
        EncodingInputError,
        "at byte offset 3 (line 2): unexpected end of data [C2]",
        (3, 2),
    ),
    ("utf-8-encoded-surrogate", b"a\xed\xa0\x80", EncodingInputError, "byte offset 1", (1, 1)),
    (
        "utf-16-odd-length",
        b"\xff\xfe" + "MIT\n©".encode("utf-16-le") + b"\x00",
        EncodingInputError,
        "not valid UTF-16-LE at byte offset 12 (line 2): truncated data",
        (12, 2),
    ),
    (
        "utf-16-lone-surrogate",
        b"\xfe\xff" + "a\n".encode("utf-16-be") + b"\xd8\x00\x00a",
        EncodingInputError,
        "not valid UTF-16-BE at byte offset 6 (line 2)",
        (6, 2),
    ),
    (
        "utf-32-out-of-range",
        b"\xff\xfe\x00\x00" + b"\x00\x00\x11\x00",
        EncodingInputError,
        "not valid UTF-32-LE at byte offset 4 (line 1)",
        (4, 1),
    ),
    (
        "png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        BinaryInputError,
        "is a PNG image, not text",
        None,
    ),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", BinaryInputError, "is a JPEG image", None),
    ("gif", b"GIF89a\x01\x00", BinaryInputError, "is a GIF image", None),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", BinaryInputError, "is a PDF document", None),
    ("zip", zip_bytes(), BinaryInputError, "is a ZIP archive", None),
    ("gzip", gzip.compress(b"MIT License\n"), BinaryInputError, "is a gzip archive", None),
    ("elf", b"\x7fELF\x02\x01\x01", BinaryInputError, "is an ELF executable", None),
    ("pickle", pickle.dumps({"a": 1}, protocol=4), BinaryInputError, "Python pickle", None),
    (
        "utf-8-bom-with-nul",
        b"\xef\xbb\xbfMIT\x00",
        BinaryInputError,
        "looks binary (NUL byte at offset 6)",
        None,
    ),
    ("safetensors", safetensors_bytes(), BinaryInputError, "NUL byte at offset", None),
    (
        "random-with-nul",
        random_bytes_with_nul(),
        BinaryInputError,
        "NUL byte at offset",
        None,
    ),
    (
        "utf-16-without-bom",
        "MIT License\n".encode("utf-16-le"),
        BinaryInputError,
        "looks binary (NUL byte at offset 1); pass a text file, or convert UTF-16/32",
        None,
    ),
]


@pytest.mark.parametrize(
    ("data", "error", "fragment", "where"),
    [c[1:] for c in BAD_CONTENT],
    ids=[c[0] for c in BAD_CONTENT],
)
def test_bad_content_raises_typed_error(
    tmp_path: Path,
    data: bytes,
    error: type[InputError],
    fragment: str,
    where: tuple[int, int] | None,
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(error) as info:
        read_text_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message
    assert "\n" not in message
    assert info.value.path == str(path)
    if isinstance(info.value, EncodingInputError):
        assert (info.value.offset, info.value.line) == where


# --- bad paths ---------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "LICENSE"
    with pytest.raises(MissingInputError) as info:
        read_text_file(path)
    err = info.value
    assert isinstance(err, FileNotFoundError)
    assert isinstance(err, InputError)
    assert str(err) == f"{path}: no such file; check the path and the working directory"
    assert (err.errno, err.filename, err.path) == (errno.ENOENT, str(path), str(path))


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("LICENSE/inside", "a parent in the path is a file"),
        ("LICENSE\x00.md", "the path contains a NUL byte"),
    ],
    ids=["parent-is-a-file", "nul-in-path"],
)
def test_impossible_paths_are_missing(tmp_path: Path, name: str, fragment: str) -> None:
    write(tmp_path, b"MIT\n")
    with pytest.raises(MissingInputError, match=fragment) as info:
        read_text_file(os.path.join(tmp_path, name))
    assert isinstance(info.value, FileNotFoundError)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(NotAFileError) as info:
        read_text_file(tmp_path)
    err = info.value
    assert isinstance(err, IsADirectoryError)
    assert str(err) == (
        f"{tmp_path}: is a directory, not a file; pass a file inside it (such as its LICENSE)"
    )
    assert err.errno == errno.EISDIR


def forbid_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: str) -> int:
        raise AssertionError(f"{name} must not be opened")

    monkeypatch.setattr(reading, "_open_fd", refuse)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "LICENSE"
    os.mkfifo(fifo)
    forbid_open(monkeypatch)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            read_text_file(fifo)
        except BaseException as err:  # handed to the test thread below
            outcome.append(err)

    # Opening a FIFO with no writer blocks forever: run in a thread so a regression fails
    # instead of hanging the suite.
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert len(outcome) == 1
    assert isinstance(outcome[0], NotAFileError)
    assert "is a named pipe (FIFO), not a regular file" in str(outcome[0])


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_device_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_open(monkeypatch)
    with pytest.raises(NotAFileError, match="is a character device, not a regular file"):
        read_text_file("/dev/null")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_file_swapped_for_a_fifo_after_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The path was a file at stat() time, but what open() got is a FIFO: fstat() must catch it.
    path = write(tmp_path, b"MIT\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(
        reading, "_open_fd", lambda name: os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    )
    with pytest.raises(NotAFileError, match="named pipe"):
        read_text_file(path)


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "cannot be read: permission denied; make it readable by this user",
        ),
        (
            OSError(errno.EIO, "Input/output error"),
            "cannot be read: Input/output error; check the file and the disk it is on",
        ),
    ],
    ids=["permission-denied", "io-error"],
)
@pytest.mark.parametrize("seam", ["_open_fd", "_read_chunk"])
def test_unreadable_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seam: str,
    raised: OSError,
    message: str,
) -> None:
    # Running as root, chmod 000 does not stop a read: fake the failure at the OS calls.
    path = write(tmp_path, b"MIT\n")

    def fail(*args: object) -> bytes:
        raise raised

    monkeypatch.setattr(reading, seam, fail)
    with pytest.raises(UnreadableInputError) as info:
        read_text_file(path)
    err = info.value
    assert isinstance(err, PermissionError)
    assert str(err) == f"{path}: {message}"
    assert (err.errno, err.filename) == (raised.errno, str(path))
    assert err.__cause__ is raised


# --- size limit --------------------------------------------------------------------------------


def sparse_file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "model.bin"
    with path.open("wb") as out:
        out.seek(size - 1)
        out.write(b"\x00")
    return path


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sparse_file(tmp_path, 50 * 1024 * 1024 + 1)
    forbid_open(monkeypatch)
    with pytest.raises(InputTooLargeError) as info:
        read_text_file(path)
    assert str(info.value).startswith(
        f"{path}: is 50 MiB, over the 10 MiB limit for a text file; license texts are far smaller"
    )


# (id, file size, max_bytes, expected error message fragment or None when it is read)
SIZES = [
    ("under", 99, 100, None),
    ("at-limit", 100, 100, None),
    ("one-over", 101, 100, "is 101 bytes, over the 100 bytes limit"),
    ("kib", 3 * 1024, 2048, "is 3 KiB, over the 2 KiB limit"),
    ("fraction", 1536, 1024, "is 1.5 KiB, over the 1 KiB limit"),
    ("same-rounded-size", 10 * 1024 * 1024 + 1, MAX_TEXT_BYTES, "is 10,485,761 bytes, over the"),
    ("empty-with-zero-limit", 0, 0, None),
    ("one-byte-zero-limit", 1, 0, "is 1 byte, over the 0 bytes limit"),
]


@pytest.mark.parametrize(
    ("size", "max_bytes", "fragment"), [c[1:] for c in SIZES], ids=[c[0] for c in SIZES]
)
def test_max_bytes(tmp_path: Path, size: int, max_bytes: int, fragment: str | None) -> None:
    path = sparse_file(tmp_path, size) if size > 4096 else write(tmp_path, b"a" * size)
    if fragment is None:
        assert read_text_file(path, max_bytes=max_bytes).size == size
    else:
        with pytest.raises(InputTooLargeError) as info:
            read_text_file(path, max_bytes=max_bytes)
        assert fragment in str(info.value)


def test_file_that_grew_after_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, b"a" * 10)
    monkeypatch.setattr(reading, "_read_chunk", lambda fd, size: b"a" * size)
    with pytest.raises(
        InputTooLargeError, match="grew past the 10 bytes limit for a text file while it was read"
    ):
        read_text_file(path, max_bytes=10)


# --- the error classes themselves --------------------------------------------------------------

ERROR_CLASSES = [
    (MissingInputError, FileNotFoundError, errno.ENOENT),
    (NotAFileError, IsADirectoryError, errno.EISDIR),
    (UnreadableInputError, PermissionError, errno.EACCES),
]


@pytest.mark.parametrize(
    ("cls", "builtin", "code"), ERROR_CLASSES, ids=[c[0].__name__ for c in ERROR_CLASSES]
)
def test_os_error_classes_behave_like_both_parents(
    cls: type[MissingInputError], builtin: type[OSError], code: int
) -> None:
    err = cls("what is wrong; what to do", path="models/x/LICENSE")
    assert isinstance(err, builtin)
    assert isinstance(err, OSError)
    assert isinstance(err, InputError)
    assert isinstance(err, OpenLicenseError)
    assert isinstance(err, ValueError)
    assert str(err) == "models/x/LICENSE: what is wrong; what to do"
    assert (err.errno, err.strerror, err.filename) == (
        code,
        "what is wrong; what to do",
        "models/x/LICENSE",
    )
    # Errors cross process boundaries when a corpus is read in a pool.
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), str(copy), copy.path, copy.errno) == (cls, str(err), err.path, code)


@pytest.mark.parametrize(
    "err",
    [
        EncodingInputError("not valid UTF-8", path="LICENSE", offset=3, line=2),
        BinaryInputError("is a PNG image", path="LICENSE"),
        InputTooLargeError("is 50 MiB", path="LICENSE"),
    ],
    ids=["encoding", "binary", "too-large"],
)
def test_content_errors_pickle(err: InputError) -> None:
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), str(copy), copy.path) == (type(err), str(err), "LICENSE")
    assert isinstance(copy, ValueError)
    if isinstance(err, EncodingInputError):
        assert isinstance(copy, EncodingInputError)
        assert (copy.offset, copy.line) == (3, 2)


def test_every_error_mode_is_an_input_error() -> None:
    modes = [
        MissingInputError,
        NotAFileError,
        UnreadableInputError,
        BinaryInputError,
        EncodingInputError,
        InputTooLargeError,
    ]
    assert all(issubclass(mode, InputError) for mode in modes)
