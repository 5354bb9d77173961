"""Database.search(): ranking a paste, the query analysis, options."""

import os

import pytest

import kbsearch
from conftest import TERMSERVICE_PASTE

MESSAGE = "The terminal service client has provided an invalid license."


def test_termservice_paste_finds_q294326_first(db):
    results = db.search(TERMSERVICE_PASTE)
    assert isinstance(results, kbsearch.Results)
    assert results[0].kb_id == "Q294326"
    first = results[0]
    assert first.rank == 1
    assert first.title.startswith("Event ID 1003")
    assert {"event_id", "source"} <= set(first.matched)
    assert any("Terminal Server" in p for p in first.products)
    assert os.path.isfile(first.path)
    assert "[" not in first.snippet and "  " not in first.snippet
    marked = [first.snippet[a:b] for a, b in first.snippet_matches]
    assert "invalid" in marked
    assert len(first.product_list) == len(first.products)
    assert all((p.name + (" " + p.version if p.version else "")) == s
               for p, s in zip(first.product_list, first.products))
    assert first.explain is None
    # Best first, ranks 1..n.
    assert [h.rank for h in results] == list(range(1, len(results) + 1))
    scores = [h.score for h in results]
    assert scores == sorted(scores, reverse=True)


def test_query_analysis(db):
    q = db.search(TERMSERVICE_PASTE).query
    assert q.kind == "eventviewer"
    assert q.event_id == 1003
    assert q.source == "TermService"
    assert "SRV-TS01.contoso.local" in q.dropped
    assert {"invalid", "license"} <= set(q.terms)
    assert q.codes == ()
    assert "Remote Desktop Client" in q.aliases


def test_query_codes_are_canonical(db):
    q = db.search("Error 0x80070005: Access is denied.").query
    assert 0x80070005 in q.codes


def test_corrected_word_is_a_pair(db):
    results = db.search(MESSAGE.replace("license", "licnese"))
    assert ("licnese", "license") in results.query.corrected
    assert "Q294326" in [h.kb_id for h in results]


def test_limit(db):
    assert len(db.search(MESSAGE, limit=1)) == 1
    assert len(db.search(MESSAGE, limit=3)) == 3
    assert len(db.search(MESSAGE)) == 10
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.search(MESSAGE, limit=0)
    with pytest.raises(ValueError):  # InvalidArgumentError is one too
        db.search(MESSAGE, limit=-1)
    with pytest.raises(TypeError):
        db.search(MESSAGE, limit="3")


def test_explain(db):
    hit = db.search(TERMSERVICE_PASTE, explain=True)[0]
    assert "phrase=" in hit.explain and "event=" in hit.explain


def test_product_and_version_filters(db):
    sna = db.search(MESSAGE, product="SNA Server")
    assert len(sna) > 0
    assert "Q294326" not in [h.kb_id for h in sna]
    assert all(any("SNA Server" in p for p in h.products) for h in sna)
    assert db.search(MESSAGE, product="Terminal Server Edition")[0].kb_id \
        == "Q294326"
    assert db.search(MESSAGE, version="4.0 SP6")[0].kb_id == "Q294326"
    assert "Q294326" not in [h.kb_id for h in db.search(MESSAGE,
                                                        version="3.51")]


def test_paste_with_nul_and_invalid_utf8(db):
    paste = b"\xff\xfe\x00garbage\x00 " + TERMSERVICE_PASTE.encode() + \
        b" \x80\xc3("
    assert db.search(paste)[0].kb_id == "Q294326"
    # Nothing searchable: empty results, not an error.
    nothing = db.search(b"\x00\xff\x00")
    assert len(nothing) == 0 and not nothing
    assert nothing.query is not None
    assert len(db.search("")) == 0


def test_str_bytes_and_surrogates_alike(db):
    as_str = [h.kb_id for h in db.search(MESSAGE)]
    assert [h.kb_id for h in db.search(MESSAGE.encode())] == as_str
    assert [h.kb_id for h in db.search(bytearray(MESSAGE.encode()))] \
        == as_str
    # A str from os.fsdecode() of bad bytes, and a lone surrogate.
    paste = TERMSERVICE_PASTE
    assert db.search(os.fsdecode(b"\xff ") + paste)[0].kb_id == "Q294326"
    assert db.search("\ud800 " + paste)[0].kb_id == "Q294326"


def test_bad_argument_types(db):
    with pytest.raises(TypeError):
        db.search(None)
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.search(MESSAGE, product="Windows\0NT")


def test_results_are_a_sequence(db):
    results = db.search(MESSAGE, limit=4)
    hits = list(results)
    assert len(hits) == 4
    assert results[1:3] == tuple(hits[1:3])
    assert results[-1] is hits[-1]
    assert hits[0] in results
