/*
 * lazy.h - libraries loaded on first use: libxml2 (the HTML parser, event
 * XML pastes) and uchardet (legacy charsets), which only indexing and
 * a paste of event XML need.
 *
 * Linked as dependencies, they cost every process that opens the
 * library their loading: libxml2 brings ICU and libstdc++, uchardet
 * libstdc++; together 1.6 ms of a search from the command line, whose
 * target is 15 ms. Loaded with dlopen() on first use instead, as systemd
 * loads its optional libraries (src/shared/dlfcn-util.c), a search of
 * a plain paste never maps them. The library's sources still compile
 * against their headers, and kbsearch's packages depend on them.
 *
 * Include after the libraries' own headers: the macros below turn their
 * calls into calls through the loaded tables.
 */
#ifndef KBS_LAZY_H
#define KBS_LAZY_H

#include <stdbool.h>

#ifdef LIBXML_VERSION
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* The libxml2 functions the library calls, from libxml2.so.2. */
struct kbs__libxml2 {
	htmlParserCtxtPtr (*htmlNewParserCtxt)(void);
	htmlDocPtr (*htmlCtxtReadMemory)(htmlParserCtxtPtr, const char *,
	                                 int, const char *, const char *,
	                                 int);
	void (*htmlFreeParserCtxt)(htmlParserCtxtPtr);
	xmlParserCtxtPtr (*NewParserCtxt)(void);
	xmlDocPtr (*CtxtReadMemory)(xmlParserCtxtPtr, const char *, int,
	                            const char *, const char *, int);
	void (*FreeParserCtxt)(xmlParserCtxtPtr);
	void (*FreeDoc)(xmlDocPtr);
	xmlNodePtr (*DocGetRootElement)(const xmlDoc *);
	xmlChar *(*GetProp)(const xmlNode *, const xmlChar *);
	xmlChar *(*NodeGetContent)(const xmlNode *);
	xmlFreeFunc *Free;      /* libxml2's variable xmlFree */
	void (*InitParser)(void);   /* run once, by the loader */
};
/* The table once libxml2 is loaded (kbs__libxml2_load()). */
extern const struct kbs__libxml2 *kbs__xml;

#define htmlNewParserCtxt() (kbs__xml->htmlNewParserCtxt())
#define htmlCtxtReadMemory(c, b, n, u, e, o) \
	(kbs__xml->htmlCtxtReadMemory((c), (b), (n), (u), (e), (o)))
#define htmlFreeParserCtxt(c) (kbs__xml->htmlFreeParserCtxt(c))
#define xmlNewParserCtxt() (kbs__xml->NewParserCtxt())
#define xmlCtxtReadMemory(c, b, n, u, e, o) \
	(kbs__xml->CtxtReadMemory((c), (b), (n), (u), (e), (o)))
#define xmlFreeParserCtxt(c) (kbs__xml->FreeParserCtxt(c))
#define xmlFreeDoc(d) (kbs__xml->FreeDoc(d))
#define xmlDocGetRootElement(d) (kbs__xml->DocGetRootElement(d))
#define xmlGetProp(n, a) (kbs__xml->GetProp((n), (a)))
#define xmlNodeGetContent(n) (kbs__xml->NodeGetContent(n))
#undef xmlFree
#define xmlFree(p) ((*kbs__xml->Free)(p))
#endif

#ifdef UCHARDET_H___
/* The uchardet functions the library calls, from libuchardet.so.0. */
struct kbs__uchardet {
	uchardet_t (*new_)(void);
	void (*delete_)(uchardet_t);
	int (*handle_data)(uchardet_t, const char *, size_t);
	void (*data_end)(uchardet_t);
	const char *(*get_charset)(uchardet_t);
};
extern const struct kbs__uchardet *kbs__ucd;

#define uchardet_new() (kbs__ucd->new_())
#define uchardet_delete(u) (kbs__ucd->delete_(u))
#define uchardet_handle_data(u, d, n) (kbs__ucd->handle_data((u), (d), (n)))
#define uchardet_data_end(u) (kbs__ucd->data_end(u))
#define uchardet_get_charset(u) (kbs__ucd->get_charset(u))
#endif

/*
 * Load libxml2 (and run its xmlInitParser()) or uchardet once per
 * process, thread-safe; true when kbs__xml or kbs__ucd is then set.
 * When a library cannot be loaded, false, and kbs__lazy_why() says
 * which and why (dlerror()'s text; a static string).
 */
bool kbs__libxml2_load(void);
bool kbs__uchardet_load(void);
const char *kbs__lazy_why(void);

#endif
