import Contracts
import Foundation
import Lifecycle
import RPC

/// `smart-ticket status`: each instance's health; exit 0 only if every one is SERVING.
enum StatusCommand {
    static let spec = CommandSpec(
        name: "smart-ticket status", summary: "Show the health of every running SmartTicket service instance.",
        options: [
            .runDir,
            .init("json", help: "Print JSON instead of a table."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let runDirectory = parsed.runDirectory
        let client = LauncherClient(service: "launcher", socketPaths: [runDirectory.launcherSocket], connectionsPerInstance: 1)
        defer { client.close() }
        let status: LauncherContract.StatusResponse
        do {
            status = try await client.call(LauncherContract.status, .init(), timeout: 5)
        } catch {
            FileHandle.standardError.write(Data("smart-ticket status: no launcher answers in \(runDirectory.path) (\(error))\n".utf8))
            return 1
        }
        let allServing = status.instances.allSatisfy { $0.health == "SERVING" }
        if parsed.has("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print("SERVICE     INSTANCE  HEALTH        PID      UPTIME     RESTARTS")
            for instance in status.instances {
                let pid = instance.pid.map(String.init) ?? "-"
                print(pad(instance.service.rawValue, 12) + pad(String(instance.instance), 10) + pad(instance.health, 14)
                      + pad(pid, 9) + pad(String(format: "%.1fs", instance.uptimeSeconds), 11) + String(instance.restarts))
            }
            if let url = status.url { print("URL: \(url)") }
        }
        return allServing ? 0 : 1
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
