import Contracts
import Testing

@Suite struct RankRequestBinaryCodableTests {
    @Test func request() throws {
        try BinaryCodableCheck.check(Fixtures.rankRequest, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalRankRequest, complete: false)
    }

    @Test func openTicket() throws {
        try BinaryCodableCheck.check(Fixtures.openTicket, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalOpenTicket, complete: false)
    }
}
