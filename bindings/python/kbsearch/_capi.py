"""The C API of libkbsearch (include/kbsearch.h) declared for ctypes.

Why ctypes and not cffi: ctypes is in the standard library, so the binding
works with any Python 3 on the machine, including interpreters (a pyenv or
venv Python) that do not see Debian's python3-cffi; there is nothing to
compile, so `make install` and `pip install` only copy files; and a
``ctypes.CDLL`` function releases the GIL for the whole foreign call, which
is what lets one thread search while another indexes. The price is that
the declarations below are written by hand: they mirror kbsearch.h field
for field and must change with it.

The library is found, in this order:

1. ``$KBSEARCH_LIBRARY``, the path of a shared library file (``make check``
   points it at the freshly built ``.libs/libkbsearch.so.N``);
2. the library of the prefix the package was installed with: ``make
   install`` writes ``_config.py`` with the configured libdir and the
   library's file name;
3. the dynamic loader's search path, by the soname ``_config.py`` names and
   by ``ctypes.util.find_library("kbsearch")``.

Nothing is loaded at import time: the first call that needs the library
loads it, and raises :class:`kbsearch.LibraryError` naming every place it
looked when it is not there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double,
                    c_int, c_long, c_longlong, c_size_t, c_uint, c_uint32,
                    c_ulong, c_void_p)
from typing import Any, List, Optional, Tuple

from ._errors import LibraryError

#: Environment variable naming the shared library file to load.
LIBRARY_ENV = "KBSEARCH_LIBRARY"

#: The library versions this binding was written for: same MAJOR.MINOR.
API_VERSION = (0, 1)

# Versions of the caller-allocated structs (KBS_*_VERSION in kbsearch.h):
# each struct's first field, set by its _INIT macro in C.
KBS_INDEX_STATS_VERSION = 2
KBS_DB_STATS_VERSION = 1
KBS_SEARCH_OPTIONS_VERSION = 1

# kbs_status values (kbs_status in kbsearch.h).
KBS_OK = 0
KBS_DONE = 1
KBS_CANCELLED = 10
KBS_FILE_SKIPPED = 4    # kbs_file_outcome: a directory entry passed over

KBS_OPEN_READONLY = 0
KBS_OPEN_CREATE = 1
KBS_INDEX_PRUNE = 1
KBS_VERSION_UNKNOWN = -2
KBS_REF_NONE, KBS_REF_CITES, KBS_REF_CITED_BY = 0, 1, 2


class kbs_index_stats(Structure):
    _fields_ = [("version", c_uint), ("total", c_ulong), ("seen", c_ulong),
                ("added", c_ulong), ("updated", c_ulong), ("unchanged", c_ulong),
                ("failed", c_ulong), ("pruned", c_ulong),
                ("skipped", c_ulong), ("empty_paths", c_ulong),
                ("passed_over", c_ulong), ("capped", c_ulong),
                ("capped_files", c_ulong)]


class kbs_db_stats(Structure):
    _fields_ = [("version", c_uint), ("articles", c_longlong), ("files", c_longlong),
                ("events", c_longlong), ("codes", c_longlong),
                ("file_rows", c_longlong), ("refs", c_longlong),
                ("terms", c_longlong), ("schema_version", c_int)]


class kbs_event(Structure):
    _fields_ = [("id", c_long), ("source", c_char_p), ("type", c_char_p),
                ("category", c_char_p), ("description", c_char_p)]


class kbs_code(Structure):
    _fields_ = [("value", c_uint32), ("text", c_char_p)]


class kbs_file(Structure):
    _fields_ = [("name", c_char_p), ("version", c_char_p),
                ("size", c_longlong), ("date", c_char_p),
                ("time", c_char_p), ("platform", c_char_p)]


class kbs_product(Structure):
    _fields_ = [("name", c_char_p), ("version", c_char_p)]


class kbs_section(Structure):
    _fields_ = [("heading", c_char_p), ("text", c_char_p), ("level", c_int)]


class kbs_span(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t)]


class kbs_search_options(Structure):
    _fields_ = [("version", c_uint), ("limit", c_uint), ("offset", c_uint),
                ("explain", c_int), ("product", c_char_p),
                ("product_version", c_char_p)]


class kbs_query_info(Structure):
    _fields_ = [("kind", c_char_p), ("event_id", c_long),
                ("source", c_char_p),
                ("ncodes", c_size_t), ("codes", POINTER(c_uint32)),
                ("nfiles", c_size_t), ("files", POINTER(c_char_p)),
                ("nkb_ids", c_size_t), ("kb_ids", POINTER(c_char_p)),
                ("nterms", c_size_t), ("terms", POINTER(c_char_p)),
                ("ndropped", c_size_t), ("dropped", POINTER(c_char_p)),
                ("ncorrected", c_size_t), ("corrected", POINTER(c_char_p)),
                ("naliases", c_size_t), ("aliases", POINTER(c_char_p))]


#: kbs_index_fn: (userdata, path, outcome, reason, stats).
INDEX_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_int, c_char_p,
                     POINTER(kbs_index_stats))

_pp = POINTER  # short alias for the table below
_strv = POINTER(POINTER(c_char_p))  # const char *const **out

# name: (restype, argtypes). Opaque handles (kbs_db, kbs_results,
# kbs_hit, kbs_article) are plain void pointers.
_PROTOTYPES = {
    "kbs_version": (c_char_p, []),
    "kbs_status_str": (c_char_p, [c_int]),
    "kbs_db_open": (c_int, [_pp(c_void_p), c_char_p, c_uint]),
    "kbs_db_close": (None, [c_void_p]),
    "kbs_db_errmsg": (c_char_p, [c_void_p]),
    "kbs_db_load_aliases": (c_int, [c_void_p, c_char_p]),
    "kbs_db_index": (c_int, [_pp(kbs_index_stats), c_void_p,
                             _pp(c_char_p), c_size_t, c_uint, INDEX_FN,
                             c_void_p]),
    "kbs_db_get_stats": (c_int, [_pp(kbs_db_stats), c_void_p]),
    "kbs_db_remove_path": (c_int, [_pp(c_ulong), c_void_p, c_char_p]),
    "kbs_article_get": (c_int, [_pp(c_void_p), c_void_p, c_char_p]),
    "kbs_article_free": (None, [c_void_p]),
    "kbs_article_get_kb_id": (c_char_p, [c_void_p]),
    "kbs_article_get_title": (c_char_p, [c_void_p]),
    "kbs_article_get_date": (c_char_p, [c_void_p]),
    "kbs_article_get_format": (c_char_p, [c_void_p]),
    "kbs_article_get_path": (c_char_p, [c_void_p]),
    "kbs_article_get_text": (c_char_p, [c_void_p]),
    "kbs_article_get_events": (c_size_t, [c_void_p, _pp(_pp(kbs_event))]),
    "kbs_article_get_codes": (c_size_t, [c_void_p, _pp(_pp(kbs_code))]),
    "kbs_article_get_files": (c_size_t, [c_void_p, _pp(_pp(kbs_file))]),
    "kbs_article_get_products": (c_size_t,
                                 [c_void_p, _pp(_pp(kbs_product))]),
    "kbs_article_get_sections": (c_size_t,
                                 [c_void_p, _pp(_pp(kbs_section))]),
    "kbs_article_get_refs": (c_size_t, [c_void_p, _strv]),
    "kbs_article_get_messages": (c_size_t, [c_void_p, _strv]),
    "kbs_article_get_registry": (c_size_t, [c_void_p, _strv]),
    "kbs_article_get_sources": (c_size_t, [c_void_p, _strv]),
    "kbs_search_text": (c_int, [_pp(c_void_p), c_void_p, c_char_p, c_size_t,
                                _pp(kbs_search_options)]),
    "kbs_search_event": (c_int, [_pp(c_void_p), c_void_p, c_long,
                                 c_char_p]),
    "kbs_search_code": (c_int, [_pp(c_void_p), c_void_p, c_char_p]),
    "kbs_search_file": (c_int, [_pp(c_void_p), c_void_p, c_char_p,
                                c_char_p]),
    "kbs_search_refs": (c_int, [_pp(c_void_p), c_void_p, c_char_p]),
    "kbs_results_next": (c_int, [_pp(c_void_p), c_void_p]),
    "kbs_results_count": (c_size_t, [c_void_p]),
    "kbs_results_free": (None, [c_void_p]),
    "kbs_results_get_query": (_pp(kbs_query_info), [c_void_p]),
    "kbs_hit_get_rank": (c_int, [c_void_p]),
    "kbs_hit_get_score": (c_double, [c_void_p]),
    "kbs_hit_get_kb_id": (c_char_p, [c_void_p]),
    "kbs_hit_get_title": (c_char_p, [c_void_p]),
    "kbs_hit_get_path": (c_char_p, [c_void_p]),
    "kbs_hit_get_snippet": (c_char_p, [c_void_p]),
    "kbs_hit_get_product_list": (c_size_t,
                                 [c_void_p, _pp(_pp(kbs_product))]),
    "kbs_hit_get_snippet_matches": (c_size_t, [c_void_p, _pp(_pp(kbs_span))]),
    "kbs_hit_get_explain": (c_char_p, [c_void_p]),
    "kbs_hit_get_matched": (c_size_t, [c_void_p, _strv]),
    "kbs_hit_get_products": (c_size_t, [c_void_p, _strv]),
    "kbs_hit_get_event": (_pp(kbs_event), [c_void_p]),
    "kbs_hit_get_code": (_pp(kbs_code), [c_void_p]),
    "kbs_hit_get_file": (_pp(kbs_file), [c_void_p]),
    "kbs_hit_get_version_cmp": (c_int, [c_void_p]),
    "kbs_hit_get_ref": (c_int, [c_void_p]),
}

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_lib_path: Optional[str] = None


def _candidates() -> List[Tuple[str, bool]]:
    """Library names to try, each with whether it must exist as a file."""
    env = os.environ.get(LIBRARY_ENV)
    if env:
        # An explicit choice is never second-guessed by a fallback.
        return [(env, True)]
    out: List[Tuple[str, bool]] = []
    try:
        from . import _config  # written by `make install`
        libdir = getattr(_config, "LIBDIR", "")
        dlname = getattr(_config, "DLNAME", "")
        if libdir and dlname:
            out.append((os.path.join(libdir, dlname), True))
        if dlname:
            out.append((dlname, False))
    except ImportError:
        pass
    found = ctypes.util.find_library("kbsearch")
    if found:
        out.append((found, False))
    return out


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def _load() -> ctypes.CDLL:
    global _lib, _lib_path
    tried: List[str] = []
    for name, must_exist in _candidates():
        if must_exist and not os.path.exists(name):
            tried.append(f"{name}: no such file")
            continue
        try:
            lib = ctypes.CDLL(name)
            _declare(lib)
        except (OSError, AttributeError) as e:
            tried.append(f"{name}: {e}")
            continue
        version = lib.kbs_version().decode("ascii", "replace")
        parts = version.split(".")
        if tuple(int(p) for p in parts[:2] if p.isdigit()) != API_VERSION:
            raise LibraryError(
                f"{name} is libkbsearch {version}; this binding needs "
                f"{API_VERSION[0]}.{API_VERSION[1]}.x")
        _lib, _lib_path = lib, name
        return lib
    if not tried:
        tried.append("no libkbsearch on the loader's path")
    raise LibraryError(
        f"cannot load libkbsearch (set ${LIBRARY_ENV} to its path): "
        + "; ".join(tried))


def lib() -> Any:
    """The loaded library, loading it on first use.

    Raises kbsearch.LibraryError when it cannot be found or is of another
    version. The return type is Any because ctypes builds the function
    attributes at run time.
    """
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        return _load()


def library_path() -> str:
    """The name or path the library was loaded from (loads it if needed)."""
    lib()
    assert _lib_path is not None
    return _lib_path
