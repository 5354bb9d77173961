/*
 * crash.c - application crash reports (Application Error, Dr.
 * Watson, Windows Error Reporting) and the line scanner they use.
 */
#include "paste_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Application crash reports                                           */
/* ------------------------------------------------------------------ */

enum crash_role {
	C_KEEP,         /* the field stays in the message */
	C_DROP,         /* the value changes from one crash to the next */
	C_NAME,         /* a computer or user name: dropped here and elsewhere */
	C_PATH,         /* a path: the file name stays, the directory goes */
	C_SKIP          /* the label of a dump: left out with its value */
};

/*
 * Fields of the crash reports engineers paste: the Application Error
 * event 1000 ("Faulting application name: app.exe, version: 1.2.3.4, time
 * stamp: 0x4a5bc0d3"), Dr. Watson's log and event ("App:", "When:"), the
 * "Problem signature" of the Windows Error Reporting dialog, and the
 * Windows 9x fault dialog ("Registers:", "Stack dump:"). Keys not listed
 * (names, versions, exception codes) stay in the message.
 */
static const struct {
	const char *key;
	enum crash_role role;
} crash_fields[] = {
	{"time stamp", C_DROP}, {"fault offset", C_DROP},
	{"faulting process id", C_DROP},
	{"faulting application start time", C_DROP},
	{"faulting application path", C_PATH}, {"faulting module path", C_PATH},
	{"report id", C_DROP}, {"app", C_PATH}, {"when", C_DROP},
	{"computer name", C_NAME}, {"user name", C_NAME},
	{"application timestamp", C_DROP}, {"fault module timestamp", C_DROP},
	{"exception offset", C_DROP}, {"offset", C_DROP}, {"locale id", C_DROP},
	{"additional information 1", C_DROP},
	{"additional information 2", C_DROP},
	{"additional information 3", C_DROP},
	{"additional information 4", C_DROP},
	{"registers", C_SKIP}, {"bytes at cs", C_SKIP}, {"stack dump", C_SKIP},
};

/* Phrases that only crash reports use. */
static const char *const crash_marks[] = {
	"Faulting application", "Application exception occurred",
	"Problem Event Name", "Fault Module Name",
	"caused an invalid page fault", "caused a general protection fault",
	"generated an application error", "Exception number:",
};

/* Only the start of the paste is looked at (bounded cost). */
bool
kbs__pa_looks_like_crash(const char *s, size_t n)
{
	size_t lim = n < 16384 ? n : 16384;
	for (size_t i = 0; i < lim; i++) {
		for (size_t m = 0; m < sizeof crash_marks / sizeof crash_marks[0];
		     m++) {
			size_t ml = strlen(crash_marks[m]);
			if (i + ml <= lim &&
			    strncasecmp(s + i, crash_marks[m], ml) == 0)
				return true;
		}
	}
	return false;
}

static enum crash_role
crash_role_of(const char *key, size_t n)
{
	kbs__trim(&key, &n);
	for (size_t i = 0; i < sizeof crash_fields / sizeof crash_fields[0]; i++)
		if (ieq(key, n, crash_fields[i].key))
			return crash_fields[i].role;
	return C_KEEP;
}

/* A line of a hex dump: four or more words of 2, 4, 8 or 16 hex digits
 * ("8b 46 10 85 c0", "00000000 81620000 bff7b9b4 ..."). */
static bool
is_dump_line(const char *s, size_t n)
{
	size_t i = 0, words = 0;
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		size_t ws = i;
		while (i < n && !is_space(s[i]))
			i++;
		size_t wn = i - ws;
		if (wn == 0)
			break;
		if ((wn != 2 && wn != 4 && wn != 8 && wn != 16) ||
		    !kbs__pa_all_hex(s + ws, wn))
			return false;
		words++;
	}
	return words >= 4;
}

/* "C:\WINNT\system32\foo.exe (pid=123)" after a label such as "App:": the
 * file name stays in the message, the directory (an install location or a
 * user profile) and the process id are dropped. */
static void
crash_path(ctx *c, const char *label, size_t labeln, const char *v,
           size_t vn, bool kept)
{
	for (size_t i = 0; i + 5 <= vn; i++) {
		if (strncasecmp(v + i, "(pid=", 5) == 0) {
			kbs__pa_add_dropped(c, v + i, vn - i);
			vn = i;
			kbs__trim(&v, &vn);
			break;
		}
	}
	size_t last = vn;
	for (size_t i = 0; i < vn; i++)
		if (v[i] == '\\' || v[i] == '/')
			last = i;
	if (kept)
		kbs__pa_emit(c, ",", 1, true);
	kbs__pa_scan_text(c, label, labeln);
	if (last == vn) {
		kbs__pa_scan_text(c, v, vn);
		return;
	}
	kbs__pa_add_dropped(c, v, last);
	kbs__pa_scan_text(c, v + last + 1, vn - last - 1);
}

/* One "Key: value" field of a crash report line; *kept tells whether
 * something of the line went to the message already. */
static void
crash_field(ctx *c, const char *s, size_t n, bool *kept)
{
	kbs__trim(&s, &n);
	if (n == 0)
		return;
	size_t k = 0;
	while (k < n && k < 48 && (is_alnum(s[k]) || s[k] == ' ' ||
	                           s[k] == '-' || s[k] == '.'))
		k++;
	enum crash_role role = C_KEEP;
	const char *v = NULL;
	size_t vn = 0;
	if (k > 0 && k < n && s[k] == ':' && isalpha((unsigned char)s[0])) {
		role = crash_role_of(s, k);
		v = s + k + 1;
		vn = n - k - 1;
		kbs__trim(&v, &vn);
	}
	switch (role) {
	case C_DROP:
		kbs__pa_add_dropped(c, v, vn);
		return;
	case C_NAME:
		kbs__pa_add_dropped(c, v, vn);
		kbs__pa_add_name(c, v, vn);
		return;
	case C_SKIP:
		return;
	case C_PATH:
		crash_path(c, s, k + 1, v, vn, *kept);
		*kept = true;
		return;
	case C_KEEP:
		break;
	}
	if (*kept)
		kbs__pa_emit(c, ",", 1, true);
	kbs__pa_scan_text(c, s, n);
	*kept = true;
}

/* One line of a crash report: fields separated by ", ", or a dump. */
static void
crash_line(ctx *c, const char *s, size_t n)
{
	bool kept = false;
	kbs__trim(&s, &n);
	if (n == 0)
		return;
	if (is_dump_line(s, n)) {
		kbs__pa_add_dropped(c, s, n);
		return;
	}
	for (size_t i = 0; i < n && c->rc == KBS_OK;) {
		size_t j = i;
		while (j < n && !(s[j] == ',' && j + 1 < n && s[j + 1] == ' '))
			j++;
		crash_field(c, s + i, j - i, &kept);
		i = j < n ? j + 2 : n;
	}
}

/* Event Viewer's closing line on Windows XP and 2003: the same on every
 * event, so it says nothing about this one. */
static bool
is_boilerplate(const char *s, size_t n)
{
	kbs__trim(&s, &n);
	return iprefix(s, n, "For more information, see Help and Support Center");
}

/* Does s[0..n) contain lit? */
bool
kbs__pa_contains(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(s + i, lit, m) == 0)
			return true;
	return false;
}

/*
 * The scaffolding a shell or tool prints around an error, the same for
 * every error: PowerShell's prompt ("PS C:\Users\me> command"), the
 * position of an error record ("At C:\x.ps1:67 char:5", "At line:1
 * char:1"), its "+ CategoryInfo" and "+ FullyQualifiedErrorId" lines,
 * and the underline of the failing code ("+ ~~~~~", a compiler's "^~~~").
 * The message is the line they surround.
 */
static bool
is_tool_scaffold(const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n == 0)
		return false;
	if (iprefix(s, n, "PS ") && n > 5 && isalpha((unsigned char)s[3]) &&
	    s[4] == ':' &&
	    kbs__pa_contains(s, n, ">"))
		return true;
	if (iprefix(s, n, "At ") && kbs__pa_contains(s, n, " char:"))
		return true;
	if (s[0] == '+' || s[0] == '~' || s[0] == '^') {
		size_t i = 1;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (iprefix(s + i, n - i, "CategoryInfo") ||
		    iprefix(s + i, n - i, "FullyQualifiedErrorId"))
			return true;
		while (i < n && (s[i] == '~' || s[i] == '^' || s[i] == ' '))
			i++;
		return i == n;
	}
	return false;
}

/*
 * A compiler's or linker's diagnostic line, as Microsoft's tools and
 * MSBuild print them: "file(12) : error C2065: ...", "x.lib(y.obj) :
 * error LNK2005: ...", "LINK : warning LNK4098: ...", "fatal error
 * LNK1169: ...": the word error or warning, then a code of letters and
 * digits and a colon. 1 for an error, 2 for a warning, else 0.
 */
static int
diagnostic_of(const char *s, size_t n)
{
	for (size_t i = 0; i + 8 < n && i < 512; i++) {
		int kind = 0;
		size_t j = i;
		if (i > 0 && is_alnum(s[i - 1]))
			continue;
		if (strncasecmp(s + i, "error ", 6) == 0) {
			kind = 1;
			j = i + 6;
		} else if (strncasecmp(s + i, "warning ", 8) == 0) {
			kind = 2;
			j = i + 8;
		} else {
			continue;
		}
		size_t a = j;
		while (j < n && isalpha((unsigned char)s[j]))
			j++;
		size_t d = j;
		while (j < n && is_digit(s[j]))
			j++;
		if (d > a && d - a <= 4 && j - d >= 4 && j - d <= 5 && j < n &&
		    s[j] == ':')
			return kind;
	}
	return 0;
}

/* A build tool's progress line, the same in every build: "Compiling...",
 * "Linking...", MSBuild's "Build started", "Done building project" and
 * "==========" summaries, or a source file's name alone as the compiler
 * echoes it. */
static bool
is_build_progress(const char *s, size_t n)
{
	static const char *const lead[] = {
		"compiling...", "linking...", "generating code...",
		"creating library ", "build started", "done building project",
		"------ build started", "------ rebuild all started",
		"========== build:", "========== rebuild all:", "build failed.",
		"build log was saved at", NULL
	};
	kbs__trim(&s, &n);
	for (size_t i = 0; lead[i] != NULL; i++)
		if (iprefix(s, n, lead[i]))
			return true;
	size_t dot = n;
	for (size_t i = 0; i < n; i++) {
		if (is_space(s[i]))
			return false;
		if (s[i] == '.')
			dot = i;
	}
	const char *ext = s + dot;
	size_t en = n - dot;
	return dot > 0 && (ieq(ext, en, ".c") || ieq(ext, en, ".cpp") ||
	                   ieq(ext, en, ".cxx") || ieq(ext, en, ".cc") ||
	                   ieq(ext, en, ".cs"));
}

/* MSBuild's "13>" before each line of a parallel build: the number of
 * the project, not of the error. Its length, else 0. */
static size_t
node_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 4 && is_digit(s[i]))
		i++;
	return i > 0 && i < n && s[i] == '>' ? i + 1 : 0;
}

/* Blank line i's bytes [a, b) in place, keeping them in dropped. */
static void
blank(ctx *c, const line *l, size_t a, size_t b)
{
	kbs__pa_add_dropped(c, l->s + a, b - a);
	memset((char *)l->s + a, ' ', b - a);
}

/* Drop the tool scaffold lines of a paste read as one text: each goes to
 * dropped and is blanked in place (lines point into the paste's own
 * copy), so that the words around it keep their order. In a build's
 * output that holds an error diagnostic, the error lines are the
 * message: the warnings around them (a linker's LNK4098 beside its
 * LNK2005) and the progress lines go, and MSBuild's project numbers. */
void
kbs__pa_blank_scaffold(ctx *c, const line *lines, size_t nlines)
{
	bool build = false;
	for (size_t i = 0; i < nlines && i < 1000 && !build; i++)
		build = diagnostic_of(lines[i].s, lines[i].n) == 1;
	for (size_t i = 0; i < nlines && c->rc == KBS_OK; i++) {
		const line *l = &lines[i];
		if (is_tool_scaffold(l->s, l->n)) {
			blank(c, l, 0, l->n);
			continue;
		}
		if (!build)
			continue;
		size_t p = node_prefix(l->s, l->n);
		if (p > 0) {
			memset((char *)l->s, ' ', p);
		}
		if (diagnostic_of(l->s, l->n) == 2 ||
		    is_build_progress(l->s, l->n))
			blank(c, l, 0, l->n);
	}
}

/* One line of text into the message, the way the paste's kind wants. */
void
kbs__pa_scan_line(ctx *c, const char *s, size_t n)
{
	if (is_boilerplate(s, n) || is_tool_scaffold(s, n))
		kbs__pa_add_dropped(c, s, n);
	else if (c->crash)
		crash_line(c, s, n);
	else
		kbs__pa_scan_text(c, s, n);
}

void
kbs__pa_scan_lines(ctx *c, const line *lines, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		kbs__pa_scan_line(c, lines[i].s, lines[i].n);
}

/* kbs__pa_scan_line() over each line of s[0..n). */
void
kbs__pa_scan_block(ctx *c, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n && c->rc == KBS_OK; i++) {
		if (i == n || s[i] == '\n') {
			kbs__pa_scan_line(c, s + start, i - start);
			start = i + 1;
		}
	}
}

