import Contracts
import Testing

@Suite struct DetectBinaryCodableTests {
    @Test func request() throws {
        try BinaryCodableCheck.check(Fixtures.detectRequest, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalDetectRequest, complete: false)
    }

    @Test func response() throws {
        try BinaryCodableCheck.check(Fixtures.detectResponse, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalDetectResponse, complete: false)
    }

    @Test func detectedSkill() throws {
        try BinaryCodableCheck.check(Fixtures.detectedSkill, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalDetectedSkill, complete: false)
    }
}
