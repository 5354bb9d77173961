/*
 * status.c - status names and the library version.
 */
#include "private.h"

const char *
kbs_version(void)
{
	return KBS_VERSION_STRING;
}

/* Keep in step with enum kbs_status in include/kbsearch.h. */
const char *
kbs_status_str(kbs_status status)
{
	switch (status) {
	case KBS_OK:        return "success";
	case KBS_DONE:      return "no more items";
	case KBS_NOMEM:     return "out of memory";
	case KBS_INVALID:   return "invalid argument";
	case KBS_IO:        return "input/output error";
	case KBS_PARSE:     return "not a readable article";
	case KBS_DB:        return "database error";
	case KBS_SCHEMA:    return "database schema version mismatch";
	case KBS_NOT_FOUND: return "not found";
	case KBS_READONLY:  return "database is read-only";
	case KBS_CANCELLED: return "cancelled";
	}
	return "unknown status";
}
