"""Turning driver reports into the markdown table, the target verdicts and the SVG plot."""

import math

SERVERS = ["hushlink", "floor", "bare", "snappass", "hushlink-pg", "hushlink-pg-x2"]
COLORS = {"hushlink": "#2563eb", "floor": "#16a34a", "bare": "#6b7280", "snappass": "#dc2626",
          "hushlink-pg": "#9333ea", "hushlink-pg-x2": "#f59e0b"}
LABELS = {"hushlink": "Hushlink relay (SQLite)", "floor": "durable floor", "bare": "bare axum (no work)",
          "snappass": "Snappass + Redis", "hushlink-pg": "relay on PostgreSQL",
          "hushlink-pg-x2": "2 relays, 1 PostgreSQL"}
# What the relay must reach against the floor (issue 19).
FLOOR_SHARE = 0.8
FLOOR_P99 = 2.0
WORKLOADS = ["status", "create", "cycle", "gone", "passphrase"]
TITLES = {
    "status": "(a) status GET",
    "create": "(b) create",
    "cycle": "(c) create → reveal cycle",
    "gone": "(d) reveal of a consumed key",
    "passphrase": "(e) create with passphrase",
}


def index(runs):
    return {(r["server"], r["workload"], r["concurrency"]): r for r in runs}


def ratio(a, b):
    if not a or not b:
        return None
    return a / b


def fmt_ratio(value):
    if value is None:
        return "n/a"
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def fmt_num(value):
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def p99_of(run):
    return run["latency"]["p99_ms"] if run and run.get("latency") else None


def fmt_ms(value):
    return f"{value:.2f}" if value is not None else "n/a"


def table(runs, concurrencies):
    """Markdown: per workload and concurrency, ops/s and latency of each server, ratios."""
    by = index(runs)
    lines = [
        ("| workload | clients | Hushlink ops/s | p50 ms | p99 ms | floor ops/s | floor p99 ms "
         "| bare ops/s | Snappass ops/s | Snappass p99 ms | Hushlink/floor | Hushlink/bare "
         "| Hushlink/Snappass |"),
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for workload in WORKLOADS:
        for c in concurrencies:
            h = by.get(("hushlink", workload, c))
            f = by.get(("floor", workload, c))
            b = by.get(("bare", workload, c))
            s = by.get(("snappass", workload, c))
            if not h:
                continue
            hv, fv, bv, sv = (x["ops_per_sec"] if x else None for x in (h, f, b, s))
            lines.append(
                f"| {TITLES[workload]} | {c} | {fmt_num(hv)} | {h['latency']['p50_ms']:.2f} "
                f"| {h['latency']['p99_ms']:.2f} | {fmt_num(fv)} | {fmt_ms(p99_of(f))} | {fmt_num(bv)} "
                f"| {fmt_num(sv)} | {fmt_ms(p99_of(s))} | {fmt_ratio(ratio(hv, fv))} "
                f"| {fmt_ratio(ratio(hv, bv))} | {fmt_ratio(ratio(hv, sv))} |"
            )
    return "\n".join(lines)


def postgres_table(runs, concurrencies):
    """Markdown: create -> reveal cycles on SQLite, on PostgreSQL, and two relays on one
    PostgreSQL, beside the floor (issue 18). Empty when PostgreSQL was not run."""
    by = index(runs)
    if not any(k[0] == "hushlink-pg" for k in by):
        return ""
    lines = [("| clients | SQLite relay cycles/s | p99 ms | PostgreSQL relay cycles/s | p99 ms "
              "| 2 relays on 1 PostgreSQL cycles/s | p99 ms | floor cycles/s | PostgreSQL/SQLite "
              "| 2 relays/1 relay (PostgreSQL) | PostgreSQL/floor |"),
             "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for c in concurrencies:
        h, pg, two, f = (by.get((name, "cycle", c))
                         for name in ("hushlink", "hushlink-pg", "hushlink-pg-x2", "floor"))
        if not pg:
            continue
        hv, pv, tv, fv = (x["ops_per_sec"] if x else None for x in (h, pg, two, f))
        lines.append(f"| {c} | {fmt_num(hv)} | {fmt_ms(p99_of(h))} | {fmt_num(pv)} | {fmt_ms(p99_of(pg))} "
                     f"| {fmt_num(tv)} | {fmt_ms(p99_of(two))} | {fmt_num(fv)} "
                     f"| {fmt_ratio(ratio(pv, hv))} | {fmt_ratio(ratio(tv, pv))} "
                     f"| {fmt_ratio(ratio(pv, fv))} |")
    return "\n".join(lines)


def server_table(runs, concurrencies):
    """Markdown: every server on its own, requests/s and latency of whole operations."""
    by = index(runs)
    lines = ["| workload | clients | server | ops/s | requests/s | p50 ms | p99 ms | max ms |",
             "|---|--:|---|--:|--:|--:|--:|--:|"]
    for workload in WORKLOADS:
        for c in concurrencies:
            for server in SERVERS:
                r = by.get((server, workload, c))
                if not r or not r.get("latency"):
                    continue
                lat = r["latency"]
                lines.append(
                    f"| {TITLES[workload]} | {c} | {server} | {fmt_num(r['ops_per_sec'])} "
                    f"| {fmt_num(r.get('requests_per_sec'))} | {lat['p50_ms']:.2f} "
                    f"| {lat['p99_ms']:.2f} | {lat['max_ms']:.2f} |")
    return "\n".join(lines)


def reveal_table(runs, concurrencies):
    """Markdown: create and reveal latencies inside the cycle workload."""
    by = index(runs)
    lines = ["| server | clients | create p50 ms | create p99 ms | reveal p50 ms | reveal p99 ms |",
             "|---|--:|--:|--:|--:|--:|"]
    for server in SERVERS:
        for c in concurrencies:
            r = by.get((server, "cycle", c))
            if r and r.get("create") and r.get("reveal"):
                lines.append(f"| {server} | {c} | {r['create']['p50_ms']:.2f} | {r['create']['p99_ms']:.2f} "
                             f"| {r['reveal']['p50_ms']:.2f} | {r['reveal']['p99_ms']:.2f} |")
    return "\n".join(lines)


def verdicts(runs, scale, idle_rss_kib):
    """The issue's targets, each with the measured value and whether it is met."""
    by = index(runs)
    out = []

    def ops(server, workload, c):
        r = by.get((server, workload, c))
        return r["ops_per_sec"] if r else None

    for c in (16, 64):
        h, f = ops("hushlink", "cycle", c), ops("floor", "cycle", c)
        if h and f:
            out.append({"target": f"cycles at {c} clients ≥ {FLOOR_SHARE:.0%} of the durable floor",
                        "value": f"{100 * h / f:.1f} %", "met": h >= FLOOR_SHARE * f})
    h, f = p99_of(by.get(("hushlink", "cycle", 64))), p99_of(by.get(("floor", "cycle", 64)))
    if h and f:
        out.append({"target": f"cycle p99 at 64 clients ≤ {FLOOR_P99:g}× the floor's",
                    "value": f"{h:.2f} vs {f:.2f} ms ({h / f:.2f}×)", "met": h <= FLOOR_P99 * f})
    for c in (16, 64):
        h, b, s = ops("hushlink", "cycle", c), ops("bare", "cycle", c), ops("snappass", "cycle", c)
        if h and b:
            out.append({"target": f"cycles at {c} clients ≥ 50 % of bare", "value": f"{100 * h / b:.1f} %",
                        "met": h >= 0.5 * b})
        if h and s:
            out.append({"target": f"cycles at {c} clients > 20× Snappass", "value": fmt_ratio(h / s),
                        "met": h > 20 * s})
    h, s = ops("hushlink", "cycle", 1), ops("snappass", "cycle", 1)
    if h and s:
        out.append({"target": "cycles at 1 client ≥ 5× Snappass", "value": fmt_ratio(h / s), "met": h >= 5 * s})
    r = by.get(("hushlink", "cycle", 64))
    if r and r.get("reveal"):
        p99 = r["reveal"]["p99_ms"]
        out.append({"target": "reveal p99 at 64 clients < 10 ms", "value": f"{p99:.2f} ms", "met": p99 < 10})
    if scale:
        for key, row in scale.get("versus_empty", {}).items():
            change = f"{row['loss_pct']:.1f} % loss" if row["loss_pct"] >= 0 else f"{-row['loss_pct']:.1f} % faster"
            out.append({"target": f"{key} at 1,000,000 secrets: loss ≤ 20 %",
                        "value": f"{row['at_scale']:,.0f} vs {row['empty']:,.0f} ops/s empty ({change}"
                                 + (f", medians of {len(row['rounds']['empty'])} alternating rounds)"
                                    if "rounds" in row else ")"),
                        "met": row["loss_pct"] <= 20})
        sweep = scale.get("sweep")
        if sweep and sweep.get("purge_seconds") is not None:
            out.append({"target": "sweeper purges 100,000 expired secrets under load without stalling",
                        "value": f"{sweep['purge_seconds']:.1f} s; slowest second {sweep['min_ops_during']} "
                                 f"cycles (before: {sweep['mean_ops_before']:.0f}/s); max latency "
                                 f"{sweep['max_ms_during']:.0f} ms",
                        # A stall: any second of the purge below half the rate before it.
                        "met": sweep["min_ops_during"] >= 0.5 * sweep["mean_ops_before"]})
    if idle_rss_kib:
        mb = idle_rss_kib * 1024 / 1e6
        out.append({"target": "headless relay idle RSS < 20 MB", "value": f"{mb:.1f} MB", "met": mb < 20})
    return out


def verdict_table(rows):
    lines = ["| target | measured | met |", "|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['target']} | {row['value']} | {'yes' if row['met'] else '**no**'} |")
    return "\n".join(lines)


def svg(runs, concurrencies, subtitle):
    """Small multiples, one panel per workload: ops/s (log scale) against clients."""
    by = index(runs)
    pw, ph, ml, mt, gap = 250, 200, 60, 70, 30
    width = ml + len(WORKLOADS) * (pw + gap) + 10
    height = mt + ph + 90
    values = [r["ops_per_sec"] for r in runs if r["ops_per_sec"] > 0]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 1
    hi = 10 ** math.ceil(math.log10(max(values))) if values else 10
    span = math.log10(hi) - math.log10(lo) or 1

    def y(v):
        return mt + ph - (math.log10(v) - math.log10(lo)) / span * ph

    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'),
        f'<rect width="{width}" height="{height}" fill="white"/>',
        (f'<text x="{ml}" y="22" font-size="16" font-weight="bold">Throughput against concurrency '
         f'(operations/s, log scale)</text>'),
        f'<text x="{ml}" y="42" fill="#444">{subtitle}</text>',
    ]
    for i, workload in enumerate(WORKLOADS):
        x0 = ml + i * (pw + gap)
        parts.append(f'<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>')
        parts.append(f'<text x="{x0 + pw / 2}" y="{mt - 8}" text-anchor="middle" font-weight="bold">'
                     f'{TITLES[workload]}</text>')
        exp = math.log10(lo)
        while exp <= math.log10(hi) + 1e-9:
            yy = y(10 ** exp)
            parts.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>')
            if i == 0:
                parts.append(f'<text x="{x0 - 6}" y="{yy + 4:.1f}" text-anchor="end">{10 ** exp:,.0f}</text>')
            exp += 1
        xs = {c: x0 + 25 + k * (pw - 50) / max(1, len(concurrencies) - 1) for k, c in enumerate(concurrencies)}
        for c, xx in xs.items():
            parts.append(f'<text x="{xx:.1f}" y="{mt + ph + 16}" text-anchor="middle">{c}</text>')
        parts.append(f'<text x="{x0 + pw / 2}" y="{mt + ph + 32}" text-anchor="middle" fill="#444">clients</text>')
        for server in SERVERS:
            points = [(xs[c], by[(server, workload, c)]["ops_per_sec"]) for c in concurrencies
                      if (server, workload, c) in by and by[(server, workload, c)]["ops_per_sec"] > 0]
            if not points:
                continue
            path = " ".join(f"{px:.1f},{y(v):.1f}" for px, v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[server]}" stroke-width="2"/>')
            for px, v in points:
                parts.append(f'<circle cx="{px:.1f}" cy="{y(v):.1f}" r="3.5" fill="{COLORS[server]}">'
                             f'<title>{server}: {v:,.0f} ops/s</title></circle>')
        # The relay's share of the durable floor, under each of its points (issue 19).
        for c, xx in xs.items():
            h, f = by.get(("hushlink", workload, c)), by.get(("floor", workload, c))
            if h and f and h["ops_per_sec"] > 0 and f["ops_per_sec"] > 0:
                share = h["ops_per_sec"] / f["ops_per_sec"]
                parts.append(f'<text x="{xx:.1f}" y="{y(h["ops_per_sec"]) + 16:.1f}" '
                             f'text-anchor="middle" font-size="10" fill="{COLORS["hushlink"]}">'
                             f'{share:.0%} of floor</text>')
    lx = ml
    for server in [s for s in SERVERS if any(r["server"] == s for r in runs)]:
        parts.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{height - 20}" y2="{height - 20}" '
                     f'stroke="{COLORS[server]}" stroke-width="3"/>')
        parts.append(f'<text x="{lx + 30}" y="{height - 16}">{LABELS[server]}</text>')
        lx += 215
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
