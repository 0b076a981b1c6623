"""Engine benchmarks: knowledge load, assess, and a full simulated interview per case.

Each figure is compared with a baseline measured in the same run (parsing the YAML alone;
one `assess` call), so the ratios hold across machines. Run: `make bench`.

Per case, the fastest of seven runs counts (as `timeit` advises: slower runs measure other
processes on a shared machine, not this code); the table gives the median over the cases.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from backspasm.engine.answers import AnswerValue
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import FILES, default_directory, load_knowledge, read_knowledge
from backspasm.engine.screens import next_screen
from backspasm.evaluation import Case, load_cases, run_case, simulated_answer

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f} at start"
    )


def cold_start_ms() -> list[float]:
    code = (
        "import time; t=time.perf_counter(); from backspasm.engine.knowledge_base import "
        "load_knowledge; load_knowledge(); print((time.perf_counter()-t)*1000)"
    )
    runs = []
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout))
    return runs


def main() -> None:
    folder = default_directory()
    kb = load_knowledge()
    cases = load_cases(kb, [ROOT / "cases"])

    def parse_yaml_only() -> None:
        for name in FILES:
            yaml.load((folder / name).read_bytes(), Loader=yaml.CSafeLoader)

    rows = []
    yaml_ms = statistics.median(timed(parse_yaml_only, 30))
    load_ms = statistics.median(timed(lambda: read_knowledge(folder), 30))
    rows.append(("knowledge load (parse, validate, cross-check)", load_ms, yaml_ms, "YAML only"))
    cold = statistics.median(cold_start_ms())
    rows.append(("knowledge load in a fresh process, imports included", cold, load_ms, "warm"))

    finals = [run_case(kb, case).assessment.answers for case in cases]
    assess_each = [min(timed(lambda a=a: assess(kb, a), 7)) for a in finals]
    assess_ms = statistics.median(assess_each)
    rows.append(("assess, per case", assess_ms, None, ""))

    def fresh_interview(case: Case) -> None:
        # An interview session: it keeps the cause scores it worked out between steps.
        run_case(kb, case)

    def stateless_interview(case: Case) -> None:
        # As the web app runs it: every screen works everything out again from all answers.
        answers: dict[str, AnswerValue] = {}
        shown = 0
        while (screen := next_screen(kb, answers, shown).screen) is not None:
            for question in screen.questions:
                answers[question.id] = simulated_answer(kb, case.facts, question.id)
            shown += 1
        assess(kb, answers)

    interview = [min(timed(lambda c=c: fresh_interview(c), 7)) for c in cases]
    interview_ms = statistics.median(interview)
    rows.append(
        ("simulated interview + assess, per case (median)", interview_ms, assess_ms, "one assess")
    )
    rows.append(
        (
            "simulated interview, per case (p90)",
            statistics.quantiles(interview, n=10)[-1],
            assess_ms,
            "one assess",
        )
    )
    stateless = [min(timed(lambda c=c: stateless_interview(c), 7)) for c in cases]
    rows.append(
        (
            "the same, stateless `next_screen` per screen (as the web app)",
            statistics.median(stateless),
            interview_ms,
            "session",
        )
    )

    print(f"machine: {machine()}")
    print(f"{len(cases)} cases\n")
    print("| measure | median ms | baseline ms | ratio | baseline |")
    print("|---|---|---|---|---|")
    for name, value, base, label in rows:
        ratio = f"{value / base:.1f}x" if base else ""
        base_text = f"{base:.3f}" if base else ""
        print(f"| {name} | {value:.3f} | {base_text} | {ratio} | {label} |")


if __name__ == "__main__":
    main()
