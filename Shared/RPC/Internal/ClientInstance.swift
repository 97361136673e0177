import Posix
import Synchronization
import Wire

/// One server instance (one socket) and the client's small pool of connections to it.
final class ClientInstance: Sendable {
    private struct State {
        var connections: [ClientConnection?]
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
                state.backoff.reset()
                state.downUntil = 0
                return connection
            } catch {
                let delay = state.backoff.next()
                state.downUntil = Monotonic.nanoseconds() + UInt64(delay * 1e9)
                throw NotSent(error: .unavailable("service at \(path.split(separator: "/").last ?? "") is unreachable"))
            }
        }
    }

    /// Marks the instance down (server said UNAVAILABLE) so calls go elsewhere for a while.
    func markDown() {
        state.withLock { state in
            let delay = state.backoff.next()
            state.downUntil = Monotonic.nanoseconds() + UInt64(delay * 1e9)
        }
    }

    /// Closes every connection.
    func close() {
        let connections = state.withLock { state -> [ClientConnection] in
            defer { state.connections = Array(repeating: nil, count: state.connections.count) }
            return state.connections.compactMap { $0 }
        }
        for connection in connections { connection.close() }
    }
}
