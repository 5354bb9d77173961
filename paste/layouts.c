/*
 * layouts.c - message box and Event Viewer layouts, and the clues
 * to a paste's kind in free text (STOP screen, command output, chatter).
 */
#include "paste_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Layouts                                                             */
/* ------------------------------------------------------------------ */

enum hdr {
	H_NONE, H_IGNORE, H_SOURCE, H_DATE, H_EVENTID, H_USER, H_COMPUTER,
	H_DESC, H_DATA
};

static const struct {
	const char *key;
	enum hdr role;
} headers[] = {
	{"Log Name", H_IGNORE}, {"Source", H_SOURCE}, {"Event Source", H_SOURCE},
	{"Date", H_DATE}, {"Time", H_DATE}, {"Logged", H_DATE},
	{"Event ID", H_EVENTID}, {"EventID", H_EVENTID},
	{"Task Category", H_IGNORE}, {"Event Category", H_IGNORE},
	{"Category", H_IGNORE}, {"Level", H_IGNORE}, {"Event Type", H_IGNORE},
	{"Type", H_IGNORE}, {"Keywords", H_IGNORE}, {"OpCode", H_IGNORE},
	{"User", H_USER}, {"Computer", H_COMPUTER}, {"Description", H_DESC},
	{"Data", H_DATA}, {"Event Xml", H_DATA},
};

/* Recognise "Key:   value" at the start of a line; *val is the value. */
static enum hdr
header_of(const line *l, const char **val, size_t *valn)
{
	const char *s = l->s;
	size_t n = l->n;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++) {
		size_t m = strlen(headers[h].key);
		if (n < m + 1 || strncasecmp(s, headers[h].key, m) != 0)
			continue;
		size_t j = m;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != ':')
			continue;
		*val = s + j + 1;
		*valn = n - j - 1;
		kbs__trim(val, valn);
		return headers[h].role;
	}
	return H_NONE;
}

static bool
is_dash_line(const line *l)
{
	size_t d = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->s[i] == '-')
			d++;
		else if (!is_space(l->s[i]))
			return false;
	}
	return d >= 3;
}

static bool
is_blank(const line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!is_space(l->s[i]))
			return false;
	return true;
}

/* A line of message box buttons: "OK", "Yes   No", "Try Again   Cancel". */
static bool
is_button_line(const line *l)
{
	static const char *const buttons[] = {
		"ok", "cancel", "yes", "no", "retry", "ignore", "abort", "help",
		"continue", "try", "again", "close", "&ok", "&yes", "&no",
		"&retry", "&ignore", "&abort", "&help", "&continue", "&cancel",
		"debug", "details", NULL
	};
	size_t i = 0, words = 0;
	while (i < l->n) {
		while (i < l->n && is_space(l->s[i]))
			i++;
		size_t ws = i;
		while (i < l->n && !is_space(l->s[i]))
			i++;
		if (i == ws)
			break;
		if (!kbs__pa_in_list(buttons, l->s + ws, i - ws))
			return false;
		words++;
	}
	return words > 0;
}

/*
 * The Ctrl+C copy of a message box: dash lines around the caption, the
 * text and the buttons.
 */
bool
kbs__pa_parse_dialog(ctx *c, const line *lines, size_t nlines,
                      const char *text, size_t textlen)
{
	(void)text;
	(void)textlen;
	size_t first = 0, dash[64], nd = 0, text_lines = 0;
	/* A line or two of chatter may come before the box. */
	while (first < nlines && !is_dash_line(&lines[first])) {
		if (!is_blank(&lines[first]) && ++text_lines > 2)
			return false;
		first++;
	}
	if (first == nlines)
		return false;
	for (size_t i = first; i < nlines && nd < 64; i++)
		if (is_dash_line(&lines[i]))
			dash[nd++] = i;
	if (nd < 3)
		return false;

	kbs__paste *p = c->p;
	p->kind = "dialog";
	kbs__pa_scan_lines(c, lines, 0, first);
	/* Caption between the first two dash lines. */
	kbs__buf t = {0};
	for (size_t i = dash[0] + 1; i < dash[1]; i++) {
		const char *s = lines[i].s;
		size_t n = lines[i].n;
		kbs__trim(&s, &n);
		if (n == 0)
			continue;
		if (t.len > 0)
			kbs__buf_putc(&t, ' ');
		kbs__buf_append(&t, s, n);
	}
	if (t.oom) {
		c->rc = KBS_NOMEM;
	} else if (t.len > 0) {
		p->title = kbs__arena_strndup(&p->arena, t.data, t.len);
		if (p->title == NULL)
			c->rc = KBS_NOMEM;
	}
	kbs__buf_free(&t);

	/* Text up to the dash line before the buttons; the buttons are the
	 * last section when every line of it is buttons. */
	size_t body_end = nlines, btn_from = nlines, btn_to = nlines;
	size_t last = nd - 1;
	size_t after = dash[last] + 1;
	while (after < nlines && is_blank(&lines[after]))
		after++;
	if (after < nlines) {
		/* Text after the final dash line: buttons without a closing
		 * dash line, or more text. */
		bool buttons = true;
		for (size_t i = after; i < nlines; i++)
			if (!is_blank(&lines[i]) && !is_button_line(&lines[i]))
				buttons = false;
		if (buttons) {
			body_end = dash[last];
			btn_from = after;
		}
	} else if (nd >= 4) {
		bool buttons = true, any = false;
		for (size_t i = dash[last - 1] + 1; i < dash[last]; i++) {
			if (is_blank(&lines[i]))
				continue;
			any = true;
			if (!is_button_line(&lines[i]))
				buttons = false;
		}
		if (buttons && any) {
			body_end = dash[last - 1];
			btn_from = dash[last - 1] + 1;
			btn_to = dash[last];
		} else {
			body_end = dash[last];
		}
	} else {
		body_end = dash[last];
	}
	for (size_t i = dash[1] + 1; i < body_end; i++)
		if (!is_dash_line(&lines[i]))
			kbs__pa_scan_line(c, lines[i].s, lines[i].n);
	for (size_t i = btn_from; i < btn_to && i < nlines; i++)
		kbs__pa_add_dropped(c, lines[i].s, lines[i].n);
	return true;
}

/*
 * Event Viewer text: "Key: value" header lines (the Windows Vista and
 * later "copy details" form, the older General tab form, or a loose few),
 * then the description.
 */
bool
kbs__pa_parse_eventviewer(ctx *c, const line *lines, size_t nlines,
                           const char *text, size_t textlen)
{
	(void)text;
	(void)textlen;
	kbs__paste *p = c->p;
	size_t nheaders = 0, desc = nlines, data = nlines;
	bool has_id = false;
	const char *val;
	size_t valn;

	for (size_t i = 0; i < nlines; i++) {
		enum hdr h = header_of(&lines[i], &val, &valn);
		if (h == H_EVENTID) {
			size_t j = 0;
			unsigned long id;
			if (digits(val, valn, &j, &id) > 0 && j == valn && !has_id) {
				has_id = true;
				p->event_id = (long)id;
			}
		}
		if (h == H_DESC) {
			desc = i;
			break;
		}
		if (h != H_NONE)
			nheaders++;
	}
	if (!has_id || nheaders < 2) {
		p->event_id = -1;
		return false;
	}
	p->kind = "eventviewer";

	/* Header values: names first, so that the description loses them. */
	size_t hend = desc < nlines ? desc : nlines;
	for (size_t i = 0; i < hend; i++) {
		enum hdr h = header_of(&lines[i], &val, &valn);
		if (h == H_SOURCE && p->source == NULL && valn > 0) {
			p->source = kbs__arena_strndup(&p->arena, val, valn);
			if (p->source == NULL)
				c->rc = KBS_NOMEM;
		} else if (h == H_DATE) {
			kbs__pa_add_dropped(c, val, valn);
		} else if (h == H_COMPUTER && valn > 0) {
			kbs__pa_add_dropped(c, val, valn);
			kbs__pa_add_name(c, val, valn);
			const char *dot = memchr(val, '.', valn);
			if (dot != NULL)
				kbs__pa_add_name(c, val, (size_t)(dot - val));
		} else if (h == H_USER && valn > 0 && !ieq(val, valn, "N/A") &&
		           !ieq(val, valn, "SYSTEM") &&
		           !iprefix(val, valn, "NT AUTHORITY") &&
		           !ieq(val, valn, "LOCAL SERVICE") &&
		           !ieq(val, valn, "NETWORK SERVICE")) {
			kbs__pa_add_dropped(c, val, valn);
			kbs__pa_add_name(c, val, valn);
			const char *bs = memchr(val, '\\', valn);
			if (bs != NULL)
				kbs__pa_add_name(c, bs + 1, valn - (size_t)(bs - val) - 1);
		}
	}

	/* Text before the description that is not a header: the message
	 * as the General tab shows it above the fields, or chatter. */
	size_t m0 = c->msg.len;
	for (size_t i = 0; i < hend; i++)
		if (header_of(&lines[i], &val, &valn) == H_NONE &&
		    !is_dash_line(&lines[i]))
			kbs__pa_scan_line(c, lines[i].s, lines[i].n);
	if (desc < nlines) {
		/* The description: text on the Description: line itself and
		 * every line after it, up to a Data: or Event Xml: section. */
		size_t m1 = c->msg.len;
		for (size_t i = desc + 1; i < nlines; i++) {
			enum hdr h = header_of(&lines[i], &val, &valn);
			if (h == H_DATA) {
				data = i;
				break;
			}
		}
		header_of(&lines[desc], &val, &valn);
		kbs__pa_scan_line(c, val, valn);
		kbs__pa_scan_lines(c, lines, desc + 1, data);
		/* The same text above the fields and as the description:
		 * once is enough. */
		size_t a = m1 - m0, b = c->msg.len - m1;
		if (a > 0 && b == a + 1 && !c->msg.oom &&
		    memcmp(c->msg.data + m0, c->msg.data + m1 + 1, a) == 0) {
			c->msg.len = m1;
			c->msg.data[m1] = '\0';
		}
	}
	return true;
}
