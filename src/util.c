/*
 * util.c - arena allocator and growable buffer.
 *
 * Parsers produce many small strings whose lifetimes all end together, so
 * they come from an arena: a chain of blocks freed in one call. The heap
 * buffer is for building SQL and JSON-free text whose size is not known in
 * advance. Both report memory exhaustion instead of aborting.
 */
#include "private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct kbs__arena_block {
	kbs__arena_block *next;  /* older block */
	size_t used;             /* bytes handed out from data */
	size_t size;             /* bytes available in data */
	_Alignas(16) unsigned char data[];
};

void *
kbs__arena_alloc(kbs__arena *a, size_t size)
{
	kbs__arena_block *b = a->head;
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (b == NULL || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		b = malloc(sizeof *b + bsize);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->size = bsize;
		/* A large private block goes behind the current one so that the
		 * current block keeps serving small requests. */
		if (bsize > ARENA_BLOCK && a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *
kbs__arena_strndup(kbs__arena *a, const char *s, size_t n)
{
	char *p = kbs__arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
kbs__arena_strdup(kbs__arena *a, const char *s)
{
	return s == NULL ? NULL : kbs__arena_strndup(a, s, strlen(s));
}

char *
kbs__arena_printf(kbs__arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = kbs__arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
kbs__arena_free(kbs__arena *a)
{
	kbs__arena_block *b = a->head;
	while (b != NULL) {
		kbs__arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

void *
kbs__arena_grow(kbs__arena *a, void *arr, size_t count, size_t *cap,
                size_t elsize)
{
	if (count < *cap)
		return arr;
	size_t ncap = *cap < 8 ? 8 : *cap * 2;
	void *n = kbs__arena_alloc(a, ncap * elsize);
	if (n == NULL)
		return NULL;
	if (count > 0)
		memcpy(n, arr, count * elsize);
	*cap = ncap;
	return n;
}

static bool
buf_reserve(kbs__buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t ncap = b->cap < 64 ? 64 : b->cap;
	while (ncap < b->len + extra + 1)
		ncap *= 2;
	char *n = realloc(b->data, ncap);
	if (n == NULL) {
		b->oom = true;
		return false;
	}
	b->data = n;
	b->cap = ncap;
	return true;
}

void
kbs__buf_append(kbs__buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	if (n > 0)  /* s may be NULL for an empty string (memcpy: never) */
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
kbs__buf_puts(kbs__buf *b, const char *s)
{
	kbs__buf_append(b, s, strlen(s));
}

void
kbs__buf_putc(kbs__buf *b, char c)
{
	kbs__buf_append(b, &c, 1);
}

void
kbs__buf_printf(kbs__buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
kbs__buf_free(kbs__buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

const char *
kbs__buf_str(const kbs__buf *b)
{
	return b->data != NULL ? b->data : "";
}

void
kbs__trim(const char **s, size_t *n)
{
	static const char ws[] = " \t\n\r\f\v";
	while (*n > 0 && **s != '\0' && strchr(ws, **s) != NULL) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] != '\0' &&
	       strchr(ws, (*s)[*n - 1]) != NULL)
		(*n)--;
}
