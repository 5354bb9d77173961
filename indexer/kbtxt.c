/* indexer/kbtxt.c - stub, being written */
#include "private.h"
kbs_status kbs__parse_kbtxt(kbs_article *a, const char *text, size_t len) { (void)a; (void)text; (void)len; return KBS_PARSE; }
