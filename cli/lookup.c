/*
 * lookup.c - the table of list lookups and the one call that runs them
 * (see lookup.h).
 */
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_lookup cli_lookups[] = {
	[CLI_LOOKUP_EVENT] = { CLI_LOOKUP_EVENT, "event", "event_id", "source" },
	[CLI_LOOKUP_CODE] = { CLI_LOOKUP_CODE, "code", "code", NULL },
	[CLI_LOOKUP_FILE] = { CLI_LOOKUP_FILE, "file", "name", "version" },
	[CLI_LOOKUP_REFS] = { CLI_LOOKUP_REFS, "refs", "kb_id", NULL },
};

bool
cli_key_set(cli_key *k, cli_lookup_kind kind, const char *key,
            const char *extra)
{
	memset(k, 0, sizeof *k);
	k->lookup = &cli_lookups[kind];
	k->key = key;
	k->extra = extra;
	if (kind != CLI_LOOKUP_EVENT)
		return true;
	char *end;
	errno = 0;
	k->id = strtol(key, &end, 10);
	if (*end != '\0' || errno != 0 || k->id < 0 || k->id > 0xFFFFFFFFL ||
	    key[0] < '0' || key[0] > '9')
		return false;
	snprintf(k->id_text, sizeof k->id_text, "%ld", k->id);
	k->key = k->id_text;
	return true;
}

kbs_status
cli_lookup_run(kbs_results **out, kbs_db *db, const cli_key *k)
{
	switch (k->lookup->kind) {
	case CLI_LOOKUP_EVENT:
		return kbs_search_event(out, db, k->id, k->extra);
	case CLI_LOOKUP_CODE:
		return kbs_search_code(out, db, k->key);
	case CLI_LOOKUP_FILE:
		return kbs_search_file(out, db, k->key, k->extra);
	case CLI_LOOKUP_REFS:
		return kbs_search_refs(out, db, k->key);
	}
	return KBS_INVALID;
}
