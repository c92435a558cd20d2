"""The recorder's cost: the latency `mitrail record` adds to a token request, and its memory under load.

Both paths are measured in the same run against the same fake IMDS (Tests/recorder/fake_imds.py): the
client (Tests/recorder/imds_load.py, a new connection per request as curl does) asks the fake directly and
through the recorder in turns, so that both see the same machine. Added latency is the difference of the
percentiles. Memory is the recorder's peak resident set (VmHWM) after many clients at once.
"""
import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAKE = os.path.join(ROOT, "Tests", "recorder", "fake_imds.py")
LOAD = os.path.join(ROOT, "Tests", "recorder", "imds_load.py")
TOKEN = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"


def start(command, marker, stream):
    """Starts a process and waits (10 s at most) for the line starting with `marker` on `stream`."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 10
    while time.time() < deadline:
        line = getattr(process, stream).readline()
        if line.startswith(marker):
            return process, line
    process.kill()
    sys.exit(f"{command[0]} did not start")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load(url, clients, requests, interleave=None):
    command = [sys.executable, LOAD, url + TOKEN, "--clients", str(clients), "--requests", str(requests)]
    if interleave:
        command += ["--interleave", interleave + TOKEN]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in output.splitlines()]


def measure(mitrail, work, latency_requests, clients, requests):
    fake, line = start([sys.executable, FAKE], "listening ", "stdout")
    upstream = "http://127.0.0.1:" + line.split()[1]
    recorder, line = start([mitrail, "record", "--listen", "127.0.0.1:0", "--upstream", upstream,
                            "--out", os.path.join(work, "recorder-bench.jsonl")], "mitrail record: http://", "stderr")
    recorded = line.split()[2]
    try:
        idle_rss = peak_rss_mib(recorder.pid)
        load(recorded, 1, 20, interleave=upstream)  # warm-up: first connections, page faults, the fake's threads
        paired = load(recorded, 1, latency_requests, interleave=upstream)
        through = [r["ms"] for r in paired if r["url"].startswith(recorded) and r["status"] == 200]
        direct = [r["ms"] for r in paired if r["url"].startswith(upstream) and r["status"] == 200]
        busy = load(recorded, clients, requests)
        rss = peak_rss_mib(recorder.pid)
    finally:
        recorder.send_signal(signal.SIGTERM)
        recorder.wait(timeout=60)
        fake.kill()
        fake.wait()
    with open(os.path.join(work, "recorder-bench.jsonl")) as capture:
        lines = sum(1 for _ in capture)
    return dict(
        pairs=latency_requests, direct_p50=percentile(direct, 0.5), direct_p99=percentile(direct, 0.99),
        through_p50=percentile(through, 0.5), through_p99=percentile(through, 0.99),
        added_p50=percentile(through, 0.5) - percentile(direct, 0.5), added_p99=percentile(through, 0.99) - percentile(direct, 0.99),
        clients=clients, requests=requests, busy_ok=sum(1 for r in busy if r["status"] == 200), busy_p50=percentile([r["ms"] for r in busy], 0.5),
        busy_p99=percentile([r["ms"] for r in busy], 0.99), idle_rss=idle_rss, rss=rss, recorded=lines,
        expected=20 + latency_requests + clients * requests)


def lines(result):
    r = result
    return [
        "",
        "## Recorder",
        "",
        f"- Latency `mitrail record` adds to a token request (loopback, a new connection per request, {r['pairs']:,} requests "
        f"each way in turns against the same fake IMDS): **p50 +{r['added_p50']:.3f} ms**, p99 +{r['added_p99']:.3f} ms "
        f"(direct p50 {r['direct_p50']:.3f} / p99 {r['direct_p99']:.3f} ms, through the recorder p50 {r['through_p50']:.3f} / "
        f"p99 {r['through_p99']:.3f} ms; target p50 under 1 ms).",
        f"- {r['clients']} clients x {r['requests']} requests at once: {r['busy_ok']:,} answered 200 (p50 {r['busy_p50']:.2f} ms, "
        f"p99 {r['busy_p99']:.2f} ms), {r['recorded']:,} of {r['expected']:,} exchanges recorded; recorder peak RSS "
        f"**{r['rss']:.0f} MiB** ({r['idle_rss']:.0f} MiB before the load).",
    ]
