/*
 * recognise.h - one recogniser for error-code words, plausible code
 * values, bug checks, KB ids and file names (src/recognise.c), which the
 * indexer's extractors and paste analysis both call, so that an article
 * and a paste quoting the same error yield the same codes, ids and files.
 */
#ifndef KBS_RECOGNISE_H
#define KBS_RECOGNISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a word says about the number after it (see recognise.c). */
enum kbs__cue {
	KBS__CUE_NONE,
	KBS__CUE_STRONG,        /* "error", "hresult": enough alone */
	KBS__CUE_WEAK,          /* "code", "with": after a strong/lead word */
	KBS__CUE_LEAD,          /* "exit", "return": only before a weak word */
	KBS__CUE_COLON,         /* "occurred": only when a colon follows */
};

/* The cue of the word w[0..n), compared without case. */
enum kbs__cue kbs__code_cue(const char *w, size_t n);

/* Whether a number is an error code when the word right before it has the
 * cue last (colon: a colon came between them) and the word before that
 * has the cue before. */
bool kbs__code_cued(enum kbs__cue last, bool colon, enum kbs__cue before);

/* An HRESULT or NTSTATUS failure rather than an address or a flag mask:
 * severity 8 or C and a small facility. */
bool kbs__code_failure_shape(uint32_t v);

/* Whether a decimal number of ndigits digits (after the sign when
 * negative) whose value is v is an error code, cued: the words before it
 * make it one (kbs__code_cued()). An HRESULT or NTSTATUS failure
 * (kbs__code_failure_shape()) in decimal is one anywhere: 2147942405,
 * -2147024891, but not -2147483648, a number's limit; a small number or
 * any negative one only after a cue: "error 1722", "error -1811". */
bool kbs__code_decimal(uint32_t v, size_t ndigits, bool negative, bool cued);

/* An NTSTATUS error value (0xC0000005, 0xC0020005) or one of the warning
 * values bug checks report (0x80000003). */
bool kbs__code_ntstatus_like(uint32_t v);

/* The code of the bug check named s[0..n) as blue screens print it (upper
 * case, "IRQL_NOT_LESS_OR_EQUAL"); false when it names none. */
bool kbs__bugcheck_code(const char *s, size_t n, uint32_t *code);

/* The name of the i-th bug check known, or NULL past the last. */
const char *kbs__bugcheck_name(size_t i);

/* The KB id starting at s[0] (a word start; the caller checks what is
 * before): "Q" and 4 to 8 digits, "KB" and 5 to 8 digits, optionally
 * after one space, letters in either case, no leading zero, not followed
 * by a word character or ".digit". Writes the canonical "Q123456" to id
 * and returns the length read, or 0. */
size_t kbs__kb_id_at(const char *s, size_t n, char *id, size_t idsz);

/* Whether s[0..n) (without the dot) is a file name extension known. */
bool kbs__file_ext_known(const char *s, size_t n);

/* Whether s[0..n), one path component without quotes or brackets, is a
 * file name: a stem of letters, digits, "_-$~.#&@+" or non-ASCII bytes,
 * at most 64 bytes in all, and a known extension ("termsrv.exe"; ".com"
 * only in upper case or for the DOS commands), or "ntldr", "bootmgr",
 * "ntdetect". listed: s is a column of a file table, where any extension
 * of one to four letters or digits (with a letter) will do and the stem
 * must hold a letter. */
bool kbs__file_name(const char *s, size_t n, bool listed);

#endif
