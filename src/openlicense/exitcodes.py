"""The exit status of every ``openlicense`` command, as in ruff and reuse.

``scan``'s summary computes its status as a value (:attr:`openlicense.batch.ScanSummary.
exit_status`), so the table sits below the library, not in the command line.
"""

from __future__ import annotations

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK"]

#: Every input is fine.
EXIT_OK = 0
#: Some input has a finding: a string that does not normalize, a flag at or above ``--fail-on``.
EXIT_FINDINGS = 1
#: A usage error, or an input that cannot be read.
EXIT_ERROR = 2
#: Ended by Ctrl-C, as the shell reports it (128 + SIGINT); ``scan --resume`` finishes the run.
EXIT_INTERRUPTED = 130
