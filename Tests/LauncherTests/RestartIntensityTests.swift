import Testing
@testable import Launcher

@Suite struct RestartIntensityTests {
    /// Records restarts at `times` and returns whether each was allowed.
    private func record(_ intensity: inout RestartIntensity, _ times: [Double]) -> [Bool] {
        times.map { intensity.recordRestart(at: $0) }
    }

    @Test func allowsUpToTheLimitWithinTheWindow() {
        var intensity = RestartIntensity(maxRestarts: 5, window: 10)
        #expect(record(&intensity, [0, 1, 2, 3, 4, 5]) == [true, true, true, true, true, false])
    }

    @Test func restartsOutsideTheWindowDoNotCount() {
        var intensity = RestartIntensity(maxRestarts: 2, window: 10)
        // The restart at 0 has left the window by 10.5.
        #expect(record(&intensity, [0, 5, 10.5]) == [true, true, true])
        #expect(intensity.recentRestarts == 2)
        #expect(record(&intensity, [11]) == [false])
    }

    @Test func zeroMeansNoRestarts() {
        var intensity = RestartIntensity(maxRestarts: 0, window: 10)
        #expect(record(&intensity, [1]) == [false])
    }
}
