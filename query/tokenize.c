/* query/tokenize.c - TODO */
#include "private.h"
