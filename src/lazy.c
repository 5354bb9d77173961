/*
 * lazy.c - libxml2 and uchardet loaded on first use (see lazy.h for why).
 */
#include "private.h"

#include <dlfcn.h>
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

/* dlsym() each of n names into the n pointers at slots; false (why set)
 * when one is missing. Function pointers and data pointers have one
 * size on every platform dlsym() serves (POSIX requires it). */
static bool
load(const char *soname, const char *const *names, void **slots, size_t n)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(why, sizeof why, "cannot load %s: %s", soname,
		         dlerror());
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if ((slots[i] = dlsym(h, names[i])) == NULL) {
			snprintf(why, sizeof why, "%s has no %s", soname,
			         names[i]);
			dlclose(h);
			return false;
		}
	}
	return true;    /* never unloaded: its tables live as long */
}

static void
load_libxml2(void)
{
	static const char *const names[] = {
		"htmlNewParserCtxt", "htmlCtxtReadMemory", "htmlFreeParserCtxt",
		"xmlNewParserCtxt", "xmlCtxtReadMemory", "xmlFreeParserCtxt",
		"xmlFreeDoc", "xmlDocGetRootElement", "xmlGetProp",
		"xmlNodeGetContent", "xmlFree", "xmlInitParser",
	};
	enum { N = sizeof names / sizeof *names };
	void *slots[N];
	if (!load(LIBXML2_SONAME, names, slots, N))
		return;
	/* xmlInitParser() is not safe to run twice at once: here, once */
	void (*init)(void);
	*(void **)&init = slots[N - 1];
	init();
	*(void **)&xml.htmlNewParserCtxt = slots[0];
	*(void **)&xml.htmlCtxtReadMemory = slots[1];
	*(void **)&xml.htmlFreeParserCtxt = slots[2];
	*(void **)&xml.NewParserCtxt = slots[3];
	*(void **)&xml.CtxtReadMemory = slots[4];
	*(void **)&xml.FreeParserCtxt = slots[5];
	*(void **)&xml.FreeDoc = slots[6];
	*(void **)&xml.DocGetRootElement = slots[7];
	*(void **)&xml.GetProp = slots[8];
	*(void **)&xml.NodeGetContent = slots[9];
	xml.Free = slots[10];
	kbs__xml = &xml;
}

static void
load_uchardet(void)
{
	static const char *const names[] = {
		"uchardet_new", "uchardet_delete", "uchardet_handle_data",
		"uchardet_data_end", "uchardet_get_charset",
	};
	enum { N = sizeof names / sizeof *names };
	void *slots[N];
	if (!load(UCHARDET_SONAME, names, slots, N))
		return;
	*(void **)&ucd.new_ = slots[0];
	*(void **)&ucd.delete_ = slots[1];
	*(void **)&ucd.handle_data = slots[2];
	*(void **)&ucd.data_end = slots[3];
	*(void **)&ucd.get_charset = slots[4];
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
