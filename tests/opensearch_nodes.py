"""Real OpenSearch nodes for the tests: built from Maven Central, run as child JVMs.

The launcher (tests/opensearch/: a pom.xml and one Java class) starts OpenSearch's own node
class with the netty4 HTTP transport and the analysis-common plugin. `build_launcher` compiles
it with Maven (offline when the artifacts are already in ~/.m2); `start_node` runs one node on
free loopback ports and waits for it to answer (`start_single` and `start_pair` make the
one-node and two-node clusters the tests and bench/opensearch_bench.py use); `Node.stop`
ends it by its process id. A node
whose test runner dies exits when its standard input closes, so no JVM is left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "opensearch"
CLASSES = LAUNCHER / "target" / "classes"
CLASSPATH = LAUNCHER / "target" / "classpath.txt"
MAIN_CLASS = "searchkit.tests.NodeLauncher"
HEAP = os.environ.get("SEARCHKIT_OPENSEARCH_HEAP", "512m")
START_TIMEOUT = 180.0  # seconds: a cold JVM on a busy 2-core machine


class NodeUnavailable(Exception):
    """Java or Maven is missing, or the launcher cannot be built: tests skip with this reason."""


def java_command() -> str:
    """The `java` to run nodes with: $SEARCHKIT_JAVA, $JAVA_HOME/bin/java, or the PATH's."""
    explicit = os.environ.get("SEARCHKIT_JAVA")
    if explicit:
        return explicit
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise NodeUnavailable("no Java runtime (java not on PATH, JAVA_HOME unset)")
    return found


def build_launcher() -> None:
    """Compile the launcher unless it is already built (tries offline Maven first)."""
    if CLASSPATH.exists() and (CLASSES / "searchkit" / "tests" / "NodeLauncher.class").exists():
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise NodeUnavailable("Maven (mvn) is not installed: cannot build the OpenSearch launcher")
    errors = ""
    for offline in (["-o"], []):
        run = subprocess.run(
            [mvn, "-q", "-B", *offline, "compile"],
            cwd=LAUNCHER,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if run.returncode == 0:
            return
        errors = (run.stdout + run.stderr).strip().splitlines()[-1:] or ["(no output)"]
    raise NodeUnavailable(f"building the OpenSearch launcher with Maven failed: {errors[0]}")


@dataclass
class Node:
    """One running node: its process, its HTTP port and its transport port."""

    name: str
    process: subprocess.Popen
    home: Path
    http_port: int
    transport_port: int
    log: Path
    started_in: float = field(default=0.0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def request(self, method: str, path: str, body: object = None) -> dict:
        """One JSON request to this node's REST API (raises urllib's HTTPError on 4xx/5xx)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.loads(resp.read() or b"{}")

    def stop(self) -> None:
        """SIGTERM by process id (the node closes cleanly), SIGKILL if it has not gone in 30 s."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        if self.process.stdin:
            self.process.stdin.close()


def start_node(home: Path, cluster: str, name: str, **settings: str) -> Node:
    """Start a node with its data under `home` and return once it answers HTTP.

    `settings` are extra node settings with dots written as `__` (discovery__seed_hosts=...).
    """
    build_launcher()
    java = java_command()
    home.mkdir(parents=True, exist_ok=True)
    args = {"cluster.name": cluster, "node.name": name, "path.home": str(home)}
    args.update({k.replace("__", "."): v for k, v in settings.items()})
    log = home / "node.log"
    began = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                java,
                f"-Xms{HEAP}",
                f"-Xmx{HEAP}",
                "-XX:+UseSerialGC",
                "-Dsearchkit.exitOnStdinEof=true",
                "-cp",
                f"{CLASSES}{os.pathsep}{CLASSPATH.read_text().strip()}",
                MAIN_CLASS,
                *(f"{k}={v}" for k, v in args.items()),
            ],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ports_file = home / "ports"
    while not ports_file.exists():
        if process.poll() is not None:
            raise RuntimeError(f"node {name} exited with {process.returncode}: {_tail(log)}")
        if time.monotonic() - began > START_TIMEOUT:
            process.kill()
            process.wait()
            raise RuntimeError(f"node {name} did not start in {START_TIMEOUT:.0f} s: {_tail(log)}")
        time.sleep(0.2)
    ports = dict(line.split("=", 1) for line in ports_file.read_text().split())
    return Node(
        name=name,
        process=process,
        home=home,
        http_port=int(ports["http"]),
        transport_port=int(ports["transport"]),
        log=log,
        started_in=time.monotonic() - began,
    )


def start_single(home: Path, cluster: str = "searchkit-single") -> Node:
    """A one-node cluster (`discovery.type: single-node`), green and answering."""
    node = start_node(home, cluster, "single", discovery__type="single-node")
    try:
        wait_for_health(node)
    except BaseException:
        node.stop()
        raise
    return node


def start_pair(root: Path, cluster: str = "searchkit-pair") -> list[Node]:
    """Two nodes on loopback forming one cluster: `a` bootstraps it, `b` joins through `a`'s
    transport port. Both are stopped again if the pair does not come up."""
    nodes = [start_node(root / "a", cluster, "a", cluster__initial_cluster_manager_nodes="a")]
    try:
        seed = f"127.0.0.1:{nodes[0].transport_port}"
        nodes.append(start_node(root / "b", cluster, "b", discovery__seed_hosts=seed))
        wait_for_health(nodes[0], nodes=2)
    except BaseException:
        for node in reversed(nodes):
            node.stop()
        raise
    return nodes


def wait_for_health(node: Node, nodes: int = 1, status: str = "green") -> dict:
    """Block until the cluster has `nodes` nodes and at least `status` health."""
    return node.request(
        "GET", f"/_cluster/health?wait_for_nodes={nodes}&wait_for_status={status}&timeout=120s"
    )


def _tail(log: Path, lines: int = 5) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"
