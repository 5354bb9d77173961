/*
 * indexer.h - internals of the indexer (corpus walk, decoding, writer).
 */
#ifndef KBS_INDEXER_H
#define KBS_INDEXER_H
#include "private.h"
#endif
