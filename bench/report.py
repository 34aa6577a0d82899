#!/usr/bin/env python3
"""bench/report.py RESULTS.tsv: medians of bench/run's measurements, as a Markdown
table (or JSON rows when JSON=1 in the environment).

RESULTS.tsv rows: endpoint, connections, tool (pgbench|wrk), req/s, p50 us, p99 us,
non-2xx (pgbench: failed transactions), server RSS KiB, server CPU us per request
(these two empty for pgbench), then CPU us per request of PostgreSQL (all its
processes), of the load generator (pgbench or wrk) and the machine's idle time
(summed over its cores)."""
import json
import os
import statistics
import sys

LABELS = {
    "skill": "GET /v1/skills/{slug}",
    "roadmap": "GET /v1/paths/{slug}/roadmap",
    "resources": "GET /v1/resources?skill=...&limit=20",
    "search": "GET /v1/search?q=...",
    "progress_get": "GET /v1/me/progress?path=...",
    "progress_put": "PUT /v1/me/progress/{step_id}",
}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    groups = {}
    order = []
    with open(sys.argv[1]) as f:
        for line in f:
            fields = (line.rstrip("\n").split("\t") + [""] * 12)[:12]
            ep, conns, tool = fields[:3]
            key = (ep, int(conns), tool)
            if key not in groups:
                groups[key] = []
                order.append(key)
            num = lambda s: float(s) if s != "" else None
            groups[key].append(tuple(num(v) for v in fields[3:]))
    rows = []
    for ep, conns, tool in order:
        runs = groups[(ep, conns, tool)]
        m = [median([r[i] for r in runs]) for i in range(9)]
        base = groups.get((ep, conns, "pgbench"))
        base_rps = median([r[0] for r in base]) if base else None
        base_p99 = median([r[2] for r in base]) if base else None
        rows.append({
            "endpoint": LABELS.get(ep, ep),
            "key": ep,
            "connections": conns,
            "tool": tool,
            "repeats": len(runs),
            "req_per_s": round(m[0], 1),
            "ratio_to_pgbench": round(m[0] / base_rps, 3) if base_rps else None,
            "p50_ms": round(m[1] / 1000, 3),
            "p99_ms": round(m[2] / 1000, 3),
            "p99_ratio_to_pgbench": round(m[2] / base_p99, 2) if base_p99 else None,
            "non_2xx": int(m[3]),
            "server_rss_mib": round(m[4] / 1024, 1) if m[4] is not None else None,
            "server_cpu_us_per_req": round(m[5], 1) if m[5] is not None else None,
            "postgres_cpu_us_per_req": round(m[6], 1) if m[6] is not None else None,
            "client_cpu_us_per_req": round(m[7], 1) if m[7] is not None else None,
            "idle_us_per_req": round(m[8], 1) if m[8] is not None else None,
        })
    if os.environ.get("JSON") == "1":
        json.dump(rows, sys.stdout, indent=2)
        print()
        return
    dash = lambda v, fmt="{}": "-" if v is None else fmt.format(v)
    print("| endpoint | conns | tool | req/s | vs pgbench | p50 ms | p99 ms | p99 vs pgbench | non-2xx | server RSS MiB | server CPU µs/req | PostgreSQL CPU µs/req | client CPU µs/req | idle µs/req |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['endpoint']} | {r['connections']} | {r['tool']} | {r['req_per_s']:.0f} | "
              f"{dash(r['ratio_to_pgbench'], '{:.0%}')} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
              f"{dash(r['p99_ratio_to_pgbench'], '{:.2f}x')} | {r['non_2xx']} | "
              f"{dash(r['server_rss_mib'])} | {dash(r['server_cpu_us_per_req'])} | "
              f"{dash(r['postgres_cpu_us_per_req'])} | {dash(r['client_cpu_us_per_req'])} | "
              f"{dash(r['idle_us_per_req'])} |")


if __name__ == "__main__":
    main()
