import Contracts
import Foundation
import Lifecycle
import RPC

/// `smart-ticket probe --socket PATH`: one service instance's health, for probes where no launcher supervises the
/// services (each container of the Kubernetes pod). Exit 0 when it answers SERVING; with `--live`, when it answers at
/// all (a service draining, or storage without its database, is alive: restarting it would not help); 1 otherwise.
enum ProbeCommand {
    static let spec = CommandSpec(
        name: "smart-ticket probe", summary: "Ask one service instance for its health over its socket (for container probes).",
        options: [
            .init("socket", value: "PATH", help: "The instance's socket (required), e.g. /run/smart-ticket/sockets/storage-0.sock."),
            .init("live", help: "Succeed when it answers at all (liveness), not only when SERVING (readiness)."),
            .init("timeout", value: "SECONDS", help: "How long to wait for the answer (default 2)."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let socket = try parsed.require("socket")
        let timeout = Double(parsed["timeout"] ?? "2") ?? 2
        let client = RPCClient(service: "probe", socketPaths: [socket], connectionsPerInstance: 1, defaultTimeout: timeout)
        defer { client.close() }
        let status: HealthCheckResponse.Status
        do {
            status = try await client.call(StandardMethods.health, HealthCheckRequest()).status
        } catch {
            FileHandle.standardError.write(Data("smart-ticket probe: no answer on \(socket) (\(error))\n".utf8))
            return 1
        }
        print(status.rawValue)
        return status == .serving || parsed.has("live") ? 0 : 1
    }
}
