"""Load benchmark: POST /api/v1/assessments against a bare FastAPI endpoint, in the same run.

All endpoints live in one app served by one uvicorn (same workers, same event loop, same
request bodies). "bare" parses the body and answers {"ok": true}: the gap to it is all our
work. "bare-engine" calls the engine from a minimal endpoint: the gap to it is the web layer
(request model, answer validation, error handling). wrk (Debian's package) drives 64
connections at each in turn, alternating.

    make bench                 # or: .venv/bin/python bench/web_load.py [--seconds 8 --rounds 3]

Targets (issue 4): assessments >= 0.5x the bare endpoint's requests/s, and p99 < 50 ms.
The bodies are complete interviews: each evaluation case's simulated patient, answered
through the real interview, so the server assesses a realistic mix rather than one cached case.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request, Response

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 64
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
ENDPOINTS = {
    "bare": "/bench/bare",
    "bare-engine": "/bench/bare-engine",
    "assessments": "/api/v1/assessments",
}

bare = APIRouter()


@bare.post("/bench/bare")
async def bare_endpoint(body: dict[str, Any]) -> dict[str, bool]:
    """The baseline: FastAPI parses the same JSON body and answers at once."""
    return {"ok": True}


@bare.post("/bench/bare-engine")
async def bare_engine_endpoint(request: Request, body: dict[str, Any]) -> Response:
    """The other reading of "bare": the engine called from a minimal endpoint, no web layer.

    No request model, no answer validation, no error handling: only what assessing needs.
    """
    from backspasm.engine.assessment import assess

    result = assess(request.app.state.kb, body["answers"])
    return Response(result.model_dump_json(), media_type="application/json")


def bench_app() -> FastAPI:
    """The real app plus the bare endpoint (uvicorn --factory imports this)."""
    from backspasm.web.app import create_app

    return create_app(routers=[bare])


def interview_bodies() -> list[str]:
    """One request body per evaluation case: the answers its simulated patient gives."""
    from backspasm.engine.interview import next_questions
    from backspasm.engine.knowledge_base import load_knowledge
    from backspasm.evaluation import load_cases

    kb = load_knowledge()
    bodies = []
    for case in load_cases(kb, [ROOT / "cases"]):
        answers: dict[str, Any] = {}
        for _ in range(200):
            step = next_questions(kb, answers)
            if step.done:
                break
            name = step.questions[0].id
            finding = kb.findings[name]
            if name in case.facts:
                answers[name] = case.facts[name]
            else:
                answers[name] = False if finding.type == "bool" else finding.default
        bodies.append(json.dumps({"answers": answers}))
    return bodies


def engine_ms(bodies: list[str]) -> float:
    """CPU time of validate + assess + JSON per body, in this process: the part that is ours."""
    from backspasm.engine.answers import validate_answers
    from backspasm.engine.assessment import assess
    from backspasm.engine.knowledge_base import load_knowledge

    kb = load_knowledge()
    answers = [json.loads(body)["answers"] for body in bodies]
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for raw in answers:
            assess(kb, validate_answers(kb, raw)).model_dump_json()
        best = min(best, (time.process_time() - start) / len(answers) * 1000)
    return best


def lua_script(bodies: list[str]) -> str:
    quoted = ",\n".join(json.dumps(body) for body in bodies)
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local bodies = {{\n{quoted}\n}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n % #bodies + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[n])\n"
        "end\n"
    )


def run_wrk(url: str, script: Path, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    percentiles = {p: _ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": percentiles["50"],
        "p99_ms": percentiles["99"],
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the rounds; non-2xx responses are summed."""
    out = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    out["non_2xx"] = sum(run["non_2xx"] for run in runs)
    return out


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def machine() -> dict[str, str]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "load_average_at_end": load,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per endpoint")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "web_load:bench_app",
            "--factory",
            "--app-dir",
            str(ROOT / "bench"),
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/questions", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        bodies = interview_bodies()
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "post.lua"
            script.write_text(lua_script(bodies))
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in ENDPOINTS}
            for path in ENDPOINTS.values():
                run_wrk(base + path, script, 2)  # warm up
            for _ in range(args.rounds):  # alternate, so a busy moment hits both alike
                for name, path in ENDPOINTS.items():
                    rounds[name].append(run_wrk(base + path, script, args.seconds))
            results = {name: _median(runs) for name, runs in rounds.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    ratio = results["assessments"]["rps"] / results["bare"]["rps"]
    layer = results["assessments"]["rps"] / results["bare-engine"]["rps"]
    engine = engine_ms(bodies)
    report = {
        "machine": machine(),
        "connections": CONNECTIONS,
        "workers": args.workers,
        "seconds": args.seconds,
        "rounds": rounds,
        "bodies": len(bodies),
        "results": results,
        "ratio": round(ratio, 3),
        "ratio_to_bare_engine": round(layer, 3),
        "engine_ms_per_assessment": round(engine, 3),
    }
    out = ROOT / "artifacts" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "web_load.json").write_text(json.dumps(report, indent=2))
    print(
        f"machine: {report['machine']['nproc']} cores, {report['machine']['cpu']}; "
        f"uvicorn {args.workers} workers; wrk 2 threads, {CONNECTIONS} connections, "
        f"{args.rounds} alternating runs of {args.seconds} s each (medians); "
        f"{len(bodies)} different request bodies; load average at the end "
        f"{report['machine']['load_average_at_end']}"
    )
    print("| endpoint | requests/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in results.items():
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {row['non_2xx']:.0f} |"
        )
    print(f"assessments / bare-engine {layer:.2f}: the share the web layer leaves")
    print(
        f"engine alone (validate + assess + JSON, in-process, best of 5): {engine:.2f} ms "
        "per assessment"
    )
    ok = (
        ratio >= TARGET_RATIO
        and results["assessments"]["p99_ms"] < TARGET_P99_MS
        and results["assessments"]["non_2xx"] == 0
    )
    print(
        f"ratio {ratio:.2f} (target >= {TARGET_RATIO}), assessments p99 "
        f"{results['assessments']['p99_ms']:.1f} ms (target < {TARGET_P99_MS:g}): "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
