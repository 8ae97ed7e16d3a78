/* filter_expr.c - ss's filter language: a lexer, a recursive-descent parser and the
 * expression it builds.
 *
 * The facts follow ss (iproute2 misc/ssfilter.y, parse_hostcond() in misc/ss.c):
 *   - "and", "or" and juxtaposition have the same precedence and group from the left, because
 *     ss's grammar is "exprlist: exprlist op expr": "a or b and c" is "(a or b) and c";
 *     "not" binds to the one condition (or parenthesised group) after it;
 *   - "sport > :N" is "not sport <= :N" and "sport < :N" is "not sport >= :N";
 *   - ports are numbers as strtol(3) with base 0 reads them (0x16 is 22) or service names;
 *   - state and exclude come before the expression: the first sets the start (state: none,
 *     exclude: all), each later one adds or removes.
 * tcptable accepts a little more than ss: "(" and ")" need no blanks around them, "," is
 * "or" (and lists states after "state"), a leading "!" needs no blank, "src"/"dst" take "!=",
 * an IPv6 address needs brackets only when a port follows, and "[v6]/len" is "[v6/len]". */
#include "filter_expr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_args.h"
#include "grow.h"

enum { MAX_TEXT = sizeof(((struct filter_expr_error *)0)->text) - 1, MAX_WORD = 256,
       MAX_DEPTH = 200 };

enum tok_kind { T_END, T_WORD, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR };

struct token {
	enum tok_kind kind;
	size_t pos; /* 0-based offset in the text */
	size_t len;
};

struct parser {
	const char *text;
	struct token *toks;
	size_t ntoks;
	size_t at;
	struct tcpt_expr *nodes; /* built operands first; reversed at the end */
	size_t count;
	size_t cap;
	filter_resolve_fn resolve;
	void *ctx;
	struct filter_expr_error *err;
	int error;
	int depth;
};

/* --- tokens ------------------------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_single(char c)
{
	return c == '(' || c == ')' || c == ',';
}

static bool word_is(const struct parser *p, const struct token *t, const char *w)
{
	return t->kind != T_END && t->len == strlen(w) && memcmp(p->text + t->pos, w, t->len) == 0;
}

static enum tok_kind classify(const char *s, size_t len)
{
	static const struct {
		const char *word;
		enum tok_kind kind;
	} words[] = {
		{"(", T_LPAREN}, {")", T_RPAREN}, {"!", T_NOT}, {"not", T_NOT},
		{"&", T_AND}, {"&&", T_AND}, {"and", T_AND},
		{"|", T_OR}, {"||", T_OR}, {"or", T_OR}, {",", T_OR},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (len == strlen(words[i].word) && memcmp(s, words[i].word, len) == 0)
			return words[i].kind;
	return T_WORD;
}

/* Split TEXT into P->toks (room for strlen(TEXT) + 1), ending with a T_END at the end. */
static void lex(struct parser *p)
{
	const char *s = p->text;
	size_t i = 0, n = 0;
	for (;;) {
		while (is_blank(s[i]))
			i++;
		if (!s[i])
			break;
		size_t start = i;
		if (is_single(s[i]) || (s[i] == '!' && s[i + 1] != '='))
			i++;
		else
			while (s[i] && !is_blank(s[i]) && !is_single(s[i]))
				i++;
		p->toks[n++] = (struct token){classify(s + start, i - start), start, i - start};
	}
	p->toks[n] = (struct token){T_END, i, 0};
	p->ntoks = n + 1;
}

static const struct token *peek(const struct parser *p)
{
	return &p->toks[p->at];
}

static const struct token *next(struct parser *p)
{
	const struct token *t = &p->toks[p->at];
	if (t->kind != T_END)
		p->at++;
	return t;
}

/* Record the first error, at token T. Returns -1 for the callers to pass up. */
static long fail(struct parser *p, const struct token *t, const char *why)
{
	if (p->error)
		return -1;
	p->error = -EINVAL;
	struct filter_expr_error *e = p->err;
	e->position = t->pos + 1;
	size_t n = t->len < sizeof(e->token) - 1 ? t->len : sizeof(e->token) - 1;
	memcpy(e->token, p->text + t->pos, n);
	e->token[n] = '\0';
	e->why = why;
	return -1;
}

/* The token's text, NUL-terminated, into BUF (MAX_WORD bytes); false when too long. */
static bool word_text(const struct parser *p, const struct token *t, char *buf)
{
	if (t->len >= MAX_WORD)
		return false;
	memcpy(buf, p->text + t->pos, t->len);
	buf[t->len] = '\0';
	return true;
}

/* --- nodes -------------------------------------------------------------------------------- */

static long add_node(struct parser *p, struct tcpt_expr n)
{
	if (p->error)
		return -1;
	if (p->count == TCPT_EXPR_MAX_NODES) {
		p->error = -E2BIG;
		return -1;
	}
	if (grow_array((void **)&p->nodes, &p->cap, p->count + 1, sizeof(*p->nodes)) < 0) {
		p->error = -ENOMEM;
		return -1;
	}
	p->nodes[p->count] = n;
	return (long)p->count++;
}

static long binary(struct parser *p, uint32_t op, long a, long b)
{
	if (a < 0 || b < 0)
		return -1;
	return add_node(p, (struct tcpt_expr){.op = op, .a = (uint32_t)a, .b = (uint32_t)b});
}

static long negate(struct parser *p, long a)
{
	if (a < 0)
		return -1;
	return add_node(p, (struct tcpt_expr){.op = TCPT_EXPR_NOT, .a = (uint32_t)a});
}

/* --- values ------------------------------------------------------------------------------- */

/* A port: "*" (-1, any), a number as strtol(3) base 0 reads it, or a TCP or UDP service
 * name. Returns the port, -1 for "*", or -2 when S is none of those. */
static long port_value(const char *s)
{
	if (strcmp(s, "*") == 0)
		return -1;
	if (!*s)
		return -2;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*end)
		return errno || v < 0 || v > 65535 ? -2 : v;
	static const char *const protos[] = {"tcp", "udp"};
	for (size_t i = 0; i < 2; i++) {
		struct servent se, *found = NULL;
		char buf[1024];
		if (getservbyname_r(s, protos[i], &se, buf, sizeof(buf), &found) == 0 && found)
			return ntohs((uint16_t)found->s_port);
	}
	return -2;
}

/* An address with an optional "/bits": 10.0.0.0/8, ::1, 2001:db8::/32. */
static bool prefix_value(char *s, struct tcpt_prefix *ret)
{
	struct tcpt_prefix p = {0};
	char *slash = strchr(s, '/');
	if (slash)
		*slash = '\0';
	bool ok = true;
	if (inet_pton(AF_INET, s, p.addr) == 1)
		p.family = AF_INET;
	else if (inet_pton(AF_INET6, s, p.addr) == 1)
		p.family = AF_INET6;
	else
		ok = false;
	unsigned max = p.family == AF_INET ? 32 : 128;
	p.bits = (uint8_t)max;
	if (ok && slash) {
		char *end;
		errno = 0;
		unsigned long bits = strtoul(slash + 1, &end, 10);
		ok = slash[1] >= '0' && slash[1] <= '9' && !*end && !errno && bits <= max;
		p.bits = (uint8_t)bits;
	}
	if (slash)
		*slash = '/';
	if (ok)
		*ret = p;
	return ok;
}

static bool looks_like_prefix(const char *s)
{
	char copy[MAX_WORD];
	struct tcpt_prefix p;
	snprintf(copy, sizeof(copy), "%s", s);
	return prefix_value(copy, &p);
}

/* --- src and dst -------------------------------------------------------------------------- */

struct host {
	char *addr;    /* NULL or "" or "*": any address */
	char *port;    /* NULL: any port */
};

static const char *split_at(struct host *h, char *colon)
{
	*colon = '\0';
	h->port = colon + 1;
	return NULL;
}

/* Whether S cut at COLON is an address (or nothing, or "*") and a port (or nothing). */
static bool splits_like_ss(const char *s, const char *colon)
{
	char addr[MAX_WORD];
	size_t n = (size_t)(colon - s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	bool addr_ok = !n || strcmp(addr, "*") == 0 || looks_like_prefix(addr);
	return addr_ok && (!colon[1] || port_value(colon + 1) >= -1);
}

/* Split HOST ([FAMILY-less] ss syntax) into its address and port parts, in place. */
static const char *split_host(char *s, struct host *h)
{
	h->addr = s;
	h->port = NULL;
	if (s[0] == '[') {
		char *close = strchr(s, ']');
		if (!close)
			return "an IPv6 address opened with '[' needs its ']'";
		*close = '\0';
		h->addr = s + 1;
		char *rest = close + 1;
		if (*rest == '/') { /* "[v6]/len[:port]": the length moves inside, "v6/len" */
			char *colon = strchr(rest, ':');
			if (colon) {
				*colon = '\0';
				h->port = colon + 1;
			}
			memmove(close, rest, strlen(rest) + 1);
			return NULL;
		}
		if (*rest == ':')
			h->port = rest + 1;
		else if (*rest)
			return "expected ':PORT' after ']'";
		return NULL;
	}
	if (s[0] == '*') {
		h->addr = NULL;
		if (s[1] == ':')
			h->port = s + 2;
		else if (s[1])
			return "expected '*' or '*:PORT'";
		return NULL;
	}
	/* ss splits at the last ':' (after any '/'): "::1:80" is [::1]:80 there, and so here.
	 * Only when that split gives no address and port is the whole an IPv6 address ("::1",
	 * "2001:db8::1"); otherwise it is a host name, with the port after the ':'. */
	char *slash = strchr(s, '/');
	char *colon = strrchr(slash ? slash : s, ':');
	if (colon && splits_like_ss(s, colon))
		return split_at(h, colon);
	if (looks_like_prefix(s))
		return NULL;
	return colon ? split_at(h, colon) : NULL;
}

static long end_leaf(struct parser *p, bool local, long port, const struct tcpt_prefix *addr)
{
	struct tcpt_expr n = {.op = local ? TCPT_EXPR_LOCAL : TCPT_EXPR_REMOTE,
			      .port = (int32_t)port};
	if (addr)
		n.addr = *addr;
	return add_node(p, n);
}

/* Every address of a host name, with PORT: one condition per address, joined by "or". */
static long host_leaves(struct parser *p, const struct token *t, bool local, long port,
			const char *name)
{
	struct tcpt_prefix addrs[FILTER_MAX_HOST_ADDRS];
	int n = p->resolve ? p->resolve(p->ctx, name, addrs, FILTER_MAX_HOST_ADDRS) : -ENOENT;
	if (n == -ENOMEM) {
		p->error = -ENOMEM;
		return -1;
	}
	if (n == -ETIMEDOUT)
		return fail(p, t, "the host name did not resolve in time");
	if (n <= 0)
		return fail(p, t, p->resolve ? "expected an address, a prefix or a host name "
					       "with an address"
					     : "expected an address or a prefix");
	long left = end_leaf(p, local, port, &addrs[0]);
	for (int i = 1; i < n; i++)
		left = binary(p, TCPT_EXPR_OR, left, end_leaf(p, local, port, &addrs[i]));
	return left;
}

static long parse_host(struct parser *p, const struct token *t, bool local)
{
	char buf[MAX_WORD];
	if (!word_text(p, t, buf))
		return fail(p, t, "the address is too long");
	struct host h;
	const char *why = split_host(buf, &h);
	if (why)
		return fail(p, t, why);
	long port = -1;
	if (h.port && *h.port) { /* "addr:" is any port, as in ss */
		port = port_value(h.port);
		if (port < -1)
			return fail(p, t, "expected a port number or service name after ':'");
	}
	if (!h.addr || !*h.addr || strcmp(h.addr, "*") == 0)
		return end_leaf(p, local, port, NULL);
	struct tcpt_prefix pfx;
	if (prefix_value(h.addr, &pfx))
		return end_leaf(p, local, port, &pfx);
	if (strchr(h.addr, '/') || strchr(h.addr, ':'))
		return fail(p, t, "expected an address or a prefix (an IPv6 address with a port "
				  "goes in brackets: [::1]:80)");
	return host_leaves(p, t, local, port, h.addr);
}

/* --- conditions --------------------------------------------------------------------------- */

enum cmp { CMP_NONE, CMP_EQ, CMP_NE, CMP_GT, CMP_LT, CMP_GE, CMP_LE };

static enum cmp cmp_of(const struct parser *p, const struct token *t)
{
	static const struct {
		const char *word;
		enum cmp cmp;
	} words[] = {
		{"=", CMP_EQ}, {"==", CMP_EQ}, {"eq", CMP_EQ},
		{"!=", CMP_NE}, {"ne", CMP_NE}, {"neq", CMP_NE},
		{">", CMP_GT}, {"gt", CMP_GT}, {"<", CMP_LT}, {"lt", CMP_LT},
		{">=", CMP_GE}, {"ge", CMP_GE}, {"geq", CMP_GE},
		{"<=", CMP_LE}, {"le", CMP_LE}, {"leq", CMP_LE},
	};
	if (t->kind != T_WORD)
		return CMP_NONE;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (word_is(p, t, words[i].word))
			return words[i].cmp;
	return CMP_NONE;
}

static long parse_address_cond(struct parser *p, bool local)
{
	enum cmp c = cmp_of(p, peek(p));
	if (c != CMP_NONE)
		next(p);
	if (c != CMP_NONE && c != CMP_EQ && c != CMP_NE)
		return fail(p, &p->toks[p->at - 1], "src and dst compare with = or !=");
	const struct token *t = next(p);
	if (t->kind != T_WORD)
		return fail(p, t, local ? "expected an address after 'src'"
					: "expected an address after 'dst'");
	long leaf = parse_host(p, t, local);
	return c == CMP_NE ? negate(p, leaf) : leaf;
}

static long parse_port_cond(struct parser *p, bool local)
{
	enum cmp c = cmp_of(p, peek(p));
	if (c != CMP_NONE)
		next(p);
	const struct token *t = next(p);
	char buf[MAX_WORD];
	if (t->kind != T_WORD)
		return fail(p, t, "expected a port (:80, 80, http or *)");
	if (!word_text(p, t, buf))
		return fail(p, t, "the port is too long");
	long port = port_value(buf[0] == ':' ? buf + 1 : buf);
	if (port < -1)
		return fail(p, t, "expected a port number or service name");
	if (port == -1 && c != CMP_NONE && c != CMP_EQ && c != CMP_NE)
		return fail(p, t, "a port bound must be a number or a service name, not '*'");
	uint32_t ge = local ? TCPT_EXPR_LOCAL_PORT_GE : TCPT_EXPR_REMOTE_PORT_GE;
	uint32_t le = local ? TCPT_EXPR_LOCAL_PORT_LE : TCPT_EXPR_REMOTE_PORT_LE;
	struct tcpt_expr bound = {.port = (int32_t)port};
	switch (c) {
	case CMP_GE: bound.op = ge; return add_node(p, bound);
	case CMP_LE: bound.op = le; return add_node(p, bound);
	case CMP_GT: bound.op = le; return negate(p, add_node(p, bound));
	case CMP_LT: bound.op = ge; return negate(p, add_node(p, bound));
	case CMP_NE: return negate(p, end_leaf(p, local, port, NULL));
	default: return end_leaf(p, local, port, NULL);
	}
}

static long parse_condition(struct parser *p, const struct token *t)
{
	if (word_is(p, t, "src") || word_is(p, t, "dst"))
		return parse_address_cond(p, word_is(p, t, "src"));
	if (word_is(p, t, "sport") || word_is(p, t, "dport"))
		return parse_port_cond(p, word_is(p, t, "sport"));
	static const char *const ss_only[] = {"dev", "fwmark", "cgroup", "autobound"};
	for (size_t i = 0; i < sizeof(ss_only) / sizeof(ss_only[0]); i++)
		if (word_is(p, t, ss_only[i]))
			return fail(p, t, "ss has this condition; tcptable does not");
	if (word_is(p, t, "state") || word_is(p, t, "exclude") || word_is(p, t, "excl"))
		return fail(p, t, "state and exclude come before the expression");
	return fail(p, t, "expected a condition: src, dst, sport, dport, '(' or 'not'");
}

static long parse_list(struct parser *p);

/* One condition, a parenthesised list, or "not" and one of those. */
static long parse_term(struct parser *p)
{
	const struct token *t = next(p);
	if (++p->depth > MAX_DEPTH)
		return fail(p, t, "the expression is nested too deeply");
	long r;
	switch (t->kind) {
	case T_LPAREN:
		r = parse_list(p);
		if (r >= 0 && peek(p)->kind != T_RPAREN)
			r = fail(p, peek(p), "expected ')' to close the '('");
		if (r >= 0)
			next(p);
		break;
	case T_NOT:
		r = negate(p, parse_term(p));
		break;
	case T_WORD:
		r = parse_condition(p, t);
		break;
	default:
		r = fail(p, t, "expected a condition: src, dst, sport, dport, '(' or 'not'");
		break;
	}
	p->depth--;
	return r;
}

/* Terms joined by and, or, or nothing (and), all of one precedence, from the left. */
static long parse_list(struct parser *p)
{
	long left = parse_term(p);
	while (left >= 0) {
		const struct token *t = peek(p);
		if (t->kind == T_END || t->kind == T_RPAREN)
			break;
		uint32_t op = TCPT_EXPR_AND;
		if (t->kind == T_AND || t->kind == T_OR) {
			op = t->kind == T_OR ? TCPT_EXPR_OR : TCPT_EXPR_AND;
			next(p);
		}
		left = binary(p, op, left, parse_term(p));
	}
	return left;
}

/* --- states ------------------------------------------------------------------------------- */

static int parse_states(struct parser *p, struct filter_expr *f)
{
	while (word_is(p, peek(p), "state") || word_is(p, peek(p), "exclude") ||
	       word_is(p, peek(p), "excl")) {
		bool add = word_is(p, next(p), "state");
		do {
			const struct token *t = next(p);
			char name[MAX_WORD];
			int64_t mask = -1;
			if (t->kind == T_WORD && word_text(p, t, name))
				mask = state_mask_from_name(name);
			if (mask < 0)
				return (int)fail(p, t, "expected a state name (established, listening, "
						       "time-wait, ..., or all, connected, "
						       "synchronized, bucket, big)");
			if (!f->has_states)
				f->states = add ? 0 : TCPT_STATES_ALL;
			f->has_states = true;
			if (add)
				f->states |= (uint32_t)mask;
			else
				f->states &= ~(uint32_t)mask;
		} while (word_is(p, peek(p), ",") && next(p));
	}
	return 0;
}

/* --- the whole ---------------------------------------------------------------------------- */

/* The nodes were built operands first; the library wants the root first. */
static void reverse(struct tcpt_expr *n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (n[i].op == TCPT_EXPR_AND || n[i].op == TCPT_EXPR_OR || n[i].op == TCPT_EXPR_NOT) {
			n[i].a = (uint32_t)(count - 1 - n[i].a);
			if (n[i].op != TCPT_EXPR_NOT)
				n[i].b = (uint32_t)(count - 1 - n[i].b);
		}
	for (size_t i = 0; i < count / 2; i++) {
		struct tcpt_expr t = n[i];
		n[i] = n[count - 1 - i];
		n[count - 1 - i] = t;
	}
}

static int join(int argc, char *const *argv, struct filter_expr_error *err)
{
	size_t len = 0;
	err->text[0] = '\0';
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + (i > 0) + n > MAX_TEXT) {
			err->position = len + 1;
			err->token[0] = '\0';
			err->why = "the filter is too long";
			return -EINVAL;
		}
		if (i > 0)
			err->text[len++] = ' ';
		memcpy(err->text + len, argv[i], n + 1);
		len += n;
	}
	return 0;
}

static int parse(struct parser *p, struct filter_expr *f)
{
	lex(p);
	if (parse_states(p, f) < 0)
		return p->error;
	if (peek(p)->kind != T_END && parse_list(p) >= 0 && peek(p)->kind != T_END)
		fail(p, peek(p), peek(p)->kind == T_RPAREN ? "this ')' closes no '('"
							    : "expected and, or or the end");
	if (p->error == -E2BIG) {
		p->err->position = 1;
		p->err->token[0] = '\0';
		p->err->why = "the expression has too many conditions";
		p->error = -EINVAL;
	}
	return p->error;
}

int filter_expr_parse(int argc, char *const *argv, filter_resolve_fn resolve, void *ctx,
		      struct filter_expr *ret, struct filter_expr_error *err)
{
	int r = join(argc, argv, err);
	if (r < 0)
		return r;
	struct token *toks = malloc((strlen(err->text) + 1) * sizeof(*toks));
	if (!toks)
		return -ENOMEM;
	struct parser p = {.text = err->text, .toks = toks, .resolve = resolve, .ctx = ctx,
			   .err = err};
	struct filter_expr f = {0};
	r = parse(&p, &f);
	free(toks);
	if (r < 0) {
		free(p.nodes);
		return r;
	}
	reverse(p.nodes, p.count);
	f.nodes = p.nodes;
	f.count = p.count;
	*ret = f;
	return 0;
}

void filter_expr_free(struct filter_expr *f)
{
	free(f->nodes);
	*f = (struct filter_expr){0};
}
