"""The error every input reader raises: a bad input names itself and the fix."""

from __future__ import annotations

from dataclasses import dataclass

from l10n.errors import L10nError


@dataclass(unsafe_hash=True)
class InputError(L10nError):
    """An input that could not be read; ``message`` ends with what to do about it."""

    path: str
    line: int | None
    message: str

    def __post_init__(self) -> None:
        # Exception.args must carry the fields so the error survives pickling
        # (Prefect and Dask move results between processes).
        super().__init__(self.path, self.line, self.message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"
