"""What can go wrong with the close history, in words a finance user can act on."""

from __future__ import annotations

from finmodel.calendar import close_label


class StoreError(Exception):
    """The database cannot be used as asked: unreadable, not finmodel's, too new, damaged..."""


class CloseRefused(StoreError):
    """The close was not recorded because the history's rules forbid it as asked."""


class CloseExists(CloseRefused):
    """That year and month is already closed; a close is a record and is not overwritten."""

    def __init__(self, year: str, month: int, version: int, made_at: str, made_by: str) -> None:
        self.year = year
        self.month = month
        self.version = version
        self.made_at = made_at
        self.made_by = made_by
        shown = f"version {version}, " if version > 1 else ""
        super().__init__(
            f"{close_label(year, month)} is already closed ({shown}made {made_at} by {made_by}). "
            "A close is a record and is never overwritten: to close it again, give the reason, "
            'e.g. --reopen "corrected pay figures"; the earlier version is kept in the history.'
        )


class NothingToReopen(CloseRefused):
    """A reopen was asked for a month that has never been closed."""

    def __init__(self, year: str, month: int) -> None:
        self.year = year
        self.month = month
        super().__init__(
            f"{close_label(year, month)} has not been closed yet, so there is nothing to reopen: close it without --reopen."
        )


class StoreBusy(StoreError):
    """Another finmodel command held the database's write lock for longer than the lock timeout."""

    def __init__(self, location: str, seconds: float) -> None:
        self.location = location
        self.seconds = seconds
        super().__init__(
            f"{location} is busy: another finmodel command (a colleague's close?) has held its write lock "
            f"for more than {seconds:g} s, so nothing was recorded. Try again when it has finished; "
            "to wait longer, set FINMODEL_LOCK_TIMEOUT to a number of seconds."
        )
