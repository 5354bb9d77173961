/*
 * query.h - internals of the query side (tokenizer, ranking).
 */
#ifndef KBS_QUERY_H
#define KBS_QUERY_H
#include "private.h"
#endif
