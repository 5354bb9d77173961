/* src/db.c - TODO */
#include "private.h"
