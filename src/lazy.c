/*
 * lazy.c - libxml2 and uchardet loaded on first use (see lazy.h for why).
 */
#include "private.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <uchardet.h>

#include "lazy.h"

/* The sonames this library was built against (Debian 12: libxml2 2.9,
 * uchardet 0.0.7). */
#define LIBXML2_SONAME "libxml2.so.2"
#define UCHARDET_SONAME "libuchardet.so.0"

const struct kbs__libxml2 *kbs__xml;
const struct kbs__uchardet *kbs__ucd;

static struct kbs__libxml2 xml;
static struct kbs__uchardet ucd;
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static pthread_once_t ucd_once = PTHREAD_ONCE_INIT;
static char why[256];

/* A symbol and where its address goes in a table (a struct of
 * pointers, each the size of a void *). */
typedef struct sym {
	const char *name;
	size_t off;
} sym;

/* dlopen() soname and dlsym() each of syms[0..n) into table; false (why
 * set) when the library or a symbol is missing. Function pointers and
 * data pointers have one size on every platform dlsym() serves (POSIX
 * requires it). The library is never unloaded: the table lives as
 * long as the process. */
static bool
load(const char *soname, const sym *syms, size_t n, void *table)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(why, sizeof why, "cannot load %s: %s", soname,
		         dlerror());
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (p == NULL) {
			snprintf(why, sizeof why, "%s has no %s", soname,
			         syms[i].name);
			dlclose(h);
			return false;
		}
		memcpy((char *)table + syms[i].off, &p, sizeof p);
	}
	return true;
}

#define SYM(type, name, field) { name, offsetof(struct type, field) }

static void
load_libxml2(void)
{
	static const sym syms[] = {
		SYM(kbs__libxml2, "htmlNewParserCtxt", htmlNewParserCtxt),
		SYM(kbs__libxml2, "htmlCtxtReadMemory", htmlCtxtReadMemory),
		SYM(kbs__libxml2, "htmlFreeParserCtxt", htmlFreeParserCtxt),
		SYM(kbs__libxml2, "xmlNewParserCtxt", NewParserCtxt),
		SYM(kbs__libxml2, "xmlCtxtReadMemory", CtxtReadMemory),
		SYM(kbs__libxml2, "xmlFreeParserCtxt", FreeParserCtxt),
		SYM(kbs__libxml2, "xmlFreeDoc", FreeDoc),
		SYM(kbs__libxml2, "xmlDocGetRootElement", DocGetRootElement),
		SYM(kbs__libxml2, "xmlGetProp", GetProp),
		SYM(kbs__libxml2, "xmlNodeGetContent", NodeGetContent),
		SYM(kbs__libxml2, "xmlFree", Free),
		SYM(kbs__libxml2, "xmlInitParser", InitParser),
	};
	if (!load(LIBXML2_SONAME, syms, sizeof syms / sizeof *syms, &xml))
		return;
	/* xmlInitParser() is not safe to run twice at once: here, once */
	xml.InitParser();
	kbs__xml = &xml;
}

static void
load_uchardet(void)
{
	static const sym syms[] = {
		SYM(kbs__uchardet, "uchardet_new", new_),
		SYM(kbs__uchardet, "uchardet_delete", delete_),
		SYM(kbs__uchardet, "uchardet_handle_data", handle_data),
		SYM(kbs__uchardet, "uchardet_data_end", data_end),
		SYM(kbs__uchardet, "uchardet_get_charset", get_charset),
	};
	if (load(UCHARDET_SONAME, syms, sizeof syms / sizeof *syms, &ucd))
		kbs__ucd = &ucd;
}

bool
kbs__libxml2_load(void)
{
	pthread_once(&xml_once, load_libxml2);
	return kbs__xml != NULL;
}

bool
kbs__uchardet_load(void)
{
	pthread_once(&ucd_once, load_uchardet);
	return kbs__ucd != NULL;
}

const char *
kbs__lazy_why(void)
{
	return why;
}
