"""Measurements for bench/run that need a clock and /proc: each against its baseline, same run.

  measure.py startup RUNS APP BASELINE
      Time to interactive and memory: from process start to "first-step-shown" on standard
      output (the UI says it after painting the first step with the profiles listed; the empty
      baseline app after painting its page), then the resident memory of the whole process tree
      (the app and its WebKit processes) one second later. Runs alternate app and baseline.

  measure.py provisioning RUNS RECORDING CLI AWS_CLI -- PLAN_ARGS…
      `apply --yes` of the full hardened setup against the guide's AWS CLI commands for the
      same resources (what `plan --format aws-cli` prints, run by the real `aws`), each on fresh
      names; and the AWS API calls each made, counted in moto's request recording.

Prints one line per figure and a final JSON line (`RESULT {...}`) for bench/run's table.
"""

import json
import os
import select
import signal
import statistics
import subprocess
import sys
import time

READY = b"first-step-shown"


def tree(pid):
    """The pid and every descendant, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


def one_start(binary):
    env = dict(os.environ, TFSTATE_WIZARD_REPORT_SHOWN="1")
    started = time.perf_counter()
    child = subprocess.Popen([binary], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    seen, shown, marks = b"", None, {}
    try:
        deadline = started + 60
        while shown is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(child.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                if READY in seen and b"\n" in seen[seen.index(READY):]:
                    shown = time.perf_counter() - started
                    line = seen[seen.index(READY):].split(b"\n")[0]
                    marks = json.loads(line[len(READY):] or b"{}")
        if shown is None:
            raise SystemExit(f"{binary} did not report its first paint within 60 s")
        time.sleep(1)
        memory = rss_kib(tree(child.pid))
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait()
    return shown * 1000, memory, marks


def startup(runs, app, baseline):
    times = {"app": [], "baseline": []}
    stages = {}
    memory = {"app": [], "baseline": []}
    one_start(app)  # warm the page cache for both, outside the figures
    one_start(baseline)
    for _ in range(runs):
        for name, binary in (("app", app), ("baseline", baseline)):
            ms, kib, marks = one_start(binary)
            if name == "app":
                for stage, at in marks.items():
                    stages.setdefault(stage, []).append(at)
            times[name].append(ms)
            memory[name].append(kib)
    result = {}
    for name in ("app", "baseline"):
        t, m = statistics.median(times[name]), statistics.median(memory[name])
        print(f"{'time to first step, ' + name:<44} median {t:8.1f} ms   min {min(times[name]):8.1f} ms   (n={runs})")
        print(f"{'memory of the process tree, ' + name:<44} median {m / 1024:8.1f} MiB  max {max(memory[name]) / 1024:8.1f} MiB")
        result[name] = {"ms": t, "kib": m}
    # Where the app's page spends its time (ms since it started loading), medians.
    order = sorted(stages, key=lambda s: statistics.median(stages[s]))
    print("  the app's page, ms after it started loading: " + ", ".join(f"{s} {statistics.median(stages[s]):.0f}" for s in order))
    print("RESULT " + json.dumps({"startup": result}))


def recorded(recording):
    try:
        with open(recording) as lines:
            return sum(1 for _ in lines)
    except FileNotFoundError:
        return 0


def timed(command, recording):
    before = recorded(recording)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000, recorded(recording) - before


def provisioning(runs, recording, cli, aws, plan_args):
    names = lambda kind, i: ["--bucket", f"bench-{kind}-{i}-{os.getpid()}", "--table", f"bench-{kind}-{i}-{os.getpid()}"]
    ours, guide, ours_calls, guide_calls, minimum = [], [], [], [], []
    for i in range(runs):
        plan = subprocess.run(
            [cli, "plan", "--json", *plan_args, *names("ours", i)], check=True, capture_output=True, text=True
        )
        steps = sum(len(a["steps"]) for a in (json.loads(plan.stdout)["bucket"], json.loads(plan.stdout)["table"]) if a)
        # STS once, one read per resource to plan, one call per step.
        minimum.append(1 + 2 + steps)
        ms, calls = timed([cli, "apply", "--yes", *plan_args, *names("ours", i)], recording)
        ours.append(ms)
        ours_calls.append(calls)

        script = subprocess.run(
            [cli, "plan", "--format", "aws-cli", *plan_args, *names("guide", i)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        path = f"/tmp/tfstate-bench-guide-{os.getpid()}.sh"
        with open(path, "w") as file:
            file.write(script)
        env_path = os.path.dirname(aws) + os.pathsep + os.environ["PATH"]
        ms, calls = timed(["env", f"PATH={env_path}", "bash", "-e", path], recording)
        guide.append(ms)
        guide_calls.append(calls)
    result = {
        "ours_ms": statistics.median(ours),
        "guide_ms": statistics.median(guide),
        "ours_calls": statistics.median(ours_calls),
        "guide_calls": statistics.median(guide_calls),
        "minimum_calls": statistics.median(minimum),
    }
    print(f"{'apply --yes (bucket + table, hardened)':<44} median {result['ours_ms']:8.1f} ms   calls {result['ours_calls']:.0f}   (n={runs})")
    print(f"{'the same with the AWS CLI (guide commands)':<44} median {result['guide_ms']:8.1f} ms   calls {result['guide_calls']:.0f}   (n={runs})")
    print(f"{'API calls the plan needs at least':<44} {result['minimum_calls']:.0f}")
    print("RESULT " + json.dumps({"provisioning": result}))


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "startup":
        startup(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif kind == "provisioning":
        runs, recording, cli, aws = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        assert sys.argv[6] == "--"
        provisioning(runs, recording, cli, aws, sys.argv[7:])
    else:
        raise SystemExit(__doc__)
