import Contracts
import Foundation
import Posix
import RPC

/// Import, point reads and paged listing through a real storage process.
enum StorageBench {
    static func run(binDir: String, history: String, seconds: Double, emit: (BenchResult) -> Void) async throws {
        let system = try BenchServices(binDir: binDir, kinds: ["storage"], label: "sbench")
        defer { system.stop() }
        let socket = system.socket("storage")
        let client = RPCClient(service: "storage", socketPaths: [socket], defaultTimeout: 120)
        defer { client.close() }
        _ = try await client.call(StandardMethods.health, HealthCheckRequest(), timeout: 30)

        let parseStart = Monotonic.nanoseconds()
        let lines = try HistoryReader.read(path: history)
        let parseSeconds = Double(Monotonic.nanoseconds() - parseStart) / 1e9
        let importStart = Monotonic.nanoseconds()
        let summary = try await HistoryImporter(storage: client, tenant: "bench").run(lines)
        let importSeconds = Double(Monotonic.nanoseconds() - importStart) / 1e9
        emit(BenchResult(name: "storage.import", ops_per_s: Double(summary.created) / importSeconds,
                         note: String(format: "%d tickets in %.2f s through RPC, + %.2f s parsing the file", summary.created, importSeconds, parseSeconds)))
        let reimportStart = Monotonic.nanoseconds()
        let again = try await HistoryImporter(storage: client, tenant: "bench").run(lines)
        let reimportSeconds = Double(Monotonic.nanoseconds() - reimportStart) / 1e9
        emit(BenchResult(name: "storage.reimport", ops_per_s: Double(again.unchanged) / reimportSeconds,
                         note: String(format: "%d unchanged in %.2f s", again.unchanged, reimportSeconds)))

        let keys = lines.compactMap { try? $0.result.get().key }
        let metadata = Metadata(tenant: "bench")
        let read: @Sendable () async throws -> Void = {
            _ = try await client.call(StorageContract.getTicket, .init(keys.randomElement()!), metadata: metadata)
        }
        let page: @Sendable () async throws -> Void = {
            let cursor = Int64.random(in: 0..<Int64(max(1, keys.count - 100)))
            _ = try await client.call(StorageContract.listTickets,
                                      .init(project: "NUMPY", cursor: Data("v1:\(cursor)".utf8).base64EncodedString(), limit: 50),
                                      metadata: metadata)
        }
        for (name, call) in [("storage.get", read), ("storage.list50", page)] {
            emit(try await Load.sequential(name: "\(name).1", iterations: 3000, call))
            emit(try await Load.concurrent(name: "\(name).16", concurrency: 16, seconds: seconds, call))
        }
    }
}
