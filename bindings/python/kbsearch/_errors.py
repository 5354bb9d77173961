"""Exceptions: one class per kbs_status of the C library.

Every failing call raises a subclass of :class:`Error` whose message is the
database handle's detailed message (kbs_db_errmsg()), e.g.
``"Q999999: no such article"``, or the status's description when the
library left none. ``status`` is the :class:`Status` value.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Type


class Status(enum.IntEnum):
    """kbs_status values, as in include/kbsearch.h."""

    OK = 0          #: success
    DONE = 1        #: an iterator has no more items (never raised)
    NOMEM = 2       #: memory allocation failed
    INVALID = 3     #: an argument is out of range or malformed
    IO = 4          #: a file or directory could not be read
    PARSE = 5       #: a file is not an article the library can read
    DB = 6          #: SQLite reported an error
    SCHEMA = 7      #: the database has another schema version
    NOT_FOUND = 8   #: the requested article does not exist
    READONLY = 9    #: write attempted on a database opened read-only
    CORRUPT = 10    #: the database file is damaged or not a database
    CANCELLED = 11  #: the progress callback asked to stop


class Error(Exception):
    """Base class of every kbsearch error.

    Attributes:
        message: the detailed message (the handle's kbs_db_errmsg(), or a
            message of the binding itself).
        status: the C library's status, or None for errors of the binding
            (a closed database, a library that cannot be loaded).
    """

    def __init__(self, message: str, status: Optional[Status] = None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class OutOfMemoryError(Error, MemoryError):
    """KBS_NOMEM: the library ran out of memory."""


class InvalidArgumentError(Error, ValueError):
    """KBS_INVALID, or an argument the binding refuses before the call
    (an embedded NUL byte, a limit below 1): not a KB id, not an error
    code, an empty file name..."""


class FileError(Error):
    """KBS_IO: a file or directory could not be read (a database that does
    not exist when opened with mode "r", an unreadable aliases file)."""


class ParseError(Error):
    """KBS_PARSE: a file is not in a format the library reads (an aliases
    file with a malformed line)."""


class DatabaseError(Error):
    """KBS_DB: SQLite reported an error (corrupt file, disk full...)."""


class SchemaError(DatabaseError):
    """KBS_SCHEMA: the database was written by another schema version; it
    is never rebuilt silently: re-index into a new file."""


class CorruptError(DatabaseError):
    """KBS_CORRUPT: the database file is damaged or is not a kbsearch
    database; the message names the file and says how to recover (rebuild it
    with ``kbsearch index --rebuild`` or delete it and index again)."""


class NotFoundError(Error, LookupError):
    """KBS_NOT_FOUND: no article with that KB id."""


class ReadOnlyError(Error):
    """KBS_READONLY: a write (index()) on a database opened with mode "r"."""


class ClosedError(Error):
    """The Database was closed; open a new one."""


class LibraryError(Error):
    """libkbsearch cannot be loaded, or is of another version."""


_BY_STATUS: Dict[int, Type[Error]] = {
    Status.NOMEM: OutOfMemoryError,
    Status.INVALID: InvalidArgumentError,
    Status.IO: FileError,
    Status.PARSE: ParseError,
    Status.DB: DatabaseError,
    Status.SCHEMA: SchemaError,
    Status.NOT_FOUND: NotFoundError,
    Status.READONLY: ReadOnlyError,
    Status.CORRUPT: CorruptError,
}


def from_status(status: int, message: str) -> Error:
    """The exception for a failed call's status and handle message."""
    try:
        st: Optional[Status] = Status(status)
    except ValueError:
        st = None
    cls = _BY_STATUS.get(status, Error)
    if not message:
        message = f"kbsearch status {status}" if st is None else \
            st.name.lower().replace("_", " ")
    return cls(message, st)
