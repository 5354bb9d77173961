/*
 * eventxml.c - an event's XML, parsed with libxml2.
 */
#include "paste_int.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "lazy.h"

/* ------------------------------------------------------------------ */
/* Event XML                                                           */
/* ------------------------------------------------------------------ */

/* libxml2 reports parse errors through these: the library never prints.
 * They are set on each parser context, never globally, because several
 * threads may search at once. */
static void
xml_quiet(void *data, const char *msg, ...)
{
	(void)data;
	(void)msg;
}

static void
xml_quiet_structured(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err;
}

static bool
el_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
el_child(const xmlNode *parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNode *n = parent->children; n != NULL; n = n->next)
		if (el_is(n, name))
			return n;
	return NULL;
}

static bool
has_el_child(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* An attribute value or element text into dropped; name also learns it as
 * a name (with and without its domain) to take out of the message. */
static void
xml_drop(ctx *c, const xmlChar *x, bool name)
{
	if (x == NULL)
		return;
	const char *v = (const char *)x;
	size_t vn = strlen(v);
	kbs__trim(&v, &vn);
	if (vn == 0)
		return;
	kbs__pa_add_dropped(c, v, vn);
	if (!name)
		return;
	char *copy = kbs__arena_strndup(&c->p->arena, v, vn);
	if (copy == NULL) {
		c->rc = KBS_NOMEM;
		return;
	}
	kbs__pa_add_name(c, copy, vn);
	const char *dot = memchr(copy, '.', vn);
	if (dot != NULL)
		kbs__pa_add_name(c, copy, (size_t)(dot - copy));
}

static void
xml_drop_attr(ctx *c, xmlNode *n, const char *attr)
{
	if (n == NULL)
		return;
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	xml_drop(c, v, false);
	xmlFree(v);
}

/* name kbs__pa_contains one of parts, ignoring case. */
static bool
name_has(const char *name, const char *const *parts)
{
	size_t n = strlen(name);
	for (size_t i = 0; parts[i] != NULL; i++) {
		size_t m = strlen(parts[i]);
		for (size_t j = 0; j + m <= n; j++)
			if (strncasecmp(name + j, parts[i], m) == 0)
				return true;
	}
	return false;
}

/* Data names whose values change from one occurrence to the next, those
 * that name a computer or user, and those that hold an error code. */
static const char *const volatile_data[] = {
	"user", "computer", "workstation", "machine", "hostname", "domain",
	"sid", "logonid", "processid", "threadid", "pid", "time", "guid",
	"address", "port", "offset", "reportid", NULL
};
static const char *const name_data[] = {
	"user", "computer", "workstation", "machine", "hostname", "domain",
	NULL
};
static const char *const code_data[] = {
	"error", "code", "status", "hresult", "result", NULL
};

/* Eight hex digits with the high bit set are an HRESULT or NTSTATUS; other
 * hex values in event data are addresses, offsets and time stamps. */
static bool
hex_volatile(const char *v, size_t vn)
{
	bool hex0x = vn > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
	const char *h = hex0x ? v + 2 : v;
	size_t hn = hex0x ? vn - 2 : vn;
	bool letters = false;
	uint32_t x;
	if (!kbs__pa_all_hex(v, vn))
		return false;
	for (size_t i = 0; i < hn; i++)
		if (!is_digit(h[i]))
			letters = true;
	if (!hex0x && !letters && hn < 8)
		return false;
	if (hn == 8 && kbs__code_parse(&x, h, 8) && x >= 0x80000000u)
		return false;
	return true;
}

/*
 * One insertion string (<Data Name="name">v</Data>, or a UserData leaf):
 * volatile values go to dropped, "%%1053" (the text of message 1053, an
 * error) to codes, the rest to the message when to_msg.
 */
static void
xml_data(ctx *c, const char *name, const char *v, size_t vn, bool to_msg)
{
	kbs__trim(&v, &vn);
	if (vn == 0 || ieq(v, vn, "-"))
		return;
	if (vn > 2 && v[0] == '%' && v[1] == '%') {
		size_t i = 2;
		unsigned long id;
		uint32_t code;
		if (digits(v, vn, &i, &id) > 0 && i == vn) {
			if (kbs__code_parse(&code, v + 2, vn - 2) && code != 0)
				kbs__pa_add_code(c, code);
			return;
		}
	}
	bool single = true;
	for (size_t i = 0; i < vn; i++)
		if (is_space(v[i]))
			single = false;
	if (single && name != NULL) {
		uint32_t code;
		if (name_has(name, code_data) && kbs__code_parse(&code, v, vn) &&
		    code != 0) {
			kbs__pa_add_code(c, code);
			if (to_msg)
				kbs__pa_scan_block(c, v, vn);
			return;
		}
		if (name_has(name, volatile_data)) {
			char *z = kbs__arena_strndup(&c->p->arena, v, vn);
			if (z == NULL) {
				c->rc = KBS_NOMEM;
				return;
			}
			xml_drop(c, (const xmlChar *)z, name_has(name, name_data));
			return;
		}
	}
	if (single && (kbs__pa_is_volatile(v, vn) || kbs__pa_is_time(v, vn) ||
	               kbs__pa_known_name(c, v, vn) || hex_volatile(v, vn))) {
		kbs__pa_add_dropped(c, v, vn);
		return;
	}
	if (to_msg)
		kbs__pa_scan_block(c, v, vn);
}

/* Every element of a UserData block without element children; depth
 * bounds the recursion (libxml2 bounds the document's depth too). */
static void
xml_leaves(ctx *c, xmlNode *parent, int depth, bool to_msg)
{
	for (xmlNode *n = parent->children; n != NULL && c->rc == KBS_OK;
	     n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth < 8 && has_el_child(n)) {
			xml_leaves(c, n, depth + 1, to_msg);
			continue;
		}
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL)
			xml_data(c, (const char *)n->name, (const char *)t,
			         strlen((const char *)t), to_msg);
		xmlFree(t);
	}
}

/* The event of a parsed document: <Event>, or the first one of an
 * <Events> export. */
static xmlNode *
xml_event(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	if (el_is(root, "Events"))
		root = el_child(root, "Event");
	return el_is(root, "Event") ? root : NULL;
}

/* The event's System block: source, event ID, and what is dropped. */
static void
xml_system(ctx *c, xmlNode *sys)
{
	kbs__paste *p = c->p;
	xmlNode *n = el_child(sys, "Provider");
	if (n != NULL) {
		/* The classic event source (what Event Viewer showed before
		 * Vista and what articles print as "Source: TermService"),
		 * else the provider as Event Viewer shows it, without the
		 * "Microsoft-Windows-" every manifest provider starts with. */
		xmlChar *esn = xmlGetProp(n, (const xmlChar *)"EventSourceName");
		xmlChar *name = xmlGetProp(n, (const xmlChar *)"Name");
		const char *s = esn != NULL && esn[0] != '\0' ?
		                (const char *)esn : (const char *)name;
		if (s != NULL) {
			size_t sn = strlen(s);
			if (s == (const char *)name &&
			    iprefix(s, sn, "Microsoft-Windows-") && sn > 18) {
				s += 18;
				sn -= 18;
			}
			kbs__trim(&s, &sn);
			if (sn > 0) {
				p->source = kbs__arena_strndup(&p->arena, s, sn);
				if (p->source == NULL)
					c->rc = KBS_NOMEM;
			}
		}
		xmlFree(esn);
		xmlFree(name);
	}
	n = el_child(sys, "EventID");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL) {
			const char *s = (const char *)t;
			size_t sn = strlen(s), i = 0;
			unsigned long id;
			kbs__trim(&s, &sn);
			if (digits(s, sn, &i, &id) > 0 && i == sn && sn <= 5)
				p->event_id = (long)id;
		}
		xmlFree(t);
	}
	xml_drop_attr(c, el_child(sys, "TimeCreated"), "SystemTime");
	n = el_child(sys, "EventRecordID");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		xml_drop(c, t, false);
		xmlFree(t);
	}
	n = el_child(sys, "Correlation");
	xml_drop_attr(c, n, "ActivityID");
	xml_drop_attr(c, n, "RelatedActivityID");
	n = el_child(sys, "Execution");
	xml_drop_attr(c, n, "ProcessID");
	xml_drop_attr(c, n, "ThreadID");
	n = el_child(sys, "Computer");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		xml_drop(c, t, true);
		xmlFree(t);
	}
	xml_drop_attr(c, el_child(sys, "Security"), "UserID");
}

/* s[0..n) holds "<!DOCTYPE" or "<!ENTITY": a paste that declares entities
 * is not an event (Event Viewer never writes one) and is not parsed. */
static bool
has_decl(const char *s, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i++)
		if (s[i] == '<' && s[i + 1] == '!' &&
		    (strncasecmp(s + i + 2, "DOCTYPE", 7) == 0 ||
		     strncasecmp(s + i + 2, "ENTITY", 6) == 0))
			return true;
	return false;
}

/*
 * Event XML, as Event Viewer's Details tab ("XML View") and wevtutil or
 * Get-WinEvent print it: <Event xmlns="http://schemas.microsoft.com/win/
 * 2004/08/events/event"><System>...</System><EventData><Data>...</Data>
 * </EventData><RenderingInfo><Message>...</Message></RenderingInfo>
 * </Event>, after at most two lines of chatter. libxml2 parses it with no
 * network, no DTD, no entity substitution and no output; a paste with a
 * DOCTYPE, or one that does not parse, is left to the text layouts.
 */
bool
kbs__pa_parse_eventxml(ctx *c, const line *lines, size_t nlines,
                       const char *text, size_t textlen)
{
	size_t chatter = 0, first = 0;
	const char *xs = NULL;
	for (; first < nlines; first++) {
		const char *s = lines[first].s;
		size_t n = lines[first].n;
		kbs__trim(&s, &n);
		if (n == 0)
			continue;
		if (iprefix(s, n, "<?xml") ||
		    (n > 6 && strncmp(s, "<Event", 6) == 0 &&
		     (is_space(s[6]) || s[6] == '>' || s[6] == '/' ||
		      s[6] == 's'))) {
			xs = s;
			break;
		}
		if (++chatter > 2)
			return false;
	}
	if (xs == NULL)
		return false;
	const char *end = text + textlen, *xe = end;
	for (const char *q = end - 7; end - xs >= 7 && q >= xs; q--) {
		if (memcmp(q, "</Event", 7) == 0 && q + 7 < end &&
		    (q[7] == '>' || is_space(q[7]) || q[7] == 's')) {
			const char *gt = memchr(q, '>', (size_t)(end - q));
			if (gt != NULL)
				xe = gt + 1;
			break;
		}
	}
	if ((size_t)(xe - xs) > XML_MAX || has_decl(xs, (size_t)(xe - xs)))
		return false;

	/* without libxml2 (not installed), the paste is read as text */
	if (!kbs__libxml2_load())
		return false;
	xmlParserCtxtPtr px = xmlNewParserCtxt();
	if (px == NULL) {
		c->rc = KBS_NOMEM;
		return true;
	}
	px->sax->error = xml_quiet;
	px->sax->warning = xml_quiet;
	px->sax->fatalError = xml_quiet;
	px->sax->serror = xml_quiet_structured;
	px->vctxt.error = xml_quiet;
	px->vctxt.warning = xml_quiet;
	xmlDoc *doc = xmlCtxtReadMemory(px, xs, (int)(xe - xs), NULL, "UTF-8",
	                                XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING |
	                                XML_PARSE_IGNORE_ENC);
	xmlNode *ev = doc != NULL ? xml_event(doc) : NULL;
	if (ev == NULL) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(px);
		return false;
	}

	kbs__paste *p = c->p;
	p->kind = "eventxml";
	xml_system(c, el_child(ev, "System"));
	kbs__pa_scan_lines(c, lines, 0, first);

	xmlNode *msg = el_child(el_child(ev, "RenderingInfo"), "Message");
	xmlChar *mt = msg != NULL ? xmlNodeGetContent(msg) : NULL;
	bool to_msg = mt == NULL || mt[0] == '\0';
	xmlNode *data = el_child(ev, "EventData");
	for (xmlNode *n = data != NULL ? data->children : NULL;
	     n != NULL && c->rc == KBS_OK; n = n->next) {
		if (!el_is(n, "Data"))
			continue;
		xmlChar *name = xmlGetProp(n, (const xmlChar *)"Name");
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL)
			xml_data(c, (const char *)name, (const char *)t,
			         strlen((const char *)t), to_msg);
		xmlFree(t);
		xmlFree(name);
	}
	xmlNode *ud = el_child(ev, "UserData");
	if (ud != NULL)
		xml_leaves(c, ud, 0, to_msg && data == NULL);
	if (!to_msg)
		kbs__pa_scan_block(c, (const char *)mt, strlen((const char *)mt));
	xmlFree(mt);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(px);

	/* Chatter after the event. */
	if (xe < end)
		kbs__pa_scan_block(c, xe, (size_t)(end - xe));
	return true;
}

