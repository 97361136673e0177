import Foundation
import RPC
import Testing

@Suite struct EchoMessageBinaryCodableTests {
    @Test func echo() throws {
        try BinaryCodableCheck.check(Fixtures.echo, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalEcho, complete: false)
        try BinaryCodableCheck.check(EchoMessage.Skill(name: "go", weight: 0.5, source: "taxonomy"), complete: true)
    }

    /// The message the benchmarks send, whole (not every byte corrupted: it is 1.7 KB).
    @Test func benchmarkSample() throws {
        try BinaryCodableCheck.check(EchoMessage.sample(), complete: true, corruptBytes: false)
    }
}
