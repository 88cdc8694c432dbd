#!/usr/bin/env python3
"""Summarizes a .ci/bench/compare run: medians and ratios per method, the goals of the
performance issue checked against them, the cost of encryption (tool_encrypted over
tool_defaults), results.json, table.md and chart.png (gnuplot). A run of a subset of the methods
(compare's METHODS) is summarized too: a goal or ratio whose methods did not run is reported as
not measured."""
import argparse
import json
import statistics
import subprocess
from collections import defaultdict
from pathlib import Path

LABELS = {
    "pg_dump_default": ("pg_dump -Fc alone, its default gzip-6, into a pipe", "pg_dump\\ngzip-6"),
    "peers_way": ("the peers' way: pg_dump -Fc -f file, then aws s3 cp", "peers' way\\ngzip-6"),
    "tool_gzip6_no_verify": ("the tool, compression 6, verify none", "tool gzip-6\\nno verify"),
    "tool_gzip6": ("the tool, compression 6, verify full", "tool gzip-6\\nverify"),
    "pg_dump_auto": ("pg_dump -Fc alone at auto's choice ({auto})", "pg_dump\\n{auto}"),
    "tool_auto_no_verify": ("the tool, auto ({auto}), verify none", "tool {auto}\\nno verify"),
    "baseline_auto_no_verify": ("BASELINE_JAR's build, auto ({auto}), verify none", "baseline {auto}\\nno verify"),
    "tool_defaults": ("the tool with its defaults (auto = {auto}, verify full)", "tool\\ndefaults"),
    "tool_encrypted": ("the tool with its defaults, encrypted with age (one recipient)",
                       "tool defaults\\n+ age"),
    "pg_restore_file": ("pg_restore from a local file, jobs 1", "pg_restore\\nfile"),
    "tool_restore": ("the tool's restore from S3, streamed, jobs 1", "tool\\nrestore"),
    "tool_defaults_jdk_cds": ("the tool with its defaults, without the image's class-data sharing archive",
                              "defaults\\nno app CDS"),
    "tool_restore_jdk_cds": ("the tool's restore, without the image's class-data sharing archive",
                             "restore\\nno app CDS"),
}
# Start-up, timed apart from the methods above: not in the chart.
START = {
    "version": "`--version`, from the command to its exit",
    "empty_container": "an empty container of the image (`/bin/true`), for reference",
    "first_byte": "first bytes from pg_dump, from the command (the container's start) on",
    "version_jdk_cds": "`--version`, without the image's class-data sharing archive",
    "first_byte_jdk_cds": "first bytes from pg_dump, without the image's class-data sharing archive",
}

# (goal, numerator, denominator, what is compared, limit)
GOALS = [
    ("1. defaults vs the peers' way: time", "tool_defaults", "peers_way", "seconds", 0.40),
    ("1. defaults vs the peers' way: archive size", "tool_defaults", "peers_way", "bytes", 1.10),
    ("2. overhead, gzip-6, verify none", "tool_gzip6_no_verify", "pg_dump_default", "seconds", 1.05),
    ("2. overhead, gzip-6, verify full", "tool_gzip6", "pg_dump_default", "seconds", 1.10),
    ("2. overhead, auto, verify none", "tool_auto_no_verify", "pg_dump_auto", "seconds", 1.05),
    ("2. overhead, auto, verify full (defaults)", "tool_defaults", "pg_dump_auto", "seconds", 1.10),
    ("4. restore, jobs 1, vs pg_restore from a file", "tool_restore", "pg_restore_file", "seconds", 1.10),
]
# (goal, method, limit in seconds)
START_GOALS = [("5. --version", "version", 0.3), ("5. first byte from pg_dump", "first_byte", 1.0)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("times")
    parser.add_argument("out")
    for option in ("mode", "server", "auto", "rows", "database-bytes", "machine", "commit"):
        parser.add_argument("--" + option, required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    runs = defaultdict(lambda: {"seconds": [], "bytes": []})
    order = []
    for line in Path(args.times).read_text().splitlines():
        _, method, seconds, size = line.split("\t")
        if method not in order:
            order.append(method)
        runs[method]["seconds"].append(float(seconds))
        runs[method]["bytes"].append(int(size))
    medians = {
        m: {"seconds": statistics.median(r["seconds"]), "bytes": statistics.median(r["bytes"])}
        for m, r in runs.items()
    }
    goals = []
    for name, numerator, denominator, what, limit in GOALS:
        absent = [m for m in (numerator, denominator) if m not in medians]
        if absent:
            goals.append({"goal": name, "limit": limit, "holds": None, "not_measured": absent,
                          "unit": "x"})
        elif medians[denominator][what]:
            ratio = medians[numerator][what] / medians[denominator][what]
            goals.append({"goal": name, "ratio": round(ratio, 3), "limit": limit,
                          "holds": ratio <= limit})
    # In the image, podman's own start and removal of a container (an empty one's run) come off:
    # the goals count from the container's start.
    podman = medians.get("empty_container", {}).get("seconds", 0)
    for name, method, limit in START_GOALS:
        if method not in medians:
            # first_byte comes with tool_defaults: without it, there is none.
            absent = ["tool_defaults"] if method == "first_byte" else [method]
            goals.append({"goal": name, "limit": limit, "holds": None, "not_measured": absent,
                          "unit": "s"})
            continue
        seconds = round(medians[method]["seconds"] - podman, 3)
        name += " (less an empty container's run)" if podman else ""
        goals.append({"goal": name, "seconds": seconds, "limit": limit, "holds": seconds <= limit})
    # What encryption costs: the same backup with and without age, so their ratio is age's share
    # (time: encrypting and its extra bytes; size: age's header and 16 bytes per 64 KiB chunk).
    encryption = None
    if "tool_encrypted" in medians and "tool_defaults" in medians:
        plain, encrypted = medians["tool_defaults"], medians["tool_encrypted"]
        encryption = {
            "numerator": "tool_encrypted", "denominator": "tool_defaults",
            "median_seconds": {"encrypted": encrypted["seconds"], "plain": plain["seconds"]},
            "archive_bytes": {"encrypted": encrypted["bytes"], "plain": plain["bytes"]},
            "time_ratio": round(encrypted["seconds"] / plain["seconds"], 3),
            "size_ratio": round(encrypted["bytes"] / plain["bytes"], 5) if plain["bytes"] else None,
            "extra_bytes": encrypted["bytes"] - plain["bytes"],
        }
    label = lambda m, i: LABELS[m][i].format(auto=args.auto) if m in LABELS else START[m]
    result = {
        "mode": args.mode, "server": args.server, "auto_compression": args.auto,
        "rows": int(args.rows), "database_bytes": int(args.database_bytes),
        "machine": args.machine, "commit": args.commit,
        "methods": [{"method": m, "label": label(m, 0), "seconds": runs[m]["seconds"],
                     "median_seconds": medians[m]["seconds"],
                     "archive_bytes": medians[m]["bytes"] or None} for m in order],
        "goals": goals,
        "encryption": encryption,
    }
    (out / "results.json").write_text(json.dumps(result, indent=2) + "\n")

    peers = medians.get("peers_way", {}).get("seconds")
    lines = [
        f"{args.mode}: {args.server}, {int(args.database_bytes) / 1e9:.2f} GB database "
        f"({int(args.rows):,} rows), {len(runs[order[0]]['seconds'])} rounds, medians; "
        f"{args.machine}; commit {args.commit}",
        "",
        "| method | wall (median) | rounds | archive |" + (" x the peers' way |" if peers else ""),
        "|---|---|---|---|" + ("---|" if peers else ""),
    ]
    methods = [m for m in order if m in LABELS]
    for m in methods:
        seconds = medians[m]["seconds"]
        size = medians[m]["bytes"]
        vs_peers = f"{seconds / peers:.2f}" if peers and "restore" not in m else ""
        lines.append(
            f"| {label(m, 0)} | {seconds:.1f} s | "
            + " / ".join(f"{s:.1f}" for s in runs[m]["seconds"])
            + f" | {f'{size / 1e6:.0f} MB' if size else ''} |" + (f" {vs_peers} |" if peers else ""))
    if encryption:
        e = encryption
        size_part = (f"{e['size_ratio']:.4f} x the archive size "
                     f"({e['archive_bytes']['encrypted'] / 1e6:.1f} MB vs "
                     f"{e['archive_bytes']['plain'] / 1e6:.1f} MB, {e['extra_bytes']:+,} bytes, "
                     f"{e['extra_bytes'] / e['archive_bytes']['plain']:+.3%})"
                     if e["size_ratio"] else "no archive size")
        lines += ["", f"Encryption (age, one recipient) over the defaults: {e['time_ratio']:.2f} x the "
                  f"wall time ({e['median_seconds']['encrypted']:.1f} s vs "
                  f"{e['median_seconds']['plain']:.1f} s, medians), {size_part}."]
    lines += ["", "| start | median | runs |", "|---|---|---|"]
    lines += [f"| {START[m]} | {medians[m]['seconds']:.2f} s | {len(runs[m]['seconds'])} |"
              for m in order if m in START]
    lines += ["", "| goal | measured | limit | holds |", "|---|---|---|---|"]
    lines += [goal_line(g) for g in goals]
    table = "\n".join(lines) + "\n"
    (out / "table.md").write_text(table)
    print(table)
    chart(out, methods, medians, label, args)


def goal_line(goal):
    """A goal's row in table.md: its ratio or seconds against the limit, or what it lacked."""
    if "not_measured" in goal:
        return (f"| {goal['goal']} | not measured (no {', '.join(goal['not_measured'])} in this run) "
                f"| {goal['limit']:.2f} {goal['unit']} | |")
    holds = "yes" if goal["holds"] else "no"
    if "ratio" in goal:
        return f"| {goal['goal']} | {goal['ratio']:.2f} x | {goal['limit']:.2f} x | {holds} |"
    return f"| {goal['goal']} | {goal['seconds']:.2f} s | {goal['limit']:.2f} s | {holds} |"


def chart(out, order, medians, label, args):
    data = out / "chart.dat"
    with data.open("w") as f:
        for m in order:
            size = medians[m]["bytes"]
            f.write(f"\"{label(m, 1)}\" {medians[m]['seconds']:.2f} "
                    f"{size / 1e6 if size else 'NaN'}\n")
    # The title names the peers' way only when it ran.
    peers = " and the peers' way" if "peers_way" in order else ""
    script = f"""
set terminal pngcairo size 1200,860 font "sans,10" noenhanced
set output "{out / 'chart.png'}"
set multiplot layout 2,1 title "neon-backup-action vs pg_dump alone{peers}: {args.mode}, {args.server}, {int(args.database_bytes) / 1e9:.2f} GB database\\n{args.machine}; commit {args.commit}; medians"
set style fill solid 0.8 border -1
set boxwidth 0.6
set offsets 0, 0, graph 0.12, 0
set tmargin 4
set bmargin 4
set grid ytics
set xtics font "sans,9"
unset key
set ylabel "wall time (s)"
set yrange [0:*]
plot "{data}" using 0:2:xtic(1) with boxes lc rgb "#3b7dd8", "" using 0:2:(sprintf("%.1f", $2)) with labels offset 0,0.7
set ylabel "archive (MB)"
plot "{data}" using 0:3:xtic(1) with boxes lc rgb "#e08a2c", "" using 0:3:(sprintf("%.0f", $3)) with labels offset 0,0.7
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    data.unlink()


if __name__ == "__main__":
    main()
