import Contracts
import Foundation
import Harness
import Testing
import TestSupport

/// The files in deploy/ checked with the tools that consume them: `systemd-analyze`, a Kubernetes
/// schema validator, `nginx -t` and a live TLS handshake. Every tool comes from scripts/install-deps;
/// a missing tool fails the test.
@Suite struct DeployTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy").path

    static func read(_ relative: String) throws -> String { try String(contentsOfFile: "\(deploy)/\(relative)", encoding: .utf8) }

    static func tool(_ arguments: [String]) async throws -> CommandResult {
        try await ProcessRunner.run("/usr/bin/env", arguments)
    }

    // MARK: systemd

    /// The unit with ExecStart pointing at the freshly built launcher (verify insists it exists).
    static func unitForVerification(_ directory: TemporaryDirectory) throws -> String {
        let unit = try read("systemd/smart-ticket.service")
            .replacingOccurrences(of: "/opt/smart-ticket/bin/smart-ticket", with: Executables.path("smart-ticket"))
        let path = directory.file("smart-ticket.service")
        try unit.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func systemdUnitVerifies() async throws {
        let directory = TemporaryDirectory(prefix: "unit")
        defer { directory.remove() }
        let unit = try Self.unitForVerification(directory)
        let verify = try await Self.tool(["systemd-analyze", "verify", unit])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(!verify.stderr.contains("smart-ticket.service"), "warnings: \(verify.stderr)")
        let sysusers = try await Self.tool(["systemd-sysusers", "--dry-run", "\(Self.deploy)/systemd/smart-ticket.sysusers.conf"])
        #expect(sysusers.status == 0, "\(sysusers.stderr)")
    }

    @Test func systemdUnitIsHardened() async throws {
        let directory = TemporaryDirectory(prefix: "unit")
        defer { directory.remove() }
        let unit = try Self.unitForVerification(directory)
        let security = try await Self.tool(["systemd-analyze", "security", "--offline=true", "--no-pager", unit])
        #expect(security.status == 0, "\(security.stderr)")
        let output = security.stdout + security.stderr
        let match = output.firstMatch(of: /Overall exposure level for [^:]+: ([0-9.]+) (\w+)/)
        let exposure = match.flatMap { Double($0.1) }
        #expect(exposure != nil, "\(output.suffix(500))")
        // systemd rates 0-10 (10 = unprotected); "OK" is below 3.
        #expect((exposure ?? 10) < 3, "exposure \(exposure ?? -1)")
        let text = try Self.read("systemd/smart-ticket.service")
        for option in ["NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes", "User=smart-ticket"] {
            #expect(text.contains(option), "\(option)")
        }
    }

    @Test func systemdSocketsLiveInADirectoryOfTheirOwn() throws {
        let text = try Self.read("systemd/smart-ticket.service")
        let runtime = try #require(text.firstMatch(of: /\nRuntimeDirectory=(\S+)/)).1
        let runDir = try #require(text.firstMatch(of: /--run-dir (\S+)/)).1
        #expect(runDir == "/run/\(runtime)")
        // The services put their sockets in RunDirectory.socketsPath, a subdirectory the launcher
        // creates with mode 0700: not the directory RuntimeDirectory= re-owns on every start.
        let sockets = RunDirectory(path: String(runDir)).socketsPath
        #expect(sockets != "/run/\(runtime)")
        #expect(sockets.hasPrefix("/run/\(runtime)/"))
        #expect(text.contains("ReadWritePaths=/var/lib/smart-ticket /run/smart-ticket"))
    }

    // MARK: Kubernetes

    @Test func kubernetesManifestsMatchTheSchema() async throws {
        let result = try await Self.tool(["python3", "-m", "kubernetes_validate", "--strict", "--quiet", "\(Self.deploy)/kubernetes/smart-ticket.yaml"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// One pod with every service as a container, the sockets on a shared in-memory emptyDir mounted
    /// where RunDirectory puts them, probes, a claim for the database, requests and limits, a PDB.
    @Test func kubernetesPodHasTheExpectedShape() async throws {
        let script = #"""
            import sys, yaml, json
            docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            kinds = {d["kind"]: d for d in docs}
            out = {"kinds": sorted(kinds)}
            pod = kinds["Deployment"]["spec"]["template"]["spec"]
            out["replicas"] = kinds["Deployment"]["spec"]["replicas"]
            out["strategy"] = kinds["Deployment"]["spec"]["strategy"]["type"]
            volumes = {v["name"]: v for v in pod["volumes"]}
            out["volumes"] = volumes
            out["containers"] = []
            for c in pod["containers"]:
                out["containers"].append({
                    "name": c["name"], "command": c["command"],
                    "mounts": {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])},
                    "requests": sorted(c["resources"]["requests"]), "limits": sorted(c["resources"]["limits"]),
                    "liveness": c.get("livenessProbe", {}).get("httpGet", {}).get("path"),
                    "readiness": c.get("readinessProbe", {}).get("httpGet", {}).get("path"),
                    "probes": [c.get(k, {}).get("exec", {}).get("command") or c.get(k, {}).get("httpGet", {}).get("path")
                               for k in ("livenessProbe", "readinessProbe")],
                    "readOnlyRoot": c["securityContext"]["readOnlyRootFilesystem"],
                })
            out["pdbSelector"] = kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]
            out["podLabels"] = kinds["Deployment"]["spec"]["template"]["metadata"]["labels"]
            out["claim"] = kinds["PersistentVolumeClaim"]["metadata"]["name"]
            print(json.dumps(out))
            """#
        let result = try await Self.tool(["python3", "-c", script, "\(Self.deploy)/kubernetes/smart-ticket.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let shape = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(shape["kinds"] as? [String] == ["Deployment", "PersistentVolumeClaim", "PodDisruptionBudget", "Service"])
        #expect(shape["replicas"] as? Int == 1)
        #expect(shape["strategy"] as? String == "Recreate")
        let volumes = try #require(shape["volumes"] as? [String: [String: Any]])
        #expect((volumes["sockets"]?["emptyDir"] as? [String: Any])?["medium"] as? String == "Memory")
        #expect((volumes["data"]?["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String == shape["claim"] as? String)
        #expect(shape["pdbSelector"] as? [String: String] == shape["podLabels"] as? [String: String])
        let containers = try #require(shape["containers"] as? [[String: Any]])
        #expect(Set(containers.compactMap { $0["name"] as? String }) == ["storage", "skills", "scoring", "gateway"])
        for container in containers {
            let name = container["name"] as? String ?? "?"
            let command = container["command"] as? [String] ?? []
            let mounts = container["mounts"] as? [String: String] ?? [:]
            #expect(container["requests"] as? [String] == ["cpu", "memory"], "\(name)")
            #expect(container["limits"] as? [String] == ["cpu", "memory"], "\(name)")
            #expect(container["readOnlyRoot"] as? Bool == true, "\(name)")
            // Each service listens where its peers look: <run-dir>/sockets/<name>-0.sock, on the shared volume.
            let runDir = try #require(command.firstIndex(of: "--run-dir").map { command[$0 + 1] }, "\(name)")
            let socket = try #require(command.firstIndex(of: "--socket").map { command[$0 + 1] }, "\(name)")
            let kind = try #require(ServiceKind(rawValue: name))
            #expect(socket == RunDirectory(path: runDir).socket(kind, instance: 0), "\(name)")
            #expect(mounts["sockets"] == RunDirectory(path: runDir).socketsPath, "\(name)")
            #expect(command.first == "/opt/smart-ticket/bin/\(kind.executableName)", "\(name)")
            // Every container is probed: the gateway over HTTP, the others by `smart-ticket probe` on their own socket.
            let probes = container["probes"] as? [Any] ?? []
            #expect(probes.count == 2 && probes.allSatisfy { !($0 is NSNull) }, "\(name) has a liveness and a readiness probe")
            if kind != .gateway {
                let live = probes.first as? [String] ?? [], ready = probes.last as? [String] ?? []
                #expect(live == ["/opt/smart-ticket/bin/smart-ticket", "probe", "--live", "--socket", socket], "\(name): \(live)")
                #expect(ready == ["/opt/smart-ticket/bin/smart-ticket", "probe", "--socket", socket], "\(name): \(ready)")
            }
        }
        let gateway = try #require(containers.first { $0["name"] as? String == "gateway" })
        #expect(gateway["liveness"] as? String == "/livez")
        #expect(gateway["readiness"] as? String == "/readyz")
        let storage = try #require(containers.first { $0["name"] as? String == "storage" })
        #expect((storage["mounts"] as? [String: String])?["data"] != nil)
    }

    /// The high-availability shape: several pods on one PostgreSQL, replaced one at a time, a disruption budget that
    /// keeps most of them, one pod per node where possible, PostgreSQL's URL and password from Secrets, no volume
    /// claim (no SQLite file), and the same containers and sockets as the one-pod shape.
    @Test func kubernetesHighAvailabilityManifestHasTheShape() async throws {
        let path = "\(Self.deploy)/kubernetes/smart-ticket-ha.yaml"
        let validation = try await Self.tool(["python3", "-m", "kubernetes_validate", "--strict", "--quiet", path])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        let script = #"""
            import sys, yaml, json
            docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            kinds = {d["kind"]: d for d in docs}
            deployment = kinds["Deployment"]["spec"]
            pod = deployment["template"]["spec"]
            containers = {c["name"]: c for c in pod["containers"]}
            storage_env = {e["name"]: e for e in containers["storage"].get("env", [])}
            print(json.dumps({
                "kinds": sorted(kinds),
                "replicas": deployment["replicas"],
                "strategy": deployment["strategy"],
                "pdb": kinds["PodDisruptionBudget"]["spec"],
                "podLabels": deployment["template"]["metadata"]["labels"],
                "spread": [c["topologyKey"] for c in pod.get("topologySpreadConstraints", [])],
                "containers": sorted(containers),
                "postgresURL": storage_env.get("SMART_TICKET_STORAGE_POSTGRES_URL", {}).get("valueFrom", {}).get("secretKeyRef", {}),
                "passwordFile": storage_env.get("SMART_TICKET_STORAGE_POSTGRES_PASSWORD_FILE", {}).get("value"),
                "storageMounts": {m["name"]: m["mountPath"] for m in containers["storage"]["volumeMounts"]},
                "volumes": {v["name"]: v for v in pod["volumes"]},
                "readiness": containers["gateway"].get("readinessProbe", {}).get("httpGet", {}).get("path"),
                "jwt": [e for e in containers["gateway"]["env"] if e["name"] == "SMART_TICKET_JWT_SECRET"][0].get("valueFrom", {}),
            }))
            """#
        let result = try await Self.tool(["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let shape = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(shape["kinds"] as? [String] == ["Deployment", "PodDisruptionBudget", "Service"])
        let replicas = try #require(shape["replicas"] as? Int)
        #expect(replicas >= 2)
        let strategy = try #require(shape["strategy"] as? [String: Any])
        #expect(strategy["type"] as? String == "RollingUpdate")
        #expect((strategy["rollingUpdate"] as? [String: Any])?["maxUnavailable"] as? Int == 0)
        let pdb = try #require(shape["pdb"] as? [String: Any])
        let minAvailable = try #require(pdb["minAvailable"] as? Int)
        #expect(minAvailable >= 1 && minAvailable < replicas, "a budget that lets a drain proceed one pod at a time")
        #expect((pdb["selector"] as? [String: Any])?["matchLabels"] as? [String: String] == shape["podLabels"] as? [String: String])
        #expect(shape["spread"] as? [String] == ["kubernetes.io/hostname"])
        #expect(shape["containers"] as? [String] == ["gateway", "scoring", "skills", "storage"])
        #expect((shape["postgresURL"] as? [String: String])?["name"] == "smart-ticket-postgres")
        let passwordFile = try #require(shape["passwordFile"] as? String)
        let mounts = try #require(shape["storageMounts"] as? [String: String])
        #expect(passwordFile.hasPrefix(try #require(mounts["postgres"]) + "/"), "the password file is on the Secret's volume")
        let volumes = try #require(shape["volumes"] as? [String: [String: Any]])
        #expect((volumes["postgres"]?["secret"] as? [String: Any])?["secretName"] as? String == "smart-ticket-postgres")
        #expect(volumes.values.allSatisfy { $0["persistentVolumeClaim"] == nil }, "no pod owns a database file")
        #expect(shape["readiness"] as? String == "/readyz")
        #expect((shape["jwt"] as? [String: Any])?["secretKeyRef"] != nil, "every pod signs and checks tokens with one key")
    }

    /// The pod's containers run as local processes with the manifest's exact commands and
    /// environment (paths mapped into a temporary directory): the gateway's readiness probe turns 200,
    /// so the services find each other through the shared sockets volume.
    @Test func kubernetesPodCommandsStartAServingSystem() async throws {
        let pod = try await LocalPod(manifest: "\(Self.deploy)/kubernetes/smart-ticket.yaml")
        defer { pod.stop() }
        #expect(try await pod.waitReady() == "200")
        #expect(pod.processes.filter { !$0.isRunning }.isEmpty, "every container still runs")
        // Each container's exec probes, run as the kubelet would (paths mapped), pass on the running pod.
        #expect(pod.probeCount == 6, "liveness and readiness of storage, skills, scoring")
        #expect(try await pod.failingProbes() == [])
        #expect(FileManager.default.fileExists(atPath: pod.directory.file("data/smart-ticket.sqlite")), "the database is on the data volume")
    }

    /// The high-availability manifest's pods, run locally twice against one PostgreSQL with the Secrets' values: both
    /// serve, every probe passes, and what one is sent the other answers.
    @Test func kubernetesHighAvailabilityPodsShareOneDatabase() async throws {
        let server = try await PostgresServer.shared()
        let database = try await onBlockingThread { try server.createDatabase() }
        let password = try String(contentsOfFile: server.passwordFile, encoding: .utf8)
        let secrets = ["smart-ticket-postgres/url": server.url(database: database), "smart-ticket/jwt-secret": "ha-pods-shared-signing-key-0123456789"]
        let manifest = "\(Self.deploy)/kubernetes/smart-ticket-ha.yaml"
        let first = try await LocalPod(manifest: manifest, secrets: secrets, secretFiles: ["postgres/password": password])
        defer { first.stop() }
        let second = try await LocalPod(manifest: manifest, secrets: secrets, secretFiles: ["postgres/password": password])
        defer { second.stop() }
        for pod in [first, second] {
            #expect(try await pod.waitReady() == "200")
            #expect(try await pod.failingProbes() == [])
            #expect(!FileManager.default.fileExists(atPath: pod.directory.file("data/smart-ticket.sqlite")), "no SQLite file")
        }
        let token = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--tenant", "acme", "--subject", "ada", "--role", "admin", "--ttl", "1h"],
            environment: ["SMART_TICKET_JWT_SECRET": secrets["smart-ticket/jwt-secret"]!]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = #"{"key": "HA-1", "project": "HA", "title": "through the first pod", "created": "2026-01-02T10:00:00Z"}"#
        let posted = try await Self.tool(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer \(token)",
                                          "--data-binary", body, "http://127.0.0.1:\(first.port)/api/v1/import"])
        #expect(posted.stdout == "200")
        let read = try await Self.tool(["curl", "-s", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(second.port)/api/v1/tickets/HA-1"])
        #expect(read.stdout.contains("through the first pod"), "\(read.stdout)")
    }

    // MARK: container

    /// Multi-stage: built with the Swift image, run on slim Debian with only the runtime libraries,
    /// every executable and the skills taxonomy bundle copied, as an unprivileged user.
    @Test func containerImageIsMultiStageAndUnprivileged() throws {
        let text = try Self.read("container/Containerfile")
        let stages = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.contains("swift:") == true && stages.first?.contains(" AS build") == true)
        #expect(stages.last?.contains("debian:") == true && stages.last?.contains("slim") == true)
        let runtime = String(text[text.range(of: "FROM debian")!.lowerBound...])
        for package in ["libsqlite3-0", "libpq5", "libssl3"] { #expect(runtime.contains(package), "\(package)") }
        #expect(!runtime.contains("-dev "), "no build dependencies in the runtime image")
        for kind in ServiceKind.allCases { #expect(text.contains(".build/release/\(kind.executableName)"), "\(kind)") }
        #expect(text.contains(".build/release/smart-ticket "))
        #expect(text.contains("*.resources"), "the skills taxonomy bundle")
        #expect(runtime.contains("USER smart-ticket"))
    }

    // MARK: nginx

    /// deploy/nginx/smart-ticket.conf with a throwaway certificate and local ports, in a full nginx.conf.
    static func nginxConfiguration(_ directory: TemporaryDirectory, httpsPort: Int, httpPort: Int, upstreamPort: Int) async throws -> String {
        let certificate = try await tool(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                          "-subj", "/CN=localhost", "-keyout", directory.file("key.pem"), "-out", directory.file("cert.pem")])
        #expect(certificate.status == 0, "\(certificate.stderr)")
        let site = try read("nginx/smart-ticket.conf")
            .replacingOccurrences(of: "/etc/ssl/certs/smart-ticket.pem", with: directory.file("cert.pem"))
            .replacingOccurrences(of: "/etc/ssl/private/smart-ticket.key", with: directory.file("key.pem"))
            .replacingOccurrences(of: "listen 443 ", with: "listen 127.0.0.1:\(httpsPort) ")
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(httpPort);")
            .replacingOccurrences(of: "server 127.0.0.1:8080;", with: "server 127.0.0.1:\(upstreamPort);")
        try site.write(toFile: directory.file("site.conf"), atomically: true, encoding: .utf8)
        let main = """
            pid \(directory.file("nginx.pid"));
            error_log \(directory.file("error.log"));
            daemon off;
            master_process off;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(directory.path);
                proxy_temp_path \(directory.path);
                fastcgi_temp_path \(directory.path);
                uwsgi_temp_path \(directory.path);
                scgi_temp_path \(directory.path);
                include \(directory.file("site.conf"));
            }
            """
        try main.write(toFile: directory.file("nginx.conf"), atomically: true, encoding: .utf8)
        return directory.file("nginx.conf")
    }

    static func freePort() async throws -> Int {
        let result = try await tool(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test func nginxConfigurationTestsCleanAndSpeaksOnlyTLS12AndLater() async throws {
        let text = try Self.read("nginx/smart-ticket.conf")
        let protocols = try #require(text.firstMatch(of: /ssl_protocols\s+([^;]+);/)).1.split(separator: " ").map(String.init)
        #expect(Set(protocols) == ["TLSv1.2", "TLSv1.3"])
        #expect(text.contains("limit_conn smart_ticket_per_client"), "slow clients are capped per address")
        #expect(text.contains("client_header_timeout 10s"))

        let directory = TemporaryDirectory(prefix: "nginx")
        defer { directory.remove() }
        let upstream = try FakeHTTPServer()
        defer { upstream.stop() }
        upstream.setFallback { request in
            let proto = request.header("X-Forwarded-Proto") ?? "none"
            return .init(status: 200, body: #"{"proto":"\#(proto)"}"#)
        }
        let httpsPort = try await Self.freePort()
        let httpPort = try await Self.freePort()
        let configuration = try await Self.nginxConfiguration(directory, httpsPort: httpsPort, httpPort: httpPort, upstreamPort: Int(upstream.port))
        let check = try await Self.tool(["nginx", "-t", "-p", directory.path, "-c", configuration])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains("test is successful"))

        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        nginx.arguments = ["nginx", "-p", directory.path, "-c", configuration]
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        // SIGKILL: a child started from a test thread inherits a mask that blocks SIGTERM.
        defer { kill(nginx.processIdentifier, SIGKILL); nginx.waitUntilExit() }

        let url = "https://127.0.0.1:\(httpsPort)/livez"
        var proxied = try await Self.tool(["curl", "-sk", "--max-time", "5", "--tlsv1.2", url])
        for _ in 0..<100 where proxied.status != 0 {
            try await Task.sleep(nanoseconds: 50_000_000)
            proxied = try await Self.tool(["curl", "-sk", "--max-time", "5", "--tlsv1.2", url])
        }
        #expect(proxied.status == 0, "\(proxied.stderr)")
        #expect(proxied.stdout == #"{"proto":"https"}"#)
        // The gateway's metrics are not served to the outside (the upstream would answer anything).
        let metrics = try await Self.tool(["curl", "-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                                           "https://127.0.0.1:\(httpsPort)/metrics"])
        #expect(metrics.stdout == "404", "/metrics through nginx: \(metrics.stdout)")
        let redirect = try await Self.tool(["curl", "-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(httpPort)/x"])
        #expect(redirect.stdout.hasPrefix("301 https://"), "\(redirect.stdout)")

        // The handshake itself: TLS 1.0 and 1.1 refused by the server, 1.2 and 1.3 accepted.
        for (flag, accepted) in [("-tls1", false), ("-tls1_1", false), ("-tls1_2", true), ("-tls1_3", true)] {
            let handshake = try await Self.tool(["sh", "-c", "timeout 10 openssl s_client -connect 127.0.0.1:\(httpsPort) \(flag) -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1"])
            // s_client prints "New, TLSv1.3, Cipher is ..." for a handshake, "New, (NONE), Cipher is (NONE)" otherwise.
            let negotiated = handshake.stdout.firstMatch(of: /New, (TLSv1(\.[0-9])?), Cipher is/)?.1
            if accepted {
                #expect(negotiated != nil, "\(flag): \(handshake.stdout.suffix(400))")
            } else {
                #expect(negotiated == nil, "\(flag) was accepted: \(handshake.stdout.suffix(400))")
            }
        }
    }
}
