/* query/paste.c - stub, being written */
#include "private.h"
kbs_status kbs__paste_analyse(kbs__paste *out, const char *paste, size_t len) { (void)out; (void)paste; (void)len; return KBS_OK; }
void kbs__paste_free(kbs__paste *p) { kbs__arena_free(&p->arena); }
