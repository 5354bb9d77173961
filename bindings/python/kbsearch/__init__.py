"""kbsearch: search Microsoft KB articles for a pasted error, from Python.

A binding of libkbsearch, the C library of the kbsearch project: the same
index, ranking and lookups as the ``kbsearch`` command. The usage loop::

    import kbsearch

    paste = open("event.txt").read()   # an Event Viewer entry, a message box
    with kbsearch.Database("kb.sqlite") as db:
        results = db.search(paste, limit=5)
        print(results.query.kind, results.query.event_id)
        for hit in results:
            print(hit.rank, hit.kb_id, f"{hit.score:.2f}", hit.title)
        article = db.article(results[0].kb_id)    # raises NotFoundError
        for event in article.events:
            print(event.id, event.source)

Indexing (the database open with mode "w")::

    with kbsearch.Database("kb.sqlite", mode="w") as db:
        report = db.index(["articles/"], prune=True)
        for failure in report.failures:
            print(failure.path, failure.reason)

Lookups: ``db.event(1003, source="TermService")``, ``db.code("0x80070005")``,
``db.file("termsrv.exe", "4.0.1381.33")``, ``db.refs("Q256986")``,
``db.stats()``. Errors are subclasses of :class:`kbsearch.Error`.

The library is the installed libkbsearch (the one of the prefix this
package was installed with, else the loader's search path), or the file
named by ``$KBSEARCH_LIBRARY``. Use one Database per thread.
"""

from ._capi import LIBRARY_ENV, library_path
from ._capi import lib as _lib
from ._database import Database, ProgressFn
from ._errors import (ClosedError, CorruptError, DatabaseError, Error,
                      FileError,
                      InvalidArgumentError, LibraryError, NotFoundError,
                      OutOfMemoryError, ParseError, ReadOnlyError,
                      SchemaError, Status)
from ._types import (Article, Code, Event, File, FileOutcome, Hit,
                     IndexReport, IndexStats, Outcome, Product, QueryInfo,
                     Results, Section, Stats)

#: Version of this binding; the library's must have the same MAJOR.MINOR.
__version__ = "0.1.0"


def library_version() -> str:
    """The loaded libkbsearch's version, "MAJOR.MINOR.PATCH".

    Raises LibraryError when the library cannot be loaded.
    """
    return str(_lib().kbs_version().decode("ascii", "replace"))


__all__ = [
    "Article", "ClosedError", "Code", "CorruptError", "Database",
    "DatabaseError", "Error",
    "Event", "File", "FileError", "FileOutcome", "Hit", "IndexReport",
    "IndexStats", "InvalidArgumentError", "LIBRARY_ENV", "LibraryError",
    "NotFoundError", "OutOfMemoryError", "Outcome", "ParseError", "Product",
    "ProgressFn", "QueryInfo", "ReadOnlyError", "Results", "SchemaError",
    "Section", "Stats", "Status", "library_path", "library_version",
]

# Show the public names where users import them from: kbsearch.Hit, not
# kbsearch._types.Hit, in reprs, tracebacks and help().
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
