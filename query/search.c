/* query/search.c - TODO */
#include "private.h"
