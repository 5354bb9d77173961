#include "tests.h"
Suite *suite_paste(void) { Suite *s = suite_create("paste"); return s; }
