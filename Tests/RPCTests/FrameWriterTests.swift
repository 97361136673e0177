import Foundation
import Posix
import Testing
@testable import RPC
import Wire

@Suite struct FrameWriterTests {
    /// A connected pair of Unix stream sockets; the peer end is non-blocking so a test can see
    /// that nothing has arrived yet.
    private func socketPair() throws -> (writer: FileDescriptor, peer: FileDescriptor) {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        #expect(fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK) == 0)
        return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
    }

    /// Everything readable on `fd` right now (non-blocking).
    private func drain(_ fd: FileDescriptor) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd.rawValue, $0.baseAddress, $0.count) }
            if count <= 0 { return out }
            out.append(contentsOf: buffer[0..<count])
        }
    }

    @Test func heldFramesWaitForReleaseThenLeaveTogetherInOrder() throws {
        let (fd, peer) = try socketPair()
        defer { peer.close() }
        let writer = FrameWriter(fd: fd)
        defer { writer.close() }
        let frames = (0..<3).map { FrameEncoder.frame(Array("answer \($0)".utf8)) }

        writer.hold()
        for frame in frames { try writer.send(frame) }
        #expect(drain(peer).isEmpty)
        try writer.release()
        #expect(drain(peer) == frames.flatMap { $0 })

        // Released: a send goes out at once again.
        try writer.send(frames[0])
        #expect(drain(peer) == frames[0])
        // Releasing with nothing held is harmless.
        try writer.release()
        #expect(drain(peer).isEmpty)
    }

    @Test func aClosedWriterRefusesSendsAndDropsWhatWasHeld() throws {
        let (fd, peer) = try socketPair()
        defer { peer.close() }
        let writer = FrameWriter(fd: fd)
        writer.hold()
        try writer.send(FrameEncoder.frame([1, 2, 3]))
        writer.close()
        try writer.release()
        #expect(drain(peer).isEmpty)
        #expect(throws: Errno.self) { try writer.send(FrameEncoder.frame([4])) }
    }
}
