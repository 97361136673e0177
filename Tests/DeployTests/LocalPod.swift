import Foundation
import Harness
import Testing

/// A Kubernetes manifest's pod run as local processes with its containers' exact commands and environment, the paths
/// of its volumes and image mapped into a temporary directory, as the kubelet would run it: values from Secrets come
/// from `secrets` ("secret/key"), and files of Secret volumes from `secretFiles` ("volume/path").
final class LocalPod {
    let directory = TemporaryDirectory(prefix: "pod")
    let port: Int
    let containers: [[String: Any]]
    private var mapping: [(String, String)] = [("/opt/smart-ticket/bin", Executables.directory)]
    private(set) var processes: [Process] = []

    static let script = #"""
        import sys, yaml, json
        docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
        pod = [d for d in docs if d["kind"] == "Deployment"][0]["spec"]["template"]["spec"]
        out = []
        for c in pod["containers"]:
            env = {}
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                env[e["name"]] = e["value"] if "value" in e else "secret:%s/%s" % (ref["name"], ref["key"])
            out.append({"name": c["name"], "command": c["command"], "env": env,
                        "execProbes": [c[k]["exec"]["command"] for k in ("livenessProbe", "readinessProbe") if "exec" in c.get(k, {})],
                        "mounts": {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])},
                        "readiness": c.get("readinessProbe", {}).get("httpGet", {}).get("path")})
        print(json.dumps(out))
        """#

    init(manifest: String, secrets: [String: String] = [:], secretFiles: [String: String] = [:]) async throws {
        let result = try await DeployTests.tool(["python3", "-c", Self.script, manifest])
        guard result.status == 0, let containers = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: result.stderr])
        }
        self.containers = containers
        port = try await DeployTests.freePort()
        for container in containers {
            for (volume, path) in container["mounts"] as? [String: String] ?? [:] { mapping.append((path, directory.file(volume))) }
        }
        mapping.append(("/run/smart-ticket", directory.file("run")))
        for volume in ["sockets", "data", "run"] + secretFiles.keys.map({ String($0.split(separator: "/")[0]) }) {
            try FileManager.default.createDirectory(atPath: directory.file(volume), withIntermediateDirectories: true)
        }
        for (path, contents) in secretFiles {
            FileManager.default.createFile(atPath: directory.file(path), contents: Data(contents.utf8), attributes: [.posixPermissions: 0o400])
        }
        // The sockets volume is mounted at <run-dir>/sockets: link it there as the kubelet would mount it.
        try FileManager.default.createSymbolicLink(atPath: directory.file("run/sockets"), withDestinationPath: directory.file("sockets"))
        for container in containers {
            let command = (container["command"] as? [String] ?? []).map { $0 == "8080" ? String(port) : local($0) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            var environment = ProcessInfo.processInfo.environment
            for (name, value) in container["env"] as? [String: String] ?? [:] {
                if value.hasPrefix("secret:") {
                    environment[name] = secrets[String(value.dropFirst("secret:".count))] ?? "value-from-a-kubernetes-secret-0123456789"
                } else {
                    environment[name] = name == "SMART_TICKET_HTTP_HOST" ? "127.0.0.1" : local(value)
                }
            }
            environment["SMART_TICKET_LOG_LEVEL"] = "warning"
            process.environment = environment
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
    }

    /// A path of the manifest as the local one.
    func local(_ text: String) -> String {
        for (from, to) in mapping where text == from || text.hasPrefix(from + "/") { return to + text.dropFirst(from.count) }
        return text
    }

    /// The gateway's readiness status once it is 200, or the last one after 30 s.
    func waitReady() async throws -> String {
        let gateway = containers.first { $0["name"] as? String == "gateway" }
        let path = gateway?["readiness"] as? String ?? "/readyz"
        var status = ""
        for _ in 0..<300 where status != "200" {
            status = try await DeployTests.tool(["curl", "-s", "--max-time", "2", "-o", "/dev/null", "-w", "%{http_code}",
                                                 "http://127.0.0.1:\(port)\(path)"]).stdout
            if status != "200" { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        return status
    }

    /// Runs every container's exec probes as the kubelet would; the failures, described.
    func failingProbes() async throws -> [String] {
        var failures: [String] = []
        for container in containers {
            for probe in container["execProbes"] as? [[String]] ?? [] {
                let result = try await DeployTests.tool(probe.map(local))
                if result.status != 0 { failures.append("\(container["name"] ?? "?"): \(probe.joined(separator: " ")): \(result.stdout)\(result.stderr)") }
            }
        }
        return failures
    }

    var probeCount: Int { containers.flatMap { $0["execProbes"] as? [[String]] ?? [] }.count }

    func stop() {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        directory.remove()
    }
}
