/* query/rank.c - TODO */
#include "private.h"
