import Foundation
import Testing
@testable import Posix

@Suite struct ChildProcessTests {
    @Test func decodesWaitStatuses() {
        #expect(TerminationStatus(waitStatus: 0) == .exited(0))
        #expect(TerminationStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(TerminationStatus(waitStatus: 9) == .signaled(9))
    }

    @Test func spawnsAndReportsTheExitCode() throws {
        let pid = try ChildProcess.spawn(path: "/bin/sh", arguments: ["-c", "exit 7"], environment: [:])
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(TerminationStatus(waitStatus: status) == .exited(7))
    }

    /// glibc's posix_spawn (since 2.24) reports a failed exec as its result, so `spawn` throws ENOENT and
    /// starts nothing; a child that exits 127 instead is a failure.
    @Test func missingExecutableIsAnErrno() {
        do {
            let pid = try ChildProcess.spawn(path: "/nonexistent/binary", arguments: [], environment: [:])
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            Issue.record("spawned pid \(pid) for a missing executable; it ended \(TerminationStatus(waitStatus: status))")
        } catch {
            #expect(error == .noSuchFileOrDirectory)
        }
    }

    @Test func unixSocketPathLimitIsEnforced() {
        let long = "/tmp/" + String(repeating: "x", count: Socket.maxUnixPathLength + 1)
        #expect(throws: Errno.nameTooLong) { try Socket.listenUnix(path: long) }
    }
}
