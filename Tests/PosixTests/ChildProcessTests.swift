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

    @Test func missingExecutableIsAnErrno() {
        #expect(throws: Errno.self) {
            let pid = try ChildProcess.spawn(path: "/nonexistent/binary", arguments: [], environment: [:])
            // glibc may report the failure as exit 127 of the child instead
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw Errno.noSuchFileOrDirectory
        }
    }

    @Test func unixSocketPathLimitIsEnforced() {
        let long = "/tmp/" + String(repeating: "x", count: Socket.maxUnixPathLength + 1)
        #expect(throws: Errno.nameTooLong) { try Socket.listenUnix(path: long) }
    }
}
