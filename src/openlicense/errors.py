"""Typed errors of openlicense.

Every error subclasses :class:`OpenLicenseError` and, where callers would expect a builtin,
that builtin too (an invalid expression is a :class:`ValueError`, a missing file a
:class:`FileNotFoundError`), so ``except ValueError`` keeps working for code that does not know
this package.
"""

from __future__ import annotations

import errno as _errno

__all__ = [
    "BinaryInputError",
    "CatalogError",
    "EmptyInputError",
    "EncodingInputError",
    "HubAccessError",
    "HubConnectionError",
    "HubError",
    "HubNotFoundError",
    "HubNotInstalledError",
    "HubReferenceError",
    "InputError",
    "InputTooLargeError",
    "InvalidLicenseExpression",
    "MissingInputError",
    "NotAFileError",
    "OpenLicenseError",
    "UnknownLicenseError",
    "UnreadableInputError",
]


class OpenLicenseError(Exception):
    """Base class of every error this package raises on purpose."""


class InvalidLicenseExpression(OpenLicenseError, ValueError):
    """A string is not a valid SPDX license expression.

    ``column`` is 1-based and ``context`` shows the text around the problem with a caret under
    it, so that a message can point at the exact place.
    """

    def __init__(
        self,
        message: str,
        *,
        expression: str = "",
        column: int | None = None,
        context: str | None = None,
    ) -> None:
        self.message = message
        self.expression = expression
        self.column = column
        self.context = context
        text = message
        if column is not None:
            text = f"{message} (column {column})"
        if context:
            text = f"{text}\n{context}"
        super().__init__(text)


class UnknownLicenseError(InvalidLicenseExpression):
    """The syntax is valid but an identifier is not on the SPDX list nor in the catalog."""


class CatalogError(OpenLicenseError, RuntimeError):
    """The bundled license catalog is inconsistent: a packaging or data-entry bug."""


class InputError(OpenLicenseError, ValueError):
    """An input (a file or a string) cannot be read as text."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class BinaryInputError(InputError):
    """The input is binary, not text."""


class InputTooLargeError(InputError):
    """The input exceeds the size openlicense accepts for that kind of input."""


class _InputOSError(InputError, OSError):
    """An :class:`InputError` that is also the :class:`OSError` the operating system would raise.

    The builtin ``OSError`` constructor parses errno-style positional arguments and formats
    ``str()`` as ``[Errno 2] ...: 'path'``; this class keeps :class:`InputError`'s one-line
    message instead and fills ``errno``, ``strerror`` and ``filename`` so that code written for
    the builtin (``except FileNotFoundError``, ``err.errno == errno.ENOENT``) keeps working.
    """

    default_errno: int = 0

    def __init__(self, message: str, *, path: str | None = None, errno: int | None = None) -> None:
        super().__init__(message, path=path)
        self.errno = self.default_errno if errno is None else errno
        self.strerror = message
        self.filename = path

    def __str__(self) -> str:
        # OSError.__str__ would print "[Errno N] message: 'path'" once filename is set.
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        # OSError.__reduce__ rebuilds from (errno, strerror, filename), which this constructor
        # does not take; errors cross process boundaries when a corpus is read in a pool.
        return (self._rebuild, (self.strerror, self.path, self.errno), self.__dict__ or None)

    @classmethod
    def _rebuild(cls, message: str, path: str | None, errno: int | None) -> _InputOSError:
        return cls(message, path=path, errno=errno)


class MissingInputError(_InputOSError, FileNotFoundError):
    """There is no file at the given path."""

    default_errno = _errno.ENOENT


class NotAFileError(_InputOSError, IsADirectoryError):
    """The path names a directory, a FIFO, a socket or a device rather than a regular file."""

    default_errno = _errno.EISDIR


class UnreadableInputError(_InputOSError, PermissionError):
    """The file exists but cannot be read: permission denied or another operating-system error.

    ``errno`` is the one the operating system reported (``EACCES``, ``EIO``, ``ELOOP``...).
    """

    default_errno = _errno.EACCES


class EncodingInputError(InputError):
    """The bytes are not valid in the encoding the file declares (UTF-8 unless it has a BOM).

    ``offset`` is the 0-based byte offset of the first invalid byte in the file and ``line`` the
    1-based line it is on.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        offset: int | None = None,
        line: int | None = None,
    ) -> None:
        self.offset = offset
        self.line = line
        super().__init__(message, path=path)


class EmptyInputError(InputError):
    """The input holds no text: an empty file says nothing about a license.

    :func:`openlicense.read.text.read_text_file` reads an empty file without error; the stages
    that need text (identification) raise this so that the empty file is reported, not skipped.
    """


class ReleaseFormatError(InputError):
    """A release file is malformed (front matter, YAML): names the file and line."""


class HubError(InputError):
    """A release named ``hf:ORG/NAME[@REVISION]`` cannot be read from the Hugging Face Hub.

    ``path`` is the reference as given, so the one-line message names what was asked for."""


class HubNotInstalledError(HubError):
    """Reading from the Hub needs ``huggingface_hub``: ``pip install 'openlicense[hub]'``."""


class HubReferenceError(HubError):
    """The text after ``hf:`` is not a repository id (``ORG/NAME``, optionally ``@REVISION``)."""


class HubAccessError(HubError):
    """The Hub refused access (HTTP 401/403): a gated or private repository, or a bad token."""


class HubNotFoundError(HubError):
    """The Hub has no such repository, or no such revision of it (HTTP 404)."""


class HubConnectionError(HubError):
    """The Hub could not be reached: no network, a name that does not resolve, a timeout, a
    refused connection, or a server error (5xx)."""
