"""The arithmetic of bench/scale.sh: medians, ratios, row and path counts, the Markdown table.
Standard library only; bench/scale.sh calls it, it measures nothing itself.

    python bench/scale/report.py table RUN_DIR --triples N --lines L --bytes B --runs R \
        --load-runs R --machine MACHINE.md --output results-N.md
        Reads RUN_DIR/measurements.tsv (one line per timed process: step, tool, run, wall
        seconds, peak RSS KiB, exit status, output file) and the outputs it names; prints the
        table on stdout and writes it with the machine block to --output. Exits 10 when the
        tools disagree on a query's row count or a step failed (after printing everything).
    python bench/scale/report.py rdflib-rss RDFLIB_OUTPUT.json
        Prints "BASE_KIB PEAK_KIB" of an rdflib load (for the next size's memory estimate).
"""

import argparse
import csv
import json
import os
import re
import statistics
import sys

PEERS = ("pyoxigraph", "rdflib", "networkx")


def read_measurements(run_dir):
    rows = []
    with open(os.path.join(run_dir, "measurements.tsv"), encoding="utf-8") as f:
        for line in f:
            step, tool, run, seconds, rss, rc, out = line.rstrip("\n").split("\t")
            rows.append({"step": step, "tool": tool, "run": run, "s": seconds, "rss": rss,
                         "rc": rc, "out": out})
    return rows


def fmt_s(seconds):
    if seconds is None:
        return "–"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    if seconds < 100:
        return f"{seconds:.3g} s"
    return f"{seconds:.0f} s"


def fmt_kib(kib):
    if kib is None:
        return "–"
    if kib >= 1024 * 1024:
        return f"{kib / 1048576:.2f} GiB"
    return f"{kib / 1024:.0f} MiB"


def fmt_int(n):
    return f"{n:,.0f}".replace(",", " ")


def csv_rows(path):
    """Rows of a SPARQL results CSV (header excluded), or None when the file is missing."""
    if not os.path.exists(path):
        return None
    with open(path, newline="", encoding="utf-8") as f:
        return max(0, sum(1 for _ in csv.reader(f)) - 1)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Table:
    def __init__(self, args):
        self.args = args
        self.m = read_measurements(args.run_dir)
        self.problems = []  # failures and row-count mismatches: exit 10
        self.warnings = []  # path-count differences and the like: reported only

    def select(self, step, tool):
        return [r for r in self.m if r["step"] == step and r["tool"] == tool]

    def ok(self, step, tool):
        """The successful runs, noting failures; None when the tool was skipped or never ran."""
        runs = self.select(step, tool)
        if not runs or runs[0]["rc"] == "skip":
            return None
        failed = [r for r in runs if r["rc"] != "0"]
        for r in failed:
            self.problems.append(f"{step} / {tool} run {r['run']} exited {r['rc']} "
                                 f"(see {r['out']}.err)")
        return [r for r in runs if r["rc"] == "0"]

    def failed_cell(self, step, tool):
        runs = self.select(step, tool)
        if runs and runs[0]["rc"] == "skip":
            return f"skipped (would need ~{int(runs[0]['rss']) / 1048576:.1f} GiB)"
        if runs:
            return f"**failed** (exit {runs[0]['rc'] if runs[0]['rc'] != '0' else runs[-1]['rc']})"
        return "–"

    def wall(self, step, tool):
        runs = self.ok(step, tool)
        return statistics.median(float(r["s"]) for r in runs) if runs else None

    def rss(self, step, tool):
        runs = self.ok(step, tool)
        return statistics.median(int(r["rss"]) for r in runs) if runs else None

    def json_runs(self, step, tool):
        return [j for j in (load_json(r["out"]) for r in self.ok(step, tool) or []) if j]

    @staticmethod
    def ratios(stroma, peers):
        """'peer time / stroma time' for every peer with a figure: >1 means Stroma is faster."""
        if not stroma:
            return ""
        return "; ".join(f"{name} {value / stroma:.3g}×" for name, value in peers if value)

    def build(self):
        a = self.args
        lines = [f"### {fmt_int(a.triples)} triples requested: {fmt_int(a.lines)} N-Triples lines, "
                 f"{a.bytes / 1048576:.0f} MiB", "",
                 "| step | stroma | pyoxigraph | rdflib | networkx | ratio |",
                 "|---|---|---|---|---|---|"]

        def row(step, cells, ratio=""):
            lines.append(f"| {step} | " + " | ".join(cells) + f" | {ratio} |")

        # 1. load
        rd_json = self.json_runs("load", "rdflib")
        load_s = {t: self.wall("load", t) for t in ("stroma", "pyoxigraph")}
        load_s["rdflib"] = statistics.median(j["load_s"] for j in rd_json) if rd_json else None
        load_rss = {t: self.rss("load", t) for t in ("stroma", "pyoxigraph")}
        load_rss["rdflib"] = statistics.median(j["load_rss_kib"] for j in rd_json) if rd_json else None

        def cell(tool, value, fmt):
            return fmt(value) if value is not None else self.failed_cell("load", tool)

        tools = ("stroma", "pyoxigraph", "rdflib")
        row("load: wall time", [cell(t, load_s[t], fmt_s) for t in tools] + ["–"],
            self.ratios(load_s["stroma"], [(t, load_s[t]) for t in tools[1:]]))
        row("load: triples/s", [cell(t, load_s[t] and a.lines / load_s[t], fmt_int) for t in tools]
            + ["–"], "")
        row("load: peak RSS", [cell(t, load_rss[t], fmt_kib) for t in tools] + ["–"],
            self.ratios(load_rss["stroma"], [(t, load_rss[t]) for t in tools[1:]]) +
            (" (RSS)" if load_rss["stroma"] else ""))

        # 2. queries
        rd_queries = rd_json[0]["queries"] if rd_json else {}
        for query in a.queries:
            name = os.path.splitext(os.path.basename(query))[0]
            step = f"query:{name}"
            counts, cells, times = {}, [], {}
            for tool in ("stroma", "pyoxigraph"):
                times[tool] = self.wall(step, tool)
                runs = self.select(step, tool)
                if times[tool] is None:
                    cells.append(self.failed_cell(step, tool) if runs else self.failed_cell("load", tool))
                    continue
                counts[tool] = csv_rows(runs[-1]["out"])
                cells.append(f"{fmt_s(times[tool])} ({counts[tool]} rows)")
            found = next((v for k, v in rd_queries.items() if os.path.basename(k) == os.path.basename(query)), None)
            if found and found.get("timeout_s"):
                times["rdflib"] = None
                cells.append(f"> {found['timeout_s']} s (stopped)¹")
            elif rd_json and not rd_queries:
                times["rdflib"] = None
                cells.append("not run at this size¹")
            elif found:
                times["rdflib"] = found["median_ms"] / 1e3
                counts["rdflib"] = found["rows"]
                cells.append(f"{fmt_s(times['rdflib'])} ({found['rows']} rows)¹")
            else:
                times["rdflib"] = None
                cells.append(self.failed_cell("load", "rdflib"))
            cells.append("–")
            ratio = self.ratios(times["stroma"], [("pyoxigraph", times["pyoxigraph"]),
                                                  ("rdflib¹", times["rdflib"])])
            if len({n for n in counts.values() if n is not None}) > 1:
                self.problems.append(f"ROW COUNTS DIFFER on {name}: " +
                                     ", ".join(f"{t} {n}" for t, n in counts.items()))
                ratio += " **ROWS DIFFER**"
            row(f"query {name}", cells, ratio)

        # 3. trace
        first = self.ok("trace-first", "stroma")
        warm = self.ok("trace-warm", "stroma")
        s_first = float(first[0]["s"]) if first else None
        s_warm = self.wall("trace-warm", "stroma")
        s_paths = None
        for r in (warm or first or []):
            with open(r["out"], encoding="utf-8") as f:
                s_paths = sum(1 for line in f if re.match(r"path \d+ ", line))
        nx_runs = self.json_runs("trace", "networkx")
        nx_load = statistics.median(j["load_s"] for j in nx_runs) if nx_runs else None
        nx_cold = statistics.median(j["load_s"] + j["trace_ms"][0] / 1e3 for j in nx_runs) if nx_runs else None
        nx_warm = statistics.median(t / 1e3 for j in nx_runs for t in j["trace_ms"]) if nx_runs else None
        nx_paths = nx_runs[0]["paths"] if nx_runs else None
        nx_edges = nx_runs[0]["edges"] if nx_runs else None
        nx_fail = self.failed_cell("trace", "networkx")
        row("trace: first run (stroma) / load + first trace (networkx)",
            [f"{fmt_s(s_first)} ({s_paths} paths)" if s_first is not None else self.failed_cell("trace-first", "stroma"),
             "–", "–",
             f"{fmt_s(nx_cold)} (load {fmt_s(nx_load)}, {fmt_int(nx_edges)} edges)" if nx_runs else nx_fail],
            self.ratios(s_first, [("networkx", nx_cold)]))
        row("trace: warm (stroma CLI) / in-process trace (networkx)²",
            [f"{fmt_s(s_warm)} ({s_paths} paths)" if s_warm is not None else self.failed_cell("trace-warm", "stroma"),
             "–", "–", f"{fmt_s(nx_warm)} ({nx_paths} paths)" if nx_runs else nx_fail],
            self.ratios(s_warm, [("networkx²", nx_warm)]))
        # The path search alone, on a graph already projected (`trace --verbose` reports it):
        # like for like with networkx's shortest_simple_paths call.
        searched = []
        for r in warm or []:
            found = re.search(r"paths searched in ([0-9.]+) ms", open(r["out"] + ".err", encoding="utf-8").read())
            if found:
                searched.append(float(found[1]) / 1e3)
        s_search = statistics.median(searched) if searched else None
        if s_search is not None:
            row("trace: path search on the projected graph, in-process⁴",
                [f"{fmt_s(s_search)} ({s_paths} paths)", "–", "–",
                 f"{fmt_s(nx_warm)} ({nx_paths} paths)" if nx_runs else nx_fail],
                self.ratios(s_search, [("networkx", nx_warm)]))
        if s_paths is not None and nx_paths is not None and s_paths != nx_paths:
            self.warnings.append(f"trace path counts differ: stroma {s_paths}, networkx {nx_paths}")

        # 4. render
        s_render = self.wall("render", "stroma")
        s_diagram = ""
        for r in self.ok("render", "stroma") or []:
            text = open(r["out"], encoding="utf-8").read() + open(r["out"] + ".err", encoding="utf-8").read()
            found = re.search(r"\((\d+) nodes, (\d+) edges\)", text)
            if found:
                s_diagram = f" ({found[1]} nodes, {found[2]} edges)"
        nx_render_runs = self.json_runs("render", "networkx")
        nx_render = self.wall("render", "networkx")
        nx_diagram = (f" ({nx_render_runs[0]['diagram_nodes']} nodes, {nx_render_runs[0]['diagram_edges']} "
                      f"edges, DOT {nx_render_runs[0]['dot_writer']})" if nx_render_runs else "")
        row("render trace → SVG (whole process)³",
            [fmt_s(s_render) + s_diagram if s_render is not None else self.failed_cell("render", "stroma"),
             "–", "–",
             fmt_s(nx_render) + nx_diagram if nx_render is not None else self.failed_cell("render", "networkx")],
            self.ratios(s_render, [("networkx", nx_render)]))

        lines += ["",
                  f"Medians of {a.runs} run{'s' if a.runs > 1 else ''}"
                  + ("" if a.load_runs == a.runs else
                     f"; the loads and the networkx processes (which read the whole file): "
                     + (f"{a.load_runs} runs" if a.load_runs > 1 else "one run, as the size is ≥ 5 000 000"))
                  + ". Triples/s counts the file's lines. Ratio = peer / stroma (time, or RSS where "
                  "marked): > 1 means Stroma is faster (smaller).",
                  "Load: stroma and pyoxigraph are whole-process wall times into a fresh persistent store "
                  "(`stroma load`; `Store.bulk_load` + `flush`); rdflib parses into memory, timed in-process "
                  "from the script's start (imports included, interpreter start not), peak RSS at the end of the parse.",
                  "Queries: stroma and pyoxigraph are a fresh process each (open the store, run, CSV to a file); "
                  "¹ rdflib runs in the process that loaded the graph: in-process time, load excluded, "
                  "after one untimed warm-up query; a query is stopped after RDFLIB_TIMEOUT seconds, "
                  "and none is run at 5M triples or more.",
                  "² Not like for like: stroma's figure is a whole CLI process (start, open the store, "
                  "project, trace, print with evidence); networkx's is the `shortest_simple_paths` call alone "
                  "on a graph already in memory. The first row compares stroma's first run after the load "
                  "with networkx's file load plus its first trace.",
                  "⁴ Like for like: stroma's path search as `trace --verbose` reports it (the projection "
                  "already in memory: read back from the cache beside the store), against the same "
                  "networkx call.",
                  "³ networkx: a Python process that loads the relations and labels, traces, writes the "
                  "paths' subgraph as DOT and runs `dot -Tsvg`; its edges carry the relation only, "
                  "stroma's also the study numbers from the statement nodes."]
        for w in self.warnings:
            lines.append(f"**Warning:** {w}.")
        for p in self.problems:
            lines.append(f"**PROBLEM:** {p}.")
        return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("table")
    t.add_argument("run_dir")
    t.add_argument("--triples", type=int, required=True)
    t.add_argument("--lines", type=int, required=True)
    t.add_argument("--bytes", type=int, required=True)
    t.add_argument("--runs", type=int, required=True)
    t.add_argument("--load-runs", type=int, required=True)
    t.add_argument("--machine", required=True)
    t.add_argument("--output", required=True)
    t.add_argument("--query", dest="queries", action="append", default=[])
    r = sub.add_parser("rdflib-rss")
    r.add_argument("json")
    args = parser.parse_args()

    if args.command == "rdflib-rss":
        j = load_json(args.json)
        if j:
            print(j["base_rss_kib"], j["load_rss_kib"])
        return 0
    table = Table(args)
    text = table.build()
    print(text)
    with open(args.machine, encoding="utf-8") as f:
        machine = f.read()
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(f"# bench/scale.sh: {fmt_int(args.triples)} triples\n\n{text}\n{machine}")
    for p in table.problems:
        print(f"bench/scale.sh: PROBLEM at {args.triples} triples: {p}", file=sys.stderr)
    for w in table.warnings:
        print(f"bench/scale.sh: warning at {args.triples} triples: {w}", file=sys.stderr)
    return 10 if table.problems else 0


if __name__ == "__main__":
    sys.exit(main())
