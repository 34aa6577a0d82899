/**
 * @file plan.c
 * @brief The study-plan scheduler and the calendar arithmetic it needs
 *        (rules in plan.h). No I/O, no database: unit-tested on its own.
 */
#include "pathways/plan.h"

#include <stdlib.h>
#include <string.h>

/* ---- ordering ---------------------------------------------------------- */

/** Roadmap order: stage position, step position, id. */
static int
roadmap_cmp(const struct pw_plan_step *a, const struct pw_plan_step *b)
{
    if (a->stage_position != b->stage_position)
        return a->stage_position < b->stage_position ? -1 : 1;
    if (a->position != b->position)
        return a->position < b->position ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* qsort has no context argument: the steps being sorted, per thread. */
static _Thread_local const struct pw_plan_step *sort_steps;

static int
cmp_index_roadmap(const void *x, const void *y)
{
    return roadmap_cmp(&sort_steps[*(const size_t *) x], &sort_steps[*(const size_t *) y]);
}

struct id_index {
    int64_t id;
    size_t index;
};

static int
cmp_id(const void *x, const void *y)
{
    int64_t a = ((const struct id_index *) x)->id, b = ((const struct id_index *) y)->id;

    return (a > b) - (a < b);
}

/** Index of step @a id, or -1 when it is not in the input. */
static long
find_id(const struct id_index *ids, size_t n, int64_t id)
{
    struct id_index key = { id, 0 };
    const struct id_index *hit = bsearch(&key, ids, n, sizeof *ids, cmp_id);

    return hit != NULL ? (long) hit->index : -1;
}

/* A binary min-heap of ranks (positions in roadmap order). */
struct heap {
    size_t *v;
    size_t n;
};

static void
heap_push(struct heap *h, size_t x)
{
    size_t i = h->n++;

    while (i > 0 && h->v[(i - 1) / 2] > x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
}

static size_t
heap_pop(struct heap *h)
{
    size_t top = h->v[0], x = h->v[--h->n], i = 0;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (h->v[c] >= x)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n > 0)
        h->v[i] = x;
    return top;
}

/** Working memory of one scheduling run, one allocation each. */
struct graph {
    size_t *by_rank;      /* step indices in roadmap order */
    size_t *rank;         /* rank of each step */
    struct id_index *ids; /* sorted by id */
    size_t *indeg;        /* unplanned prerequisites of each step */
    size_t *edge_start;   /* CSR: dependants of step i are edges[edge_start[i]..[i+1]) */
    size_t *edges;
    size_t *heap;
    unsigned char *planned;
};

static void
graph_free(struct graph *g)
{
    free(g->by_rank);
    free(g->rank);
    free(g->ids);
    free(g->indeg);
    free(g->edge_start);
    free(g->edges);
    free(g->heap);
    free(g->planned);
}

/** Count usable edges (prerequisite in the input, not the step itself). */
static size_t
count_edges(const struct pw_plan_step *steps, size_t n, const struct id_index *ids, size_t *outdeg)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < steps[i].nprereqs; k++) {
            long j = find_id(ids, n, steps[i].prereqs[k]);

            if (j >= 0 && (size_t) j != i) {
                outdeg[j]++;
                m++;
            }
        }
    }
    return m;
}

static int
graph_build(struct graph *g, const struct pw_plan_step *steps, size_t n)
{
    size_t m, *fill;

    memset(g, 0, sizeof *g);
    g->by_rank = malloc(n * sizeof *g->by_rank);
    g->rank = malloc(n * sizeof *g->rank);
    g->ids = malloc(n * sizeof *g->ids);
    g->indeg = calloc(n, sizeof *g->indeg);
    g->edge_start = calloc(n + 1, sizeof *g->edge_start);
    g->heap = malloc(n * sizeof *g->heap);
    g->planned = calloc(n, 1);
    if (!g->by_rank || !g->rank || !g->ids || !g->indeg || !g->edge_start || !g->heap ||
        !g->planned)
        return -1;
    for (size_t i = 0; i < n; i++) {
        g->by_rank[i] = i;
        g->ids[i] = (struct id_index){ steps[i].id, i };
    }
    sort_steps = steps;
    qsort(g->by_rank, n, sizeof *g->by_rank, cmp_index_roadmap);
    qsort(g->ids, n, sizeof *g->ids, cmp_id);
    for (size_t r = 0; r < n; r++)
        g->rank[g->by_rank[r]] = r;
    /* edge_start[j + 1] counts j's dependants, then becomes a prefix sum. */
    m = count_edges(steps, n, g->ids, g->edge_start + 1);
    for (size_t i = 0; i < n; i++)
        g->edge_start[i + 1] += g->edge_start[i];
    g->edges = malloc((m > 0 ? m : 1) * sizeof *g->edges);
    fill = calloc(n, sizeof *fill);
    if (g->edges == NULL || fill == NULL) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < steps[i].nprereqs; k++) {
            long j = find_id(g->ids, n, steps[i].prereqs[k]);

            if (j >= 0 && (size_t) j != i) {
                g->edges[g->edge_start[j] + fill[j]++] = i;
                g->indeg[i]++;
            }
        }
    }
    free(fill);
    return 0;
}

/** Kahn's algorithm, smallest rank first; @return 1 when a cycle had to be broken. */
static int
topological_order(struct graph *g, size_t n, size_t *order)
{
    struct heap h = { g->heap, 0 };
    size_t next_unplanned = 0; /* rank scan for breaking cycles */
    int had_cycle = 0;

    for (size_t r = 0; r < n; r++)
        if (g->indeg[g->by_rank[r]] == 0)
            heap_push(&h, r);
    for (size_t done = 0; done < n; done++) {
        size_t i;

        if (h.n == 0) {
            /* Only steps on a cycle are left: take the first in roadmap order. */
            while (g->planned[g->by_rank[next_unplanned]])
                next_unplanned++;
            i = g->by_rank[next_unplanned];
            g->indeg[i] = 0;
            had_cycle = 1;
        } else {
            i = g->by_rank[heap_pop(&h)];
        }
        g->planned[i] = 1;
        order[done] = i;
        for (size_t e = g->edge_start[i]; e < g->edge_start[i + 1]; e++) {
            size_t d = g->edges[e];

            /* A dependant already forced out of a cycle keeps indeg 0 and is planned. */
            if (!g->planned[d] && g->indeg[d] > 0 && --g->indeg[d] == 0)
                heap_push(&h, g->rank[d]);
        }
    }
    return had_cycle;
}

/* ---- timing ------------------------------------------------------------ */

static int
ceil_div(int64_t a, int64_t b)
{
    return (int) ((a + b - 1) / b);
}

int
pw_plan_schedule(struct pw_plan_step *steps,
                 size_t n,
                 int hours_per_week,
                 size_t *order,
                 struct pw_plan_result *res)
{
    struct graph g;
    int64_t at = 0;

    memset(res, 0, sizeof *res);
    if (hours_per_week < 1)
        return -1;
    if (n == 0)
        return 0;
    if (graph_build(&g, steps, n) != 0) {
        graph_free(&g);
        return -1;
    }
    res->had_cycle = topological_order(&g, n, order);
    graph_free(&g);
    for (size_t k = 0; k < n; k++) {
        struct pw_plan_step *s = &steps[order[k]];
        int64_t h = s->hours > 0 ? s->hours : 0;

        s->start_hour = at;
        s->end_hour = at + h;
        if (h > 0) {
            s->start_week = (int) (at / hours_per_week) + 1;
            s->end_week = ceil_div(at + h, hours_per_week);
        } else {
            s->start_week = s->end_week = at == 0 ? 1 : ceil_div(at, hours_per_week);
        }
        at += h;
    }
    res->total_hours = at;
    res->weeks = ceil_div(at, hours_per_week);
    return 0;
}

/* ---- dates (Howard Hinnant's days_from_civil / civil_from_days) -------- */

static int32_t
days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned) (y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int32_t) doe - 719468;
}

static void
civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned) (z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int) yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
pw_date_parse(const char *s, int32_t *days)
{
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = 0;
    unsigned m = 0, d = 0;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
    }
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (unsigned) ((s[5] - '0') * 10 + (s[6] - '0'));
    d = (unsigned) ((s[8] - '0') * 10 + (s[9] - '0'));
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && is_leap(y)))
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void
pw_date_format(int32_t days, char out[11])
{
    int y;
    unsigned m, d;

    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) { /* outside RFC 3339: callers keep plans within 9999 */
        memcpy(out, y < 0 ? "0000-01-01" : "9999-12-31", 11);
        return;
    }
    /* Digit by digit: m and d are in range, which snprintf's checker cannot know. */
    out[0] = (char) ('0' + y / 1000);
    out[1] = (char) ('0' + y / 100 % 10);
    out[2] = (char) ('0' + y / 10 % 10);
    out[3] = (char) ('0' + y % 10);
    out[4] = '-';
    out[5] = (char) ('0' + m / 10);
    out[6] = (char) ('0' + m % 10);
    out[7] = '-';
    out[8] = (char) ('0' + d / 10);
    out[9] = (char) ('0' + d % 10);
    out[10] = '\0';
}

int32_t
pw_date_today(time_t now)
{
    int64_t t = (int64_t) now;

    return (int32_t) (t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}
