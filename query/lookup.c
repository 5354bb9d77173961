/* query/lookup.c - TODO */
#include "private.h"
