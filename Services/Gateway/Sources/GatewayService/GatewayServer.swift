import Contracts
import HTTP
import Foundation
import Lifecycle
import Observability
import RPC

/// The gateway service: the HTTP edge in front of the internal services.
public enum GatewayServer {
    /// The service for `ServiceRunner`: starts the HTTP listener once the RPC socket is up.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        var configuration = setup.configuration
        if let port = setup.arguments["http-port"] { try configuration.set("http.port", port) }
        let runDirectory = RunDirectory(path: configuration.runDir)
        let backends = ServiceKind.allCases.filter { $0 != .gateway }.map { kind in
            (kind, RPCClient(service: kind.rawValue, socketPaths: runDirectory.sockets(kind, count: configuration.instances(of: kind)),
                             connectionsPerInstance: configuration.rpcConnectionsPerInstance,
                             defaultTimeout: configuration.rpcTimeoutSeconds, maxFrameSize: configuration.rpcMaxFrameBytes,
                             metrics: setup.metrics))
        }
        let routes = Routes(backends: backends, metrics: setup.metrics, logger: setup.logger)
        let http = HTTPServer(logger: setup.logger) { request in await routes.handle(request) }
        let host = configuration.httpHost
        let port = UInt16(configuration.httpPort)
        return ServiceRunner.Service(
            router: Router(),
            onStarted: { server in
                let bound = try http.start(host: host, port: port)
                let url = "http://\(host):\(bound)/"
                server.setDetail("url", url)
                setup.logger.info("http listening", ["url": .string(url)])
            },
            onStopping: {
                routes.beginDraining()
                http.stop()
            })
    }
}
