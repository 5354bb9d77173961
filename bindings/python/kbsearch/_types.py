"""Plain Python records returned by kbsearch.Database.

Everything here is a frozen dataclass built from copies of the C
library's strings and numbers: it holds no pointer into the library, so it
stays valid after the results are freed and after the Database is closed,
can be pickled, and may be handed to another thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence, Tuple, Union, overload


@dataclass(frozen=True)
class Event:
    """An event log entry an article describes."""

    id: int                     #: event ID, e.g. 1003
    source: Optional[str]       #: event source, e.g. "TermService"
    type: Optional[str]         #: "Error", "Warning", "Information"
    category: Optional[str]     #: task category
    description: Optional[str]  #: description text


@dataclass(frozen=True)
class Code:
    """An error code named by an article, in canonical 32-bit form."""

    value: int  #: canonical unsigned 32-bit value, e.g. 0x80070005
    text: str   #: the notation as the article wrote it, e.g. "80070005"

    @property
    def hex(self) -> str:
        """The value as eight hex digits, e.g. "0x80070005"."""
        return f"0x{self.value:08X}"


@dataclass(frozen=True)
class File:
    """One row of an article's file-version table."""

    name: str                #: file name as written, e.g. "Icaapi.dll"
    version: Optional[str]   #: dotted version
    size: Optional[int]      #: size in bytes
    date: Optional[str]      #: ISO 8601 date, YYYY-MM-DD
    time: Optional[str]      #: 24-hour time, HH:MM
    platform: Optional[str]  #: "x86", "Alpha", "Intel"...


@dataclass(frozen=True)
class Product:
    """A product an article applies to."""

    name: str               #: e.g. "Microsoft Windows NT Server"
    version: Optional[str]  #: e.g. "4.0 SP6"


@dataclass(frozen=True)
class Section:
    """A section of an article's text."""

    heading: str  #: e.g. "SYMPTOMS"; "" for the text before any heading
    text: str     #: the section's text
    level: int    #: 1: heading underlined with '=', 2: with '-'


@dataclass(frozen=True)
class Hit:
    """One article of a search or lookup result.

    ``score`` is higher-is-better and has no unit: compare scores within
    one result only. The last five fields are set by the lookup that
    produced the hit and None otherwise.
    """

    rank: int                     #: 1-based position in the results
    kb_id: str                    #: canonical "Q" form, or "A" + 10 hex digits
    title: Optional[str]          #: None for a cited article not indexed
    score: float                  #: higher is better
    path: Optional[str]           #: a source file of the article
    snippet: Optional[str]        #: excerpt, white space collapsed, no marks
    matched: Tuple[str, ...]      #: evidence names: "event_id", "phrase"...
    products: Tuple[str, ...]     #: products the article applies to
    explain: Optional[str] = None  #: "name=value" lines (explain=True)
    event: Optional[Event] = None  #: the event matched by Database.event()
    code: Optional[Code] = None    #: the code matched by Database.code()
    file: Optional[File] = None    #: the row matched by Database.file()
    #: Database.file() with a version: 1 the article's build is newer, 0
    #: the same, -1 older; None when it cannot be compared.
    version_cmp: Optional[int] = None
    #: Database.refs(): "cites" (the article looked up refers to this one)
    #: or "cited_by" (this one refers to it).
    ref: Optional[str] = None
    #: The matched words of snippet: (start, end) str offsets, in order.
    snippet_matches: Tuple[Tuple[int, int], ...] = ()
    #: products with name and version apart, as Article.products.
    product_list: Tuple["Product", ...] = ()


@dataclass(frozen=True)
class QueryInfo:
    """What the paste analysis of Database.search() saw and kept."""

    #: "eventxml", "eventviewer", "dialog", "appcrash", "stop", "command"
    #: or "plain"
    kind: str
    event_id: Optional[int]         #: event ID of the paste
    source: Optional[str]           #: event source of the paste
    codes: Tuple[int, ...]          #: canonical 32-bit error codes
    files: Tuple[str, ...]          #: file names
    kb_ids: Tuple[str, ...]         #: KB ids named in the paste
    terms: Tuple[str, ...]          #: words sent to the full-text index
    dropped: Tuple[str, ...]        #: volatile parts and words left out
    #: misspelt words: (pasted word, indexed word one edit away used)
    corrected: Tuple[Tuple[str, str], ...]
    aliases: Tuple[str, ...]        #: other product names searched too


@dataclass(frozen=True)
class Results(Sequence[Hit]):
    """The hits of a search or lookup, best first, and the query analysis.

    A sequence: ``len(results)``, ``results[0]``, ``for hit in results``.
    ``query`` is None for the results of a lookup (event, code, file,
    refs), which have no paste to analyse.
    """

    hits: Tuple[Hit, ...]
    query: Optional[QueryInfo] = None

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Hit]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[Hit, Sequence[Hit]]:
        return self.hits[i]


@dataclass(frozen=True)
class Article:
    """One article with every field the indexer extracted from it."""

    kb_id: str               #: canonical "Q" form, or the file name
    title: Optional[str]
    date: Optional[str]      #: ISO 8601
    format: Optional[str]    #: "kb-txt", "kb-markdown", "html"...
    path: Optional[str]      #: the file that supplies the fields
    text: Optional[str]      #: the whole text
    events: Tuple[Event, ...]
    codes: Tuple[Code, ...]
    files: Tuple[File, ...]
    products: Tuple[Product, ...]
    sections: Tuple[Section, ...]
    refs: Tuple[str, ...]      #: KB ids it refers to, "Q" form
    messages: Tuple[str, ...]  #: error messages it quotes
    registry: Tuple[str, ...]  #: registry paths, HKEY_ root abbreviated
    #: every file it was read from, the one supplying the fields first
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    """Database totals, as ``kbsearch stats`` prints them (counts)."""

    articles: int
    files: int       #: source files
    events: int      #: event ID rows
    codes: int       #: error code rows
    file_rows: int   #: file-version table rows
    refs: int        #: KB cross-references
    terms: int       #: distinct terms in the full-text index
    schema_version: int


class Outcome(enum.Enum):
    """What happened to one file during Database.index()."""

    ADDED = "added"          #: a new article was stored
    UPDATED = "updated"      #: the file changed; its article was replaced
    UNCHANGED = "unchanged"  #: same content as last time: not parsed
    FAILED = "failed"        #: not indexed; see FileOutcome.reason
    SKIPPED = "skipped"      #: read, but not an article (see reason)
    PATH_EMPTY = "path_empty"  #: a given path held no article (see reason)


@dataclass(frozen=True)
class FileOutcome:
    """One file handled by Database.index()."""

    path: str
    outcome: Outcome
    reason: Optional[str] = None  #: one line, e.g. "binary file", if FAILED
    #: or SKIPPED; for ADDED or UPDATED, how many records past a cap were
    #: not kept, else None


@dataclass(frozen=True)
class IndexStats:
    """Counters of an index run, in files (pruned: in articles)."""

    total: int      #: files found under the given paths
    seen: int       #: files handled so far
    added: int
    updated: int
    unchanged: int
    failed: int
    pruned: int     #: articles removed by prune=True
    skipped: int = 0      #: files read that are not articles
    empty_paths: int = 0  #: given paths with no article under them
    passed_over: int = 0  #: entries passed over by name (not in total)
    capped: int = 0       #: records past a per-article cap, not kept
    capped_files: int = 0  #: files stored with records not kept


@dataclass(frozen=True)
class IndexReport(IndexStats):
    """What Database.index() did: the final counters and each failure."""

    failures: Tuple[FileOutcome, ...] = field(default=())
