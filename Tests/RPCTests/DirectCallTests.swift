import Dispatch
import Foundation
import Harness
import Observability
import Posix
import Synchronization
import Testing
import TestSupport
import Wire
@testable import RPC

/// Calls made alone from a thread that may block (as the gateway's HTTP connection threads) go over a
/// connection of the caller's own and wait in place; they must behave exactly like multiplexed calls.
@Suite struct DirectCallTests {
    @Test func onlyAClientMadeToWaitInPlaceBlocksItsCaller() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let suspending = RPCClient(service: "test", socketPaths: [served.server.socketPath])
        defer { suspending.close() }
        #expect(try await onBlockingThread { try await suspending.call(TestContract.add, .init(a: 1, b: 2)).sum } == 3)
        #expect(suspending.idleDirectConnections == 0)
        #expect(try await onBlockingThread { try await served.client.call(TestContract.add, .init(a: 1, b: 2)).sum } == 3)
        #expect(served.client.idleDirectConnections == 1)
    }

    @Test func aBlockingThreadCallsOnItsOwnConnectionWithTheSameAnswersAndStatuses() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client

        let sum = try await onBlockingThread { try await client.call(TestContract.add, .init(a: 40, b: 2)).sum }
        #expect(sum == 42)
        #expect(client.idleDirectConnections == 1)
        // Statuses come back as from a multiplexed call, and the connection is kept after them.
        await #expect(throws: RPCError(.unimplemented, "unknown method test.v1/Missing")) {
            try await onBlockingThread { _ = try await client.call(TestContract.missing, .init()) }
        }
        await #expect(throws: RPCError(.internalError, "internal error")) {
            try await onBlockingThread { _ = try await client.call(TestContract.crash, .init()) }
        }
        #expect(client.idleDirectConnections == 1)
        // A task on the cooperative pool never blocks: it uses the multiplexed connections.
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
        #expect(client.idleDirectConnections == 1)
    }

    @Test func manyBlockingThreadsAtOnceEachGetTheirOwnAnswers() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for thread in 0..<8 {
                group.addTask {
                    try await onBlockingThread {
                        var wrong = 0
                        for i in 0..<100 where try await client.call(TestContract.add, .init(a: thread, b: i * 10)).sum != thread + i * 10 {
                            wrong += 1
                        }
                        return wrong
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
        // Only calls alone went direct, one connection per blocking thread at most.
        #expect(client.idleDirectConnections <= 8)
    }

    @Test func aCallWhileOthersAreInFlightUsesTheMultiplexedConnections() async throws {
        let gate = Gate()
        let served = try ServedTestContract(gate: gate)
        defer { served.close() }
        let (server, client) = (served.server, served.client)
        let held = Task { try await client.call(TestContract.hold, .init(), timeout: 60) }
        try await eventually { server.inFlightCalls == 1 }
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 1, b: 2)).sum } == 3)
        #expect(client.idleDirectConnections == 0)
        gate.open()
        _ = try await held.value
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 2, b: 2)).sum } == 4)
        #expect(client.idleDirectConnections == 1)
    }

    @Test func aDeadlinePassedWhileWaitingFailsTheCall() async throws {
        let counter = CancellationCounter()
        let served = try ServedTestContract(counter: counter)
        defer { served.close() }
        let (server, client) = (served.server, served.client)
        // The handler would answer after 5 s; DEADLINE_EXCEEDED proves the caller did not wait for it.
        // (Either side may see the deadline first: the server answers it too.) The handler is cancelled.
        await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
            try await onBlockingThread { _ = try await client.call(TestContract.sleep, .init(milliseconds: 5000), timeout: 0.2) }
        }
        try await eventually { counter.value == 1 }
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 2, b: 3)).sum } == 5)
    }

    @Test func aConnectionWhoseAnswerIsLateIsClosedNotKept() async throws {
        // A peer that reads requests and never answers: only the caller's own deadline ends the call.
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let peer = try FakePeer(path: dir.file("mute.sock")) { connection in
            // Reads until the client closes its end: the request, then the end of the stream.
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var total = 0
            while let count = try? buffer.withUnsafeMutableBytes({ try connection.read(into: $0) }), count > 0 { total += count }
            return total
        }
        defer { peer.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("mute.sock")], blockingCallers: .waitInPlace)
        defer { client.close() }
        await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
            try await onBlockingThread { _ = try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 0.2) }
        }
        #expect(client.idleDirectConnections == 0)
        try await eventually { peer.results.count == 1 }
        #expect(peer.results[0] > 0)
    }

    @Test func aPeerClosingOrAnsweringGarbageFailsTheCallWithoutARetry() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let closing = try FakePeer(path: dir.file("closing.sock")) { connection in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            return (try? buffer.withUnsafeMutableBytes { try connection.read(into: $0) }) ?? 0
        }
        defer { closing.stop() }
        let garbage = try FakePeer(path: dir.file("garbage.sock")) { connection in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            let count = (try? buffer.withUnsafeMutableBytes { try connection.read(into: $0) }) ?? 0
            try? Socket.sendAll(connection, [0, 0, 0, 3, 0xFF, 0xFF, 0xFF])   // a frame that is no envelope
            return count
        }
        defer { garbage.stop() }

        // The request was sent, so it may have run: the loss is reported, not retried on a new connection.
        let lost = RPCClient(service: "test", socketPaths: [dir.file("closing.sock")], blockingCallers: .waitInPlace)
        defer { lost.close() }
        await #expect(throws: RPCError.connectionLost) {
            try await onBlockingThread { _ = try await lost.call(TestContract.add, .init(a: 1, b: 1), timeout: 5) }
        }
        #expect(lost.idleDirectConnections == 0)
        try await eventually { closing.results.count == 1 }

        let confused = RPCClient(service: "test", socketPaths: [dir.file("garbage.sock")], blockingCallers: .waitInPlace)
        defer { confused.close() }
        await #expect(throws: RPCError.internalError("malformed response frame")) {
            try await onBlockingThread { _ = try await confused.call(TestContract.add, .init(a: 1, b: 1), timeout: 5) }
        }
        #expect(confused.idleDirectConnections == 0)
        try await eventually { garbage.results.count == 1 }
    }

    @Test func aCallOutlastingTheWaitLeftByAShorterOneStillGetsItsAnswer() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        // A short call leaves its connection with a short receive timeout (a little under 0.3 s)...
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 0.3).sum } == 2)
        #expect(client.idleDirectConnections == 1)
        // ...which a longer call on that connection outlasts: it waits again, up to its own deadline.
        try await onBlockingThread { _ = try await client.call(TestContract.sleep, .init(milliseconds: 600), timeout: 30) }
        #expect(client.idleDirectConnections == 1)
    }

    @Test func anUndecodableOKBodyFailsTheCallInternalAndKeepsTheConnection() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // Answers every request OK with a body that is no message: the envelope is fine, the body is not.
        let peer = try FakePeer(path: dir.file("odd.sock")) { connection in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var answered = 0
            while let count = try? buffer.withUnsafeMutableBytes({ try connection.read(into: $0) }), count >= 13 {
                // Frame length (4), kind (1), then the request id (8): one request per read here.
                var frame: [UInt8] = [0, 0, 0, 0, 2] + buffer[5..<13] + [0, 0, 0, 0xFF]
                frame[3] = UInt8(frame.count - 4)
                try? Socket.sendAll(connection, frame)
                answered += 1
            }
            return answered
        }
        defer { peer.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("odd.sock")], blockingCallers: .waitInPlace)
        defer { client.close() }
        for _ in 0..<2 {
            await #expect(throws: RPCError.internalError("malformed response from test")) {
                try await onBlockingThread { _ = try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 5) }
            }
            // The server answered: the direct connection is as good as before and is kept.
            #expect(client.idleDirectConnections == 1)
        }
        // The multiplexed path reports it the same way.
        await #expect(throws: RPCError.internalError("malformed response from test")) {
            _ = try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 5)
        }
    }

    @Test func anAnswerFollowedByAConnectionFailureInTheSameReadIsStillTheAnswer() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // Answers the request, then fails the connection (id 0), in one write.
        let peer = try FakePeer(path: dir.file("both.sock")) { connection in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            let count = (try? buffer.withUnsafeMutableBytes { try connection.read(into: $0) }) ?? 0
            guard count >= 13 else { return 0 }
            let id = UInt64(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 5, as: UInt64.self) })
            var frames: [UInt8] = []
            let answer = FrameEncoder.beginFrame(&frames)
            EnvelopeFormat.appendResponseHeader(id: id, status: 0, message: nil, to: &frames)
            try? defaultMessageCodec.encode(TestContract.AddResponse(sum: 2), appendingTo: &frames)
            try? FrameEncoder.finishFrame(&frames, startingAt: answer, maxFrameSize: 1 << 20)
            let failure = FrameEncoder.beginFrame(&frames)
            EnvelopeFormat.appendResponseHeader(id: 0, status: RPCError.Code.resourceExhausted.rawValue, message: "frame too large", to: &frames)
            try? FrameEncoder.finishFrame(&frames, startingAt: failure, maxFrameSize: 1 << 20)
            try? Socket.sendAll(connection, frames)
            return count
        }
        defer { peer.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("both.sock")], blockingCallers: .waitInPlace)
        defer { client.close() }
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 5).sum } == 2)
    }

    @Test func keptConnectionsToARestartedServerAreReplacedWithoutFailingTheCall() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        let first = try startTestServer(path)
        let client = RPCClient(service: "test", socketPaths: [path], blockingCallers: .waitInPlace)
        defer { client.close() }
        // A connection kept idle, to the first server.
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 1, b: 1)).sum } == 2)
        #expect(client.idleDirectConnections == 1)
        first.stop()
        // While it is down, a call fails (UNAVAILABLE, or the deadline) instead of hanging.
        await #expect(throws: RPCError.self) {
            try await onBlockingThread { _ = try await client.call(TestContract.add, .init(a: 1, b: 2), timeout: 0.3) }
        }
        let second = try startTestServer(path)
        defer { second.stop() }
        #expect(try await onBlockingThread { try await client.call(TestContract.add, .init(a: 5, b: 6), timeout: 5).sum } == 11)
        #expect(client.idleDirectConnections == 1)
    }
}

/// A socket peer that is not an RPC server: each connection it accepts is handed to `behaviour` on
/// its own thread, then closed; what `behaviour` returns is kept in `results`.
private final class FakePeer: Sendable {
    private let listener: FileDescriptor
    private let done = Mutex<[Int]>([])

    init(path: String, _ behaviour: @escaping @Sendable (FileDescriptor) -> Int) throws {
        listener = try Socket.listenUnix(path: path)
        Thread { [self] in
            while let connection = try? Socket.accept(listener) {
                Thread {
                    let result = behaviour(connection)
                    connection.close()
                    self.done.withLock { $0.append(result) }
                }.start()
            }
        }.start()
    }

    /// What `behaviour` returned for each connection that ended.
    var results: [Int] { done.withLock { $0 } }

    func stop() {
        Socket.shutdown(listener)   // wakes the accepting thread
        listener.close()
    }
}
