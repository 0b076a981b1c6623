"""Start-up and parse timings for the terminal tools, on this machine.

- `backspasm --help` and `backspasm check --help` (target: at most 0.3 s);
- `backspasm check` up to its first question ("Tell me what's happening"), as separate
  processes; then up to the first engine question after pressing Enter
  at once (the worst case: the engine loads while the person types).
- The first parse in a fresh process (imports and the NLP pipeline build included), then the
  median time per sentence over the annotated sentences once warm.

Medians of several runs. Run: `python bench/startup.py [--runs N] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = shutil.which("backspasm") or str(Path(sys.executable).with_name("backspasm"))

FIRST_PARSE = """
import time, datetime
start = time.perf_counter()
from backspasm.engine.knowledge_base import load_knowledge
from backspasm.text.reading import Reader, parse_text
reader = Reader(load_knowledge())
parse_text("my back went lifting a box yesterday, no numbness", datetime.date(2026, 11, 21), reader)
print(time.perf_counter() - start)
"""

WARM_PARSE = """
import time, datetime, statistics, json
from pathlib import Path
from backspasm.engine.knowledge_base import load_knowledge
from backspasm.text.scoring import load_text_cases
from backspasm.text.reading import Reader, parse_text
kb = load_knowledge()
reader = Reader(kb)
cases = load_text_cases(kb, [Path("cases/text")])
parse_text("no fever since Monday", datetime.date(2026, 11, 21), reader)  # builds the pipeline
times = []
for case in cases:
    start = time.perf_counter()
    parse_text(case.text, case.today, reader)
    times.append(time.perf_counter() - start)
print(json.dumps({"sentences": len(times), "median": statistics.median(times),
                  "max": max(times)}))
"""


def timed_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - start


def check_prompts() -> tuple[float, float, float]:
    """(to the first prompt, to the first engine question, from Enter to that question)."""
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1"}
    start = time.perf_counter()
    child = pexpect.spawn(PROGRAM, ["check"], encoding="utf-8", timeout=60, env=env, cwd=ROOT)
    child.expect("Tell me what's happening")
    first = time.perf_counter() - start
    child.expect("> ")
    enter = time.perf_counter()
    child.sendline("")
    child.expect(r"\[y/n")  # the first screen of questions
    question = time.perf_counter()
    child.expect("> ")  # Ctrl-C at the prompt, not while the screen is still being drawn
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    return first, question - start, question - enter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    runs = options.runs
    help_times = [timed_process([PROGRAM, "--help"]) for _ in range(runs)]
    check_help_times = [timed_process([PROGRAM, "check", "--help"]) for _ in range(runs)]
    prompts = [check_prompts() for _ in range(runs)]
    first_parse = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST_PARSE],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(max(3, runs // 2))
    ]
    warm = json.loads(
        subprocess.run(
            [sys.executable, "-c", WARM_PARSE], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    result = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "load_average_1min": os.getloadavg()[0],
        },
        "runs": runs,
        "help_s": statistics.median(help_times),
        "check_help_s": statistics.median(check_help_times),
        "check_first_prompt_s": statistics.median(p[0] for p in prompts),
        "check_first_engine_question_s": statistics.median(p[1] for p in prompts),
        "check_enter_to_engine_question_s": statistics.median(p[2] for p in prompts),
        "first_parse_with_pipeline_build_s": statistics.median(first_parse),
        "warm_parse_median_s": warm["median"],
        "warm_parse_max_s": warm["max"],
        "warm_parse_sentences": warm["sentences"],
    }
    if options.json:
        print(json.dumps(result, indent=2))
        return
    machine = result["machine"]
    print(
        f"machine: {machine['platform']}, Python {machine['python']}, "
        f"{machine['cpu_count']} CPUs, load average {machine['load_average_1min']:.1f}; "
        f"medians of {runs} runs"
    )
    for key, value in result.items():
        if key.endswith("_s"):
            print(f"  {key[:-2]:<36} {value * 1000:8.1f} ms")
    print(f"  (warm parse over {warm['sentences']} annotated sentences)")


if __name__ == "__main__":
    main()
