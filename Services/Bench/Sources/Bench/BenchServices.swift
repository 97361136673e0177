import Foundation
import Lifecycle
import Posix

/// Service processes a benchmark starts in a private run directory, with their sockets where the
/// services look for each other (`sockets/KIND-0.sock`) and a private data directory; stopped with
/// SIGTERM in reverse start order.
struct BenchServices {
    let directory: String
    /// The services' process ids, in start order.
    let processIDs: [pid_t]

    init(binDir: String, kinds: [String], label: String) throws {
        directory = NSTemporaryDirectory() + "st-\(label)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/sockets", withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["SMART_TICKET_DATA_DIR"] = directory + "/data"
        // The services follow the bench: they exit when it does, however it ends.
        let handed = Supervision.handing(ready: nil)
        environment.merge(handed.environment) { _, handed in handed }
        var pids: [pid_t] = []
        for kind in kinds {
            pids.append(try ChildProcess.spawn(
                path: binDir + "/smart-ticket-\(kind)",
                arguments: ["--socket", directory + "/sockets/\(kind)-0.sock", "--run-dir", directory, "--log-level", "warning"],
                environment: environment, passing: handed.passing))
        }
        processIDs = pids
    }

    /// The socket of `kind`'s instance.
    func socket(_ kind: String) -> String { directory + "/sockets/\(kind)-0.sock" }

    func stop() {
        for pid in processIDs.reversed() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
