/*
 * lookup.h - the four list lookups (event, code, file, refs) as one
 * table, shared by the commands (cmd_lookup.c) and the HTTP routes
 * (http.c): what each is called, which key it takes, and the one
 * library call that runs it. Adding a lookup key means a row here, a
 * case in cli_lookup_run(), a printer in cmd_lookup.c and a page in
 * html.c.
 */
#ifndef KBS_CLI_LOOKUP_H
#define KBS_CLI_LOOKUP_H

#include <stdbool.h>

#include "kbsearch.h"

typedef enum cli_lookup_kind {
	CLI_LOOKUP_EVENT,
	CLI_LOOKUP_CODE,
	CLI_LOOKUP_FILE,
	CLI_LOOKUP_REFS,
} cli_lookup_kind;

/* One list lookup. */
typedef struct cli_lookup {
	cli_lookup_kind kind;   /* its row in cli_lookups[] */
	const char *name;       /* the command and the route: "event"... */
	const char *key;        /* JSON member of the key: "event_id"... */
	const char *extra;      /* JSON member and HTTP field of the second
	                           key ("source", "version"), or NULL */
} cli_lookup;

extern const cli_lookup cli_lookups[];

/* The keys of one lookup, as a front end read them. Borrowed strings. */
typedef struct cli_key {
	const cli_lookup *lookup;
	const char *key;        /* event ID, code, file name or article id */
	const char *extra;      /* event source or file version; may be NULL */
	long id;                /* event: the key as a number */
	char id_text[24];       /* event: the number written again */
} cli_key;

/* Set up *k for lookup kind with the given keys (extra may be NULL). An
 * event ID must be a decimal number from 0 to 4294967295 (k->id set,
 * k->key then points to it in decimal); false when it is not. */
bool cli_key_set(cli_key *k, cli_lookup_kind kind, const char *key,
                 const char *extra);

/* Run the lookup: kbs_search_event(), _code(), _file() or _refs().
 * Returns its status; *out as they leave it. */
kbs_status cli_lookup_run(kbs_results **out, kbs_db *db, const cli_key *k);

#endif
