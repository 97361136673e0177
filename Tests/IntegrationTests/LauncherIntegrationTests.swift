import Contracts
import Foundation
import Posix
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import RPC
import Testing
import TestSupport

/// `smart-ticket serve` with the real executables.
@Suite(.serialized) struct LauncherIntegrationTests {
    @Test func serveStartsEveryServiceAndStatusReportsThem() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let status = try await system.status()
        #expect(status.instances.map(\.service) == [.storage, .skills, .scoring, .gateway])
        #expect(status.instances.allSatisfy { $0.health == "SERVING" && $0.pid != nil })
        let url = try #require(system.url)
        #expect(system.output.contains("SmartTicket is running. Open \(url)"))

        let cli = try await ProcessRunner.run(Executables.path("smart-ticket"), ["status", "--run-dir", system.runDirectory.path, "--json"])
        #expect(cli.status == 0)
        #expect(cli.stdout.contains("\"health\":\"SERVING\""))

        // The gateway's readiness reflects its backends.
        let ready = try await httpGet(url + "readyz")
        #expect(ready.status == 200)
        #expect(await system.stop() == 0)
    }

    @Test func killedChildrenAreRestartedWhileOtherServicesKeepAnswering() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        for kind in [ServiceKind.storage, .skills, .scoring, .gateway] {
            let before = try await system.status()
            let victim = try #require(before.instances.first { $0.service == kind }?.pid)
            let others = ServiceKind.allCases.filter { $0 != kind }
            kill(victim, SIGKILL)
            let killedAt = Date()
            // Calls to the other services keep succeeding while the victim is down.
            for other in others {
                let client = system.rpcClient(other)
                defer { client.close() }
                let info = try await client.call(StandardMethods.info, InfoRequest(), timeout: 2)
                #expect(info.service == other.rawValue)
            }
            // The victim is back and SERVING within 5 s, under a new pid.
            var back = false
            while Date().timeIntervalSince(killedAt) < 5 {
                let status = try await system.status()
                if let instance = status.instances.first(where: { $0.service == kind }),
                   instance.health == "SERVING", let pid = instance.pid, pid != victim {
                    #expect(instance.restarts == 1)
                    back = true
                    break
                }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(back, "\(kind) not SERVING again within 5 s")
        }
        #expect(await system.stop() == 0)
    }

    @Test func sigtermLeavesNoProcessAndNoSocketBehind() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let pids = try await system.status().instances.compactMap(\.pid)
        #expect(pids.count == 4)
        #expect(await system.stop() == 0)
        for pid in pids { #expect(kill(pid, 0) != 0, "child \(pid) still alive") }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: system.runDirectory.socketsPath)) ?? []
        #expect(leftovers.isEmpty, "sockets left: \(leftovers)")
        // Shutdown order: the gateway stops before storage.
        let log = system.log
        let gatewayStop = try #require(log.range(of: #""service":"gateway","msg":"stopping""#))
        let storageStop = try #require(log.range(of: #""service":"storage","msg":"stopping""#))
        #expect(gatewayStop.lowerBound < storageStop.lowerBound)
    }

    @Test func childThatCrashesAtOnceTripsTheRestartIntensity() async throws {
        // A bin dir with the real executables, except a skills service that exits at once.
        let bin = TemporaryDirectory(prefix: "bin")
        defer { bin.remove() }
        for kind in ServiceKind.allCases where kind != .skills {
            try FileManager.default.createSymbolicLink(atPath: bin.file(kind.executableName), withDestinationPath: Executables.path(kind.executableName))
        }
        FileManager.default.createFile(atPath: bin.file("smart-ticket-skills"), contents: Data("#!/bin/sh\nexit 3\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        let system = try await RunningSystem(binDir: bin.path, waitUntilServing: false)
        defer { system.directory.remove() }
        let code = await system.waitForExit(timeout: 30)
        #expect(code == 1)
        #expect(system.log.contains("restart intensity exceeded"))
        // Storage, which had started, was stopped too: nothing is left.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: system.runDirectory.socketsPath)) ?? []
        #expect(leftovers.allSatisfy { !$0.hasPrefix("storage") }, "sockets left: \(leftovers)")
    }

    @Test func secondLauncherOnTheSameRunDirectoryIsRefused() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let second = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                           ["serve", "--run-dir", system.runDirectory.path, "--data-dir", system.directory.file("data2"), "--http-port", "0"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("already running"))
        #expect(try await system.status().instances.allSatisfy { $0.health == "SERVING" })
        #expect(await system.stop() == 0)
    }

    @Test func badConfigurationIsAClearErrorNamingTheKey() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        FileManager.default.createFile(atPath: dir.file("c.json"), contents: Data(#"{"http": {"prot": 80}}"#.utf8))
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), ["serve", "--config", dir.file("c.json"), "--run-dir", dir.file("run")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown configuration key `http.prot`"))
    }

    /// A child gets the launcher's whole file: it refuses unknown keys of its own section, and leaves the other
    /// services' keys (even ones the launcher would refuse) to the launcher.
    @Test func aServiceProcessJudgesOnlyItsOwnSectionOfTheFile() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        FileManager.default.createFile(atPath: dir.file("mixed.json"),
                                       contents: Data(#"{"http": {"port": 70000}, "skills": {"bogus": 1}, "storage": {"file": "other.sqlite"}}"#.utf8))
        let storage = try await ServiceProcess(.storage, arguments: ["--config", dir.file("mixed.json")])
        #expect(FileManager.default.fileExists(atPath: storage.directory.file("data/other.sqlite")))
        storage.stop()
        let launcher = try await ProcessRunner.run(Executables.path("smart-ticket"), ["serve", "--config", dir.file("mixed.json"), "--run-dir", dir.file("run")])
        #expect(launcher.status != 0)
        #expect(launcher.stderr.contains("`http.port` must be between 0 and 65535, got 70000"), "\(launcher.stderr)")

        FileManager.default.createFile(atPath: dir.file("typo.json"), contents: Data(#"{"http": {"port": 8080}, "storage": {"fil": "x.sqlite"}}"#.utf8))
        let typo = try await ProcessRunner.run(Executables.path("smart-ticket-storage"),
                                               ["--socket", dir.file("storage-0.sock"), "--run-dir", dir.path, "--config", dir.file("typo.json")],
                                               environment: ["SMART_TICKET_DATA_DIR": dir.file("data")])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown configuration key `storage.fil`"), "\(typo.stderr)")
    }

    @Test func aPortInUseIsOneClearLine() async throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let port = try Socket.localPort(listener)
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "serve", "--run-dir", directory.file("run"), "--data-dir", directory.file("data"), "--http-port", String(port)])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("port \(port) on 127.0.0.1 is already in use: stop what listens there, or choose another port with --http-port"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("giving up") && !result.stdout.contains("SmartTicket is running"))
    }

    @Test func aCommandThatFindsNoSystemNamesTheRunDirectoryItTried() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let runDir = directory.file("run")
        let history = directory.file("h.jsonl")
        FileManager.default.createFile(atPath: history, contents: Data(#"{"key":"A-1","project":"A","title":"t","created":"2024-01-01T00:00:00Z"}"#.utf8))
        for (arguments, service) in [(["import", "--run-dir", runDir, "--tenant", "acme", history], "storage"),
                                     (["jira", "sync", "--run-dir", runDir, "--tenant", "acme"], "gateway"),
                                     (["backup", "--run-dir", runDir, "--output", directory.file("b.sqlite")], "storage"),
                                     (["skills", "detect", "--run-dir", runDir, "--title", "x"], "skills")] {
            let result = try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("no SmartTicket \(service) service answers in the run directory \(runDir): start the system with "
                                           + "`smart-ticket serve --run-dir \(runDir)`"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func everyCommandHasHelp() async throws {
        let commands = ["serve", "status", "import", "token", "replay", "whatif", "skills", "jira", "backup", "restore", "probe"]
        for arguments in [["--help"]] + commands.map({ [$0, "--help"] }) + [["token", "create", "--help"], ["token", "list", "--help"], ["token", "revoke", "--help"], ["skills", "detect", "--help"]] {
            let result = try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stdout.contains("Usage"), "\(arguments)")
        }
        for service in ServiceKind.allCases {
            let result = try await ProcessRunner.run(Executables.path(service.executableName), ["--help"])
            #expect(result.status == 0 && result.stdout.contains("--socket"), "\(service)")
        }
        let unknown = try await ProcessRunner.run(Executables.path("smart-ticket"), ["serve", "--bogus"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown option --bogus"))
        let bare = try await ProcessRunner.run(Executables.path("smart-ticket"), ["token"])
        #expect(bare.status == 2 && bare.stderr.contains("Run 'smart-ticket token create --help' for every option."), "\(bare.stderr)")
    }
}

/// A minimal HTTP GET over a real TCP connection.
func httpGet(_ url: String) async throws -> (status: Int, body: String) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
}
