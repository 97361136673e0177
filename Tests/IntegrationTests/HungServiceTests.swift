import Contracts
import Foundation
import Harness
import Testing

/// The launcher notices a child that stops answering (here paused with SIGSTOP, as a deadlock or a stuck loop would
/// look): after `health.failures` unanswered checks it kills the child, and the usual restart brings it back.
@Suite(.serialized) struct HungServiceTests {
    @Test func aPausedServiceIsKilledAndRestarted() async throws {
        let system = try await RunningSystem(environment: ["SMART_TICKET_HEALTH_INTERVAL_SECONDS": "0.5", "SMART_TICKET_HEALTH_FAILURES": "2"])
        defer { system.directory.remove() }
        let victim = try #require(try await system.status().instances.first { $0.service == .scoring })
        let pid = try #require(victim.pid)
        #expect(victim.health == "SERVING" && victim.restarts == 0)
        kill(pid, SIGSTOP)
        var back: LauncherContract.InstanceStatus?
        let paused = Date()
        while back == nil && Date().timeIntervalSince(paused) < 60 {
            if let status = try? await system.status(timeout: 1), let now = status.instances.first(where: { $0.service == .scoring }),
               now.health == "SERVING", let newPid = now.pid, newPid != pid {
                back = now
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let restarted = try #require(back, "the paused scoring service was not replaced")
        #expect(restarted.restarts == 1)
        #expect(kill(pid, 0) != 0, "the paused process is gone")
        let log = (try? String(contentsOfFile: system.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("child stopped answering; killing it to restart it"))
        // The others were never touched.
        #expect(try await system.status().instances.filter { $0.service != .scoring }.allSatisfy { $0.restarts == 0 && $0.health == "SERVING" })
        _ = await system.stop()
    }
}
