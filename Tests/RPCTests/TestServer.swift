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
