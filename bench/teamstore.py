"""The team store benchmark: `mitrail push` of a store into a PostgreSQL started for the run, against the same
rows loaded by `psql \\copy` into tables of the same shape (columns, primary keys, indexes), in the same run.

The server is a throwaway cluster (initdb in the work folder, trust authentication on 127.0.0.1 and a Unix
socket there, default settings otherwise), run as the postgres user when the benchmark runs as root, and stopped
by its PID at the end. Both loads write into the same server with the same durability settings.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

INCIDENT = "bench_push"
COPY = "bench_copy"


def server_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise SystemExit("--team-store needs PostgreSQL's server binaries (apt-get install postgresql)")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_server_user(command):
    return ["runuser", "-u", "postgres", "--"] + command if os.geteuid() == 0 else command


class Server:
    """A PostgreSQL cluster of the run's own."""

    def __init__(self):
        self.bin = server_binaries()
        # A folder of its own that the server user can reach (the run's work folder is the runner's only).
        self.folder = tempfile.mkdtemp(prefix="mitrail-bench-pg-")
        os.chmod(self.folder, 0o755)
        self.port = free_port()
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", self.folder], check=True)
        data = os.path.join(self.folder, "data")
        subprocess.run(as_server_user([os.path.join(self.bin, "initdb"), "-D", data, "-U", "bench", "--auth=trust",
                                       "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        subprocess.run(as_server_user([os.path.join(self.bin, "pg_ctl"), "-D", data, "-w", "-t", "60", "-l",
                                       os.path.join(self.folder, "server.log"), "-o",
                                       f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start"]),
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(data, "postmaster.pid")) as pid_file:
            self.pid = int(pid_file.readline())
        self.url = f"postgres://bench@127.0.0.1:{self.port}/postgres"

    def psql(self, *arguments):
        return subprocess.run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench",
                               "-d", "postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"] + list(arguments),
                              check=True, capture_output=True, text=True).stdout

    def stop(self):
        """Stops the server by its PID (a fast shutdown), waits at most 30 s for it to end, removes its folder."""
        os.kill(self.pid, 2)
        for _ in range(300):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)


def measure(mitrail, store, work):
    """Pushes `store` (the agent-log store in bench/measure.py), then loads the very rows the push wrote with psql \\copy into a twin schema; returns the figures."""
    server = Server()
    try:
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        push = subprocess.run([mitrail, "push", "--db", store, "--to", server.url, "--incident", INCIDENT, "-q"],
                              check=True, capture_output=True, text=True)
        push_seconds = time.monotonic() - started
        started = time.monotonic()
        subprocess.run([mitrail, "push", "--db", store, "--to", server.url, "--incident", INCIDENT, "-q"], check=True, capture_output=True)
        repush_seconds = time.monotonic() - started
        tables = [name for name in server.psql("-c", f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{INCIDENT}' "
                                               "AND table_type = 'BASE TABLE' ORDER BY table_name").split() if name]
        counts = {table: int(server.psql("-c", f"SELECT count(*) FROM {INCIDENT}.{table}")) for table in tables}
        # The same rows as COPY text files, and a schema with the same tables (columns, keys, indexes), empty.
        files = {}
        server.psql("-c", f"CREATE SCHEMA {COPY}")
        for table in tables:
            files[table] = os.path.join(work, f"copy-{table}.txt")
            server.psql("-c", f"\\copy {INCIDENT}.{table} TO '{files[table]}'")
            server.psql("-c", f"CREATE TABLE {COPY}.{table} (LIKE {INCIDENT}.{table} INCLUDING ALL)")
        script = os.path.join(work, "copy.sql")
        with open(script, "w") as out:
            out.write("BEGIN;\n")
            for table in tables:
                if counts[table]:
                    out.write(f"\\copy {COPY}.{table} FROM '{files[table]}'\n")
            out.write("COMMIT;\n")
        started = time.monotonic()
        server.psql("-f", script)
        copy_seconds = time.monotonic() - started
        return dict(records=counts.get("records", 0), rows=sum(counts.values()), tables=len([t for t in tables if counts[t]]),
                    push_seconds=push_seconds, copy_seconds=copy_seconds, repush_seconds=repush_seconds,
                    load=(load_before, os.getloadavg()[0]),
                    push_output=push.stdout.strip().splitlines()[0] if push.stdout else "")
    finally:
        server.stop()


def report(figures):
    push_rate = figures["rows"] / figures["push_seconds"]
    copy_rate = figures["rows"] / figures["copy_seconds"]
    return [
        "",
        "## Team store",
        "",
        f"- `mitrail push` of the store into a PostgreSQL started for the run (verify, schema, COPY through postgres-nio): "
        f"{figures['records']:,} records, {figures['rows']:,} rows in {figures['tables']} tables, in {figures['push_seconds']:.2f} s = "
        f"**{push_rate:,.0f} rows/s** ({figures['records'] / figures['push_seconds']:,.0f} records/s; target 100k rows/s).",
        f"- `psql \\copy` of the very rows the push wrote (dumped from the incident) into tables of the same shape, one transaction: "
        f"{figures['copy_seconds']:.2f} s = {copy_rate:,.0f} rows/s; the push is **{push_rate / copy_rate:.2f}x** of it (target 0.7x).",
        f"- Pushing the same store again (nothing new): {figures['repush_seconds']:.2f} s.",
        f"- Load average (1 min) before the push and after the copy: {figures['load'][0]:.2f}, {figures['load'][1]:.2f} "
        f"(the push and the copy compete with whatever else the machine runs).",
    ]


def main():
    """Standalone: generate an agent log and token requests, ingest them, push, and print the figures as Markdown."""
    import argparse
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the benchmark itself works")
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of the full size (2,000,000 agent log lines, 1,000,000 token requests)")
    parser.add_argument("--bin", required=True, help="the folder of the mitrail binary to measure (a release build for figures)")
    parser.add_argument("--out", help="also write the figures to this file")
    args = parser.parse_args()
    agent, tokens = (5_000, 2_000) if args.smoke else (int(2_000_000 * args.scale), int(1_000_000 * args.scale))
    mitrail = os.path.join(args.bin, "mitrail")
    work = tempfile.mkdtemp(prefix="mitrail-teamstore-bench-")
    try:
        data = os.path.join(work, "data")
        subprocess.run([sys.executable, os.path.join(root, "bench", "generate.py"), data, "--agent-lines", str(agent),
                        "--token-requests", str(tokens), "--role-assignments", "0", "--tasks", "0", "--blob-logs", "0"], check=True)
        store = os.path.join(work, "bench.db")
        subprocess.run([mitrail, "ingest", "-q", "--db", store, "--observed-at", "2026-03-05T00:00:00Z", data], check=True, capture_output=True)
        lines = report(measure(mitrail, store, work))
        lines.append(f"\nSizes: agent log lines {agent:,}, token requests {tokens:,}; `bench/teamstore.py"
                     + (" --smoke" if args.smoke else f" --scale {args.scale:g}" if args.scale != 1.0 else "") + "`, "
                     + f"{os.cpu_count()} cores, measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC.")
        text = "\n".join(lines) + "\n"
        print(text)
        if args.out:
            with open(args.out, "w") as out:
                out.write(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
