/* indexer/writer.c - TODO */
#include "private.h"
