#include "tests.h"
Suite *suite_kbtxt(void) { Suite *s = suite_create("kbtxt"); return s; }
