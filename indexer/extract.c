/* indexer/extract.c - stub, being written */
#include "private.h"
kbs_status kbs__extract(kbs_article *a) { (void)a; return KBS_OK; }
