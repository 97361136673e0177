import Observability
import Wire

/// A client of one service, typed by `Service`, the type that declares the service's contract (for
/// example `StorageContract`, with `StorageClient` its name for `ServiceClient<StorageContract>`).
///
/// It calls only the ``ServiceMethod``s of its own service: calling a scoring method on a storage
/// client does not compile. It forwards to an ``RPCClient`` with the same arguments, so calls read and
/// behave as they do on one (retries, deadlines, and direct calls from blocking threads when made with ``BlockingCallers/waitInPlace``); ``StandardMethods``
/// (health, info, echo) are called on ``rpc``, the untyped client underneath.
public struct ServiceClient<Service>: Sendable {
    /// The untyped client: for ``StandardMethods`` and code that handles every service alike.
    public let rpc: RPCClient

    /// Types `rpc` as a client of `Service`.
    public init(_ rpc: RPCClient) { self.rpc = rpc }

    /// A client of `Service` reachable at `socketPaths` (one per instance); the arguments are ``RPCClient``'s.
    public init(
        service: String, socketPaths: [String], connectionsPerInstance: Int = 2,
        codec: any MessageCodec = defaultMessageCodec, defaultTimeout: Double = 10,
        maxFrameSize: Int = 4 << 20, metrics: MetricsRegistry? = nil, blockingCallers: BlockingCallers = .suspend,
        instanceChoice: InstanceChoice = .roundRobin
    ) {
        self.rpc = RPCClient(service: service, socketPaths: socketPaths, connectionsPerInstance: connectionsPerInstance,
                             codec: codec, defaultTimeout: defaultTimeout, maxFrameSize: maxFrameSize, metrics: metrics,
                             blockingCallers: blockingCallers, instanceChoice: instanceChoice)
    }

    /// A client of `Service`'s handlers registered on `router`, called in this process: for unit tests of a service's
    /// handlers without sockets (see ``RPCClient/init(service:router:codec:defaultTimeout:logger:)``).
    public init(service: String, router: Router, codec: any MessageCodec = defaultMessageCodec, defaultTimeout: Double = 10) {
        self.rpc = RPCClient(service: service, router: router, codec: codec, defaultTimeout: defaultTimeout)
    }

    /// The service name, for logs and errors.
    public var service: String { rpc.service }

    /// How many instances the client calls.
    public var instanceCount: Int { rpc.instanceCount }

    /// ``RPCClient/call(_:_:metadata:timeout:deadline:)`` for a method of this service.
    @inlinable
    public func call<Request, Response>(
        _ method: ServiceMethod<Service, Request, Response>, _ request: Request,
        metadata: Metadata = Metadata(), timeout: Double? = nil, deadline: Deadline? = nil
    ) async throws -> Response {
        try await rpc.call(method.descriptor, request, metadata: metadata, timeout: timeout, deadline: deadline)
    }

    /// ``RPCClient/callEveryInstance(_:_:metadata:timeout:only:)`` for a method of this service.
    @inlinable
    public func callEveryInstance<Request, Response>(
        _ method: ServiceMethod<Service, Request, Response>, _ request: Request, metadata: Metadata = Metadata(),
        timeout: Double? = nil, only: [Int]? = nil
    ) async throws -> [Int: InstanceReply<Response>] {
        try await rpc.callEveryInstance(method.descriptor, request, metadata: metadata, timeout: timeout, only: only)
    }

    /// Closes every connection.
    public func close() { rpc.close() }
}
