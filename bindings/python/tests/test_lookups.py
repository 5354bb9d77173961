"""event(), code(), file(), refs(), article(), stats()."""

import os

import pytest

import kbsearch


def ids(results):
    return [h.kb_id for h in results]


def test_event_with_source(db):
    results = db.event(1003, source="termservice")
    assert results.query is None
    first = results[0]
    assert first.kb_id == "Q294326"
    assert first.event.id == 1003
    assert first.event.source == "TermService"
    assert "invalid license" in first.event.description
    assert "Q294326" in ids(db.event(1003))


def test_event_nothing_found(db):
    assert len(db.event(99999)) == 0
    with pytest.raises(TypeError):
        db.event("1003")


@pytest.mark.parametrize("notation", ["0xC0000005", "C0000005", "c0000005",
                                      "3221225477", "-1073741819",
                                      -1073741819, 0xC0000005])
def test_code_any_notation(db, notation):
    results = db.code(notation)
    assert ids(results)[:2] == ["Q103147", "Q140957"]
    assert all(h.code.value == 0xC0000005 for h in results)
    assert results[0].code.text == "0xc0000005"
    assert results[0].code.hex == "0xC0000005"
    assert results[0].score == 2.0


def test_code_win32_twin(db):
    twin = [h for h in db.code("0x80070005") if h.kb_id == "Q126399"]
    assert twin and twin[0].code.value == 5 and twin[0].score == 1.0


def test_code_not_a_code(db):
    with pytest.raises(kbsearch.InvalidArgumentError) as e:
        db.code("hello")
    assert "hello" in str(e.value)
    assert e.value.status == kbsearch.Status.INVALID


def test_file(db):
    results = db.file("C:\\WINNT\\System32\\TERMSRV.EXE")
    assert ids(results) == ["Q238186"]
    row = results[0].file
    assert row.name == "Termsrv.exe"
    assert row.size in (134928, 242448)  # bytes, one row per platform
    assert row.date == "1999-07-22"
    assert row.platform in ("x86", "Alpha")
    # This row has no version: the comparison is unknown, not a number.
    assert db.file("termsrv.exe", "4.0.1381.33")[0].version_cmp is None
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.file("")
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.file("termsrv.exe", "abc")


def test_refs(db):
    cites = db.refs("KB297795")
    assert all(h.ref == "cites" for h in cites)
    assert "Q300672" in ids(cites)
    cited_by = db.refs("Q256986")
    assert {"Q112509", "Q225782"} <= set(ids(cited_by))
    assert all(h.ref == "cited_by" for h in cited_by)
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.refs("not a kb id")


def test_article_fields(db):
    a = db.article("Q294326")
    assert isinstance(a, kbsearch.Article)
    assert a.kb_id == "Q294326"
    assert a.title.startswith("Event ID 1003")
    assert [(e.id, e.source) for e in a.events] == [(1003, "TermService")]
    assert {p.version for p in a.products} == {"4.0", "4.0 SP6"}
    assert {"SYMPTOMS", "CAUSE", "RESOLUTION"} <= \
        {s.heading for s in a.sections}
    assert all(s.level in (1, 2) for s in a.sections if s.heading)
    assert "The terminal service client has provided an invalid license." \
        in a.messages
    assert [f.name for f in a.files][:1] == ["Icaapi.dll"]
    assert a.files[0].size == 62224
    assert "invalid license" in a.text
    assert a.sources[0] == a.path and os.path.isfile(a.path)


def test_article_renderings_and_lists(db):
    a = db.article("103032")
    assert a.format == "kb-txt"
    assert sorted(os.path.splitext(s)[1] for s in a.sources) == \
        [".TXT", ".html", ".md"]
    assert db.article("KB105247").registry[0].startswith("HKLM\\SYSTEM\\")
    assert len(db.article("Q297795").refs) == 4
    codes = db.article("Q103147").codes
    assert 0xC0000005 in [c.value for c in codes]


def test_article_notations_agree(db):
    assert db.article("KB294326") == db.article("kb 294326") == \
        db.article("294326")


def test_article_errors(db):
    with pytest.raises(kbsearch.NotFoundError) as e:
        db.article("Q999999")
    assert str(e.value) == "Q999999: no such article"
    assert e.value.status == kbsearch.Status.NOT_FOUND
    assert isinstance(e.value, LookupError)
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.article("hello")


def test_stats(db, built):
    _, report = built
    s = db.stats()
    assert s.files == report.added + report.updated
    assert 0 < s.articles <= s.files
    assert s.events > 0 and s.codes > 0 and s.refs > 0 and s.terms > 0
    assert s.schema_version > 0


HOTFIX = """\
DOCUMENT:Q900001  15-JUN-2001  [winnt]
TITLE   :Test Fixture: Terminal Server Hotfix With Versioned Files
PRODUCT :Microsoft Windows NT
PROD/VER:winnt:4.0
OPER/SYS:WINDOWS
KEYWORDS:kbfix

=====================================================================

SYMPTOMS
========

Terminal Server clients cannot connect.

RESOLUTION
==========

The English version of this fix should have the following file
attributes or later:

   Date        Time    Version         Size     File name     Platform
   ------------------------------------------------------------------
   06/12/2001  10:36a  4.0.1381.133    134,928  Termsrv.exe   x86
"""


@pytest.mark.parametrize("mine, cmp", [("4.0.1381.33", 1),
                                       ("4.0.1381.133", 0),
                                       ("4.0.1381.1000", -1)])
def test_file_version_comparison(db_copy, tmp_path, mine, cmp):
    (tmp_path / "Q900001.TXT").write_text(HOTFIX)
    with kbsearch.Database(db_copy, mode="w") as db:
        assert db.index(tmp_path / "Q900001.TXT").added == 1
        results = db.file("termsrv.exe", mine)
    # Newest build first, the row without a version last.
    assert ids(results) == ["Q900001", "Q238186"]
    assert results[0].file.version == "4.0.1381.133"
    assert results[0].version_cmp == cmp
    assert results[1].version_cmp is None
    assert "version" in results[0].matched
