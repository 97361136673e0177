#if canImport(Glibc)
import Glibc
#endif
import Posix
import Synchronization
import Wire

/// One server instance (one socket) and the client's connections to it: a small pool of multiplexed
/// ones, and the idle ones of blocking callers (``DirectConnection``).
final class ClientInstance: Sendable {
    /// Idle direct connections kept for the next blocking caller; more are closed when returned.
    static let maxIdleDirect = 64

    private struct State {
        var connections: [ClientConnection?]
        var idleDirect: [DirectConnection] = []
        var closed = false
        var downUntil: UInt64 = 0
        var backoff = Backoff(initial: 0.05, maximum: 2, multiplier: 2, jitter: 0.2)
        var next = 0
    }

    let path: String
    private let maxFrameSize: Int
    private let state: Mutex<State>

    init(path: String, connections: Int, maxFrameSize: Int) {
        self.path = path
        self.maxFrameSize = maxFrameSize
        self.state = Mutex(State(connections: Array(repeating: nil, count: max(1, connections))))
    }

    /// Whether the instance is in its backoff period after a failure.
    var isDown: Bool { state.withLock { $0.downUntil > Monotonic.nanoseconds() } }

    /// A live connection, connecting if needed; spreads calls over the pool by picking the less busy
    /// of the next connection slots. Throws ``NotSent`` if the instance cannot be reached.
    func connection() throws -> ClientConnection {
        try state.withLock { (state) throws -> ClientConnection in
            let count = state.connections.count
            let first = state.next % count
            state.next &+= 1
            // Prefer an open, idle connection; otherwise the least busy open one; otherwise connect.
            var best: (index: Int, load: Int)?
            for offset in 0..<count {
                let index = (first + offset) % count
                guard let connection = state.connections[index], !connection.isClosed else { continue }
                let load = connection.inFlight
                if load == 0 { return connection }
                if best == nil || load < best!.load { best = (index, load) }
            }
            if let best, best.load < 8 || state.connections.allSatisfy({ $0 != nil && !$0!.isClosed }) {
                return state.connections[best.index]!
            }
            let slot = state.connections.firstIndex { $0 == nil || $0!.isClosed } ?? first
            if state.downUntil > Monotonic.nanoseconds(), let best {
                return state.connections[best.index]!
            }
            do {
                let connection = try ClientConnection(path: path, maxFrameSize: maxFrameSize)
                state.connections[slot] = connection
                Self.reachable(&state)
                return connection
            } catch {
                throw unreachable(&state, error)
            }
        }
    }

    /// An idle direct connection (unless `fresh`), or a new one; throws ``NotSent`` if the instance
    /// cannot be reached. Give it back with ``returnDirect(_:)`` when its call ended cleanly, else
    /// close it.
    func directConnection(fresh: Bool = false) throws -> (connection: DirectConnection, reused: Bool) {
        if !fresh, let idle = state.withLock({ $0.idleDirect.popLast() }) { return (idle, true) }
        do {
            let connection = try DirectConnection(path: path, maxFrameSize: maxFrameSize)
            state.withLock { Self.reachable(&$0) }
            return (connection, false)
        } catch {
            throw state.withLock { unreachable(&$0, error) }
        }
    }

    /// Direct connections kept idle.
    var idleDirectCount: Int { state.withLock { $0.idleDirect.count } }

    /// Closes the idle direct connections: one of them found the server gone (restarted), so the
    /// others lead to the same dead end.
    func dropIdleDirect() {
        let idle = state.withLock { state -> [DirectConnection] in
            defer { state.idleDirect = [] }
            return state.idleDirect
        }
        for connection in idle { connection.close() }
    }

    /// Keeps `connection` for the next blocking caller (or closes it when enough are idle).
    func returnDirect(_ connection: DirectConnection) {
        let kept = state.withLock { state -> Bool in
            guard !state.closed, state.idleDirect.count < Self.maxIdleDirect else { return false }
            state.idleDirect.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    /// Marks the instance down (server said UNAVAILABLE) so calls go elsewhere for a while.
    func markDown() {
        state.withLock { Self.backOff(&$0) }
    }

    /// A connection attempt succeeded: the backoff is over.
    private static func reachable(_ state: inout State) {
        state.backoff.reset()
        state.downUntil = 0
    }

    /// The instance is down for the next backoff period.
    private static func backOff(_ state: inout State) {
        let delay = state.backoff.next()
        state.downUntil = Monotonic.nanoseconds() + UInt64(delay * 1e9)
    }

    /// A connection attempt failed with `error`: backs off and returns the error for the caller (safe to retry
    /// elsewhere). Only a refused connection or a missing socket say that no process serves the instance.
    private func unreachable(_ state: inout State, _ error: any Error) -> NotSent {
        Self.backOff(&state)
        let code = (error as? Errno)?.rawValue
        return NotSent(error: .unavailable("service at \(path.split(separator: "/").last ?? "") is unreachable"),
                       unreachable: code == ECONNREFUSED || code == ENOENT)
    }

    /// Closes every connection (direct ones in use are closed when returned).
    func close() {
        let (connections, direct) = state.withLock { state -> ([ClientConnection], [DirectConnection]) in
            defer {
                state.connections = Array(repeating: nil, count: state.connections.count)
                state.idleDirect = []
                state.closed = true
            }
            return (state.connections.compactMap { $0 }, state.idleDirect)
        }
        for connection in connections { connection.close() }
        for connection in direct { connection.close() }
    }
}
