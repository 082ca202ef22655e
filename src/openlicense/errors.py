"""Typed errors of openlicense.

Every error subclasses :class:`OpenLicenseError` and, where callers would expect a builtin,
that builtin too (an invalid expression is a :class:`ValueError`, a missing file a
:class:`FileNotFoundError`), so ``except ValueError`` keeps working for code that does not know
this package.
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "CatalogError",
    "InputError",
    "InputTooLargeError",
    "InvalidLicenseExpression",
    "OpenLicenseError",
    "UnknownLicenseError",
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
