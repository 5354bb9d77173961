/*
 * paste.h - paste analysis (paste/), the one header of paste/ that the
 * rest of the library includes. docs/ARCHITECTURE.md says how to add a
 * paste kind.
 */
#ifndef KBS_PASTE_H
#define KBS_PASTE_H

#include "private.h"


/*
 * What a pasted error is made of. Filled by kbs__paste_analyse(); every
 * pointer is owned by arena. kind names the layout when there is one
 * ("eventxml", "eventviewer", "dialog"), else what the text is
 * ("appcrash", "stop", "command", "plain"): a crash report inside an Event
 * Viewer block is "eventviewer", its fields handled as an "appcrash".
 */
typedef struct kbs__paste {
	kbs__arena arena;
	const char *kind;       /* see above */
	long event_id;          /* -1 when none */
	const char *source;     /* event source, or NULL */
	const char *title;      /* dialog caption, or NULL */
	const char *message;    /* the text to rank with, volatile parts removed */
	uint32_t *codes;        size_t ncodes, capcodes;    /* canonical */
	const char **files;     size_t nfiles, capfiles;    /* "termsrv.exe" */
	const char **kb_ids;    size_t nkb_ids, capkb_ids;  /* canonical */
	const char **dropped;   size_t ndropped, capdropped; /* as pasted */
	/* what an event message's inserts name (a service's name): out of
	 * the message, whose template is what articles quote, but searched
	 * as extra words, since an article about that service names it */
	const char **context;   size_t ncontext, capcontext;
} kbs__paste;

/*
 * Analyse paste[0..len) (any bytes; invalid UTF-8 and NULs are replaced by
 * spaces) into out, which the caller zero-initialises. Never fails on odd
 * input: returns KBS_OK or KBS_NOMEM. Free with kbs__paste_free().
 */
kbs_status kbs__paste_analyse(kbs__paste *out, const char *paste, size_t len);

/*
 * Where the window bytes of text[0..len) with the most error words
 * ("error", "failed", "denied", "exception"...) start: a long paste (a
 * log, a dump) is read by its most informative part. Blocks of 1 KB are
 * scored in one pass, then the run of blocks with the highest sum wins,
 * the earliest on ties (so a text without error words is read from its
 * start). Returns a multiple of 1 KB; 0 when out of memory.
 */
size_t kbs__informative_window(const char *text, size_t len, size_t window);
void kbs__paste_free(kbs__paste *p);

#endif
