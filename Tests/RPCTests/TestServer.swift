import Harness
import Observability
import TestSupport
@testable import RPC

/// Starts, in this process, an RPC server answering `TestContract` on `path`.
func startTestServer(_ path: String, instance: Int = 0, counter: CancellationCounter = CancellationCounter(),
                     gate: Gate = Gate()) throws -> RPCServer {
    let server = RPCServer(socketPath: path, router: TestContract.router(cancellations: counter, gate: gate),
                           identity: .init(service: "test", version: "1", instance: instance),
                           logger: Logger(label: "test", sink: .discard))
    try server.start()
    return server
}

/// A `TestContract` server on a socket in a fresh directory, and a client of it: the set-up most
/// RPC tests share. ``close()`` closes the client, stops the server and removes the directory.
struct ServedTestContract {
    let directory = TemporaryDirectory()
    let server: RPCServer
    let client: RPCClient

    init(counter: CancellationCounter = CancellationCounter(), gate: Gate = Gate(), connectionsPerInstance: Int = 2,
         maxFrameSize: Int = 4 << 20) throws {
        let path = directory.file("a.sock")
        do {
            server = try startTestServer(path, counter: counter, gate: gate)
        } catch {
            directory.remove()
            throw error
        }
        // Calls that are not about deadlines get a minute (every deadline test passes its own timeout): on a loaded
        // machine the test run's other work may hold the cooperative pool's few threads for seconds.
        client = RPCClient(service: "test", socketPaths: [path], connectionsPerInstance: connectionsPerInstance, defaultTimeout: 60,
                           maxFrameSize: maxFrameSize, blockingCallers: .waitInPlace)
    }

    func close() {
        client.close()
        server.stop()
        directory.remove()
    }
}
