#!/usr/bin/env python3
"""Masks the wall-clock figures of one output of the behaviour corpus (scripts/behaviour-corpus.sh)
and prints the rest unchanged, so that two runs of the same build digest alike.

    corpus_normalize.py FILE [WORKDIR]
    miri info | corpus_normalize.py --config     # the configuration the digests depend on

- Markdown tables and CSV files: every column whose header names a time or a rate
  ("seconds", "× fast", "fit s", "rows/s") is masked.
- JSON and JSON lines: every value under a key that names a time or a rate is masked.
- MIRI model and checkpoint files (magic MIRIMODL / MIRICKPT): each network's two f64 seconds
  (training, ODE; every member's) and the CRC-32 trailer are masked; every other byte is kept.
- Bar charts of seconds (quality.svg, sweep.svg) are left out.
- What describes the machine, wherever it is printed: the lines of `miri info` and `--version`
  (CPU, OpenBLAS, core) keep their names only, the core count and default thread count of
  "threads: N of M cores", a report's "- machine: …" line and every "OpenBLAS 0.3.21" version
  are masked (the configuration that decides the numbers is compared on its own: `--config`).
  scripts/check-corpus-machine.sh checks this by running the corpus's machine-describing
  commands under another CPU name and core count.
- The clone's and the shared tables' folders (CORPUS_ROOT, CORPUS_DATA) become ROOT and DATA.
- Text: "1.23 s", "elapsed 0:06" and "Total time: …" masked; WORKDIR replaced by "WORK".
"""
import json
import os
import re
import struct
import sys

TIME_KEY = re.compile(r"(second|seconds|per_second|rows_per|elapsed|time|_s$)", re.I)
TIME_HEADER = re.compile(r"(seconds|^× |fit s|rows/s|elapsed|time)", re.I)


def mask_json(value):
    if isinstance(value, dict):
        return {k: ("T" if TIME_KEY.search(k) else mask_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    return value


MACHINE_LINE = re.compile(r"(?m)^(CPU|OpenBLAS|kernel core|why|OPENBLAS_CORETYPE|vector kernels|build): .*$")


def mask_text(text, work):
    if work:
        text = text.replace(work, "WORK")
    for name in ("CORPUS_DATA", "CORPUS_ROOT"):  # where the clone and the shared tables are
        for path in {os.environ.get(name, ""), os.path.realpath(os.environ.get(name, "") or ".")} - {"", "."}:
            if os.environ.get(name):
                text = text.replace(path, name[7:])
    text = MACHINE_LINE.sub(r"\1: M", text)
    text = re.sub(r"(?m)^threads: [0-9]+ of [0-9]+ cores", "threads: N of M cores", text)
    text = re.sub(r"(?m)^(\s*- machine: ).*$", r"\1M", text)
    text = re.sub(r"OpenBLAS [0-9]+(\.[0-9]+)*", "OpenBLAS V", text)
    text = re.sub(r"\b[0-9]+(\.[0-9]+)? s\b", "T s", text)
    text = re.sub(r"(elapsed|remaining) [0-9:]+", r"\1 T", text)
    text = re.sub(r"(?m)^Total time: .*$", "Total time: T", text)
    # Cells of "RMSE / W1 / seconds" (the sweep's per-table tables).
    text = re.sub(r"(\| [0-9.]+ / [0-9.]+ / )[0-9.]+( \|)", r"\1T\2", text)
    out, timed = [], set()
    for line in text.split("\n"):
        if line.startswith("|"):
            cells = line.split("|")
            if any(TIME_HEADER.search(c.strip()) for c in cells):
                timed = {i for i, c in enumerate(cells) if TIME_HEADER.search(c.strip())}
            elif not set(line) <= set("|-: "):
                cells = ["T" if i in timed else c for i, c in enumerate(cells)]
            line = "|".join(cells)
        else:
            timed = set()
        out.append(line)
    return "\n".join(out)


def mask_csv(text, work):
    lines = text.split("\n")
    if not lines:
        return text
    header = lines[0].split(",")
    timed = {i for i, h in enumerate(header) if TIME_KEY.search(h)}
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        out.append(",".join("T" if i in timed else c for i, c in enumerate(cells)))
    return mask_text("\n".join(out), work)


def mask_model(data):
    data = bytearray(data)
    d, k, length = struct.unpack_from("<IIQ", data, 12)[0], struct.unpack_from("<I", data, 16)[0], len(data)
    config_len = struct.unpack_from("<I", data, 20)[0]
    config = json.loads(data[32:32 + config_len])
    widths = [3 * d + 1] + list(config["hiddenWidths"]) + [d]
    params = sum(a * b + b for a, b in zip(widths, widths[1:]))
    pattern = struct.pack("<I", len(widths)) + b"".join(struct.pack("<I", w) for w in widths) + struct.pack("<Q", params)
    at, found = 32 + config_len, 0
    while True:   # the K networks, then (version 3) every other member's K
        at = data.find(pattern, at)
        if at < 0:
            break
        seconds = at + len(pattern) + 4 * params + 8
        data[seconds:seconds + 16] = b"\0" * 16
        at, found = seconds + 16, found + 1
    data[length - 4:] = b"\0" * 4
    return bytes(data)


def config():
    """The lines of `miri info` that decide floating-point results: OpenBLAS's core and the
    package's vector path."""
    wanted = [l.strip() for l in sys.stdin if l.startswith(("kernel core:", "vector kernels:"))]
    print("# " + "; ".join(wanted))


def main():
    if sys.argv[1:] == ["--config"]:
        config()
        return
    path, work = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    raw = open(path, "rb").read()
    if raw[:8] in (b"MIRIMODL", b"MIRICKPT"):
        sys.stdout.buffer.write(mask_model(raw))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        sys.stdout.buffer.write(raw)
        return
    if path.endswith(".svg") and re.search(r"(quality|sweep)\.svg$", path):
        return  # bar charts that include seconds: their numbers are in the results files
    if text.startswith("status ") or text.lstrip().startswith("{"):
        try:
            sys.stdout.write(json.dumps(mask_json(json.loads(text)), sort_keys=True, indent=1))
            return
        except ValueError:
            pass
    if path.endswith(".json") or path.endswith(".jsonl"):
        try:
            if path.endswith(".jsonl"):
                text = "\n".join(json.dumps(mask_json(json.loads(l)), sort_keys=True) for l in text.splitlines() if l.strip())
            else:
                text = json.dumps(mask_json(json.loads(text)), sort_keys=True, indent=1)
        except ValueError:
            pass
        sys.stdout.write(mask_text(text, work))
    elif path.endswith(".csv") and "seconds" in text.split("\n", 1)[0]:
        sys.stdout.write(mask_csv(text, work))
    else:
        sys.stdout.write(mask_text(text, work))


main()
