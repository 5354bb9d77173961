#include "tests.h"
Suite *suite_search(void) { Suite *s = suite_create("search"); return s; }
