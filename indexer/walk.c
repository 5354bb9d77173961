/* indexer/walk.c - TODO */
#include "private.h"
