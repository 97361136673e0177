"""Helpers shared by scripts/load and scripts/faults: start a real SmartTicket, seed it, sample processes.

Standard library only. Every figure the scripts print comes from these measurements.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NUMPY = os.path.join(ROOT, "Tests", "Fixtures", "histories", "numpy-tickets.jsonl")


def log(message):
    print(message, file=sys.stderr, flush=True)


def bin_dir(explicit, build=True):
    """The release executables, built first unless --bin-dir names them."""
    if explicit:
        return os.path.abspath(explicit)
    if build:
        log("building release executables (swift build -c release)...")
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class System:
    """`smart-ticket serve` in a temporary directory, with a token for tenant `load`."""

    def __init__(self, bins, config=None, tenant="load"):
        self.bins = bins
        self.tenant = tenant
        self.dir = tempfile.mkdtemp(prefix="st-ops-")
        self.run_dir = os.path.join(self.dir, "run")
        self.data_dir = os.path.join(self.dir, "data")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [os.path.join(bins, "smart-ticket"), "serve", "--run-dir", self.run_dir, "--data-dir", self.data_dir,
                "--http-port", str(self.port)]
        if config:
            path = os.path.join(self.dir, "config.json")
            with open(path, "w") as f:
                json.dump(config, f)
            args += ["--config", path]
        env = dict(os.environ, SMART_TICKET_LOG_LEVEL=os.environ.get("SMART_TICKET_LOG_LEVEL", "warning"))
        self.log_path = os.path.join(self.dir, "launcher.log")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"), env=env)
        self.wait_ready(60)
        self.token = self.cli(["token", "create", "--tenant", tenant, "--subject", "ops", "--role", "admin",
                               "--data-dir", self.data_dir]).strip()

    def cli(self, args):
        return subprocess.run([os.path.join(self.bins, "smart-ticket")] + args, check=True, capture_output=True, text=True).stdout

    def status(self):
        try:
            out = subprocess.run([os.path.join(self.bins, "smart-ticket"), "status", "--json", "--run-dir", self.run_dir],
                                 capture_output=True, text=True, timeout=5).stdout
            return json.loads(out) if out.strip() else None
        except (subprocess.TimeoutExpired, json.JSONDecodeError):
            return None

    def wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("launcher exited: " + open(self.log_path).read()[-2000:])
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError("not ready within %s s" % timeout)

    def request(self, method, path, body=None, timeout=30, token=True, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def pids(self):
        """{"launcher": pid, "gateway-0": pid, ...}"""
        result = {"launcher": self.process.pid}
        status = self.status() or {}
        for instance in status.get("instances", []):
            if instance.get("pid"):
                result["%s-%d" % (instance["service"], instance["instance"])] = instance["pid"]
        return result

    def seed(self, history=NUMPY, open_tickets=200):
        """Imports the history into tenant `load` and creates open tickets to recommend for; returns their keys."""
        log("importing %s ..." % history)
        started = time.time()
        self.cli(["import", "--run-dir", self.run_dir, "--tenant", self.tenant, "--quiet", history])
        log("imported in %.1f s" % (time.time() - started))
        lines = open(history).read().splitlines()[-open_tickets:]
        keys = []
        for index, line in enumerate(lines):
            record = json.loads(line)
            key = "%s-OPEN%d" % (record["project"], index)
            status, body = self.request("POST", "/api/v1/tickets", {
                "key": key, "project": record["project"], "title": record["title"],
                "description": record.get("description", "")[:4000], "components": record.get("components", []),
                "labels": record.get("labels", [])})
            if status not in (200, 201):
                raise RuntimeError("creating %s: %s %s" % (key, status, body[:300]))
            keys.append(key)
        return keys

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def cpu_seconds(pids):
    """{name: CPU seconds (user + system) used so far} of each process of `pids` ({name: pid}) still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    result = {}
    for name, pid in pids.items():
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            result[name] = (int(fields[11]) + int(fields[12])) / ticks   # utime, stime (fields 14 and 15)
        except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError, ValueError):
            pass
    return result


def sample(pid):
    """(RSS in KiB, open file descriptors) of `pid`, or None if it is gone."""
    try:
        rss = 0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
        return rss, fds
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


WRK_SCRIPT = r"""
-- Open-loop pacing: each thread sends its share of RATE requests per second on a fixed schedule
-- (LuaJIT ffi clock), rotating over the ticket keys in KEYS_FILE. done() prints one JSON line.
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } st_timespec; int clock_gettime(int, st_timespec*); ]]
local ts = ffi.new("st_timespec")
local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end

local keys = {}
for line in io.lines(os.getenv("KEYS_FILE")) do keys[#keys + 1] = line end
local rate = tonumber(os.getenv("RATE") or "0")
local threads = tonumber(os.getenv("THREADS") or "1")
local interval = rate > 0 and (1000.0 * threads / rate) or 0
local token = os.getenv("TOKEN")
local counter = 0
local next_at = nil
local statuses = {}

function setup(thread) end

function init(args)
  counter = math.random(1, #keys)
end

function delay()
  if interval == 0 then return 0 end
  local t = now_ms()
  if next_at == nil then next_at = t end
  local slot = next_at
  next_at = next_at + interval
  if slot <= t then return 0 end
  return slot - t
end

function request()
  counter = counter + 1
  local key = keys[(counter % #keys) + 1]
  return wrk.format("POST", "/api/v1/tickets/" .. key .. "/recommendations",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, "{}")
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
"""


def run_wrk(system, keys, rate, duration, connections, threads, sampler=None):
    """Runs wrk against the recommendation route; returns its figures (dict)."""
    workdir = tempfile.mkdtemp(prefix="st-wrk-")
    keys_file = os.path.join(workdir, "keys")
    with open(keys_file, "w") as f:
        f.write("\n".join(keys) + "\n")
    script = os.path.join(workdir, "pace.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    env = dict(os.environ, KEYS_FILE=keys_file, RATE=str(rate), THREADS=str(threads), TOKEN=system.token)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", "%ds" % duration, "--timeout", "10s",
           "-s", script, system.base]
    log("$ RATE=%s " % rate + " ".join(cmd))
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if sampler:
        started = time.time()
        last = started
        while process.poll() is None:
            sampler()
            time.sleep(1)
            if time.time() - last >= 10:
                last = time.time()
                log("  ... %d/%d s" % (last - started, duration))
    out = process.communicate()[0]
    shutil.rmtree(workdir, ignore_errors=True)
    for line in out.splitlines():
        if line.startswith("WRKJSON "):
            figures = json.loads(line[len("WRKJSON "):])
            figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
            figures["error_rate"] = figures["errors"] / max(1, figures["requests"])
            return figures
    raise RuntimeError("wrk printed no figures:\n" + out)


class Sampler:
    """Samples RSS and open fds of every process of the system once a call."""

    def __init__(self, system):
        self.system = system
        self.samples = {}   # name -> [(t, rss, fds)]
        self.pids = {}
        self.started = time.time()
        self.last_pids = 0

    def __call__(self):
        now = time.time()
        if now - self.last_pids > 5:
            self.pids = self.system.pids()
            self.last_pids = now
        for name, pid in self.pids.items():
            s = sample(pid)
            if s:
                self.samples.setdefault(name, []).append((now - self.started, s[0], s[1]))

    def report(self):
        lines = []
        for name in sorted(self.samples):
            values = self.samples[name]
            n = len(values)
            head = values[: max(1, n // 10)]
            tail = values[-max(1, n // 10):]
            rss_first = sum(v[1] for v in head) / len(head) / 1024
            rss_last = sum(v[1] for v in tail) / len(tail) / 1024
            rss_max = max(v[1] for v in values) / 1024
            middle = values[n // 2 - max(1, n // 20): n // 2 + max(1, n // 20)] or head
            rss_mid = sum(v[1] for v in middle) / len(middle) / 1024
            fds_first = head[0][2]
            fds_last = tail[-1][2]
            fds_max = max(v[2] for v in values)
            lines.append("  %-12s rss MiB first %.1f mid %.1f last %.1f max %.1f (growth %+.1f, second half %+.1f) | fds first %d last %d max %d  (%d samples)"
                         % (name, rss_first, rss_mid, rss_last, rss_max, rss_last - rss_first, rss_last - rss_mid,
                            fds_first, fds_last, fds_max, n))
        return "\n".join(lines)
