import Synchronization
import Testing
@testable import GatewayService

@Suite struct SkillVocabulariesTests {
    final class Clock: Sendable {
        let nanoseconds = Atomic<UInt64>(1_000)
        func advance(seconds: Double) { nanoseconds.add(UInt64(seconds * 1e9), ordering: .relaxed) }
    }

    @Test func aVocabularyIsTrustedForMaxAgeAfterItWasSeen() {
        let clock = Clock()
        let vocabularies = SkillVocabularies(now: { clock.nanoseconds.load(ordering: .relaxed) })
        #expect(vocabularies.current(tenant: "acme") == nil)
        vocabularies.saw("v1", tenant: "acme")
        #expect(vocabularies.current(tenant: "acme") == "v1")
        #expect(vocabularies.current(tenant: "other") == nil)
        clock.advance(seconds: SkillVocabularies.maxAge - 0.5)
        #expect(vocabularies.current(tenant: "acme") == "v1")
        clock.advance(seconds: 1)
        #expect(vocabularies.current(tenant: "acme") == nil, "too old to trust")
        vocabularies.saw("v2", tenant: "acme")
        #expect(vocabularies.current(tenant: "acme") == "v2")
        vocabularies.forget(tenant: "acme")
        #expect(vocabularies.current(tenant: "acme") == nil)
    }
}
