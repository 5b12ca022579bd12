#!/usr/bin/env python3
"""Renders the JSON of `./visionplugin bench --json` (last stdout line) as the README's markdown tables.
Usage: ./visionplugin bench --json | tail -1 > bench.json && python3 scripts/bench_table.py bench.json"""
import json
import sys


def number(value, unit):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}" if unit else text


def main(path):
    report = json.load(open(path))
    machine = report["machine"]
    print(f"Measured {report['date'][:16].replace('T', ' ')} UTC on {machine['cpu']}, {machine['cores']} cores, "
          f"{report['renderer']}, {machine['os']}, {machine['dotnet']}; load average {machine['load_average_start']} at the start "
          f"(other jobs were running). Ratio = our speed / the peer's (> 1: ours faster).\n")
    for name, section in report["sections"].items():
        figures = section["figures"]
        peers = sorted({p for f in figures for p in f["peers"]})
        print(f"| {section['title']} | ours | " + " | ".join(f"{p} (ratio)" for p in peers) + " | note |")
        print("|---|---:|" + "---:|" * len(peers) + "---|")
        for f in figures:
            cells = []
            for p in peers:
                peer = f["peers"].get(p)
                if peer is None:
                    cells.append("")
                elif peer.get("value") is None:
                    cells.append("n/a")
                else:
                    cells.append(f"{number(peer['value'], '')} (×{peer['speed_ratio']:.2g})")
            print(f"| {f['name']} | {number(f['ours'], f['unit'])} | " + "".join(c + " | " for c in cells) + f"{f.get('note') or ''} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
