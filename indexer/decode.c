/* indexer/decode.c - TODO */
#include "private.h"
