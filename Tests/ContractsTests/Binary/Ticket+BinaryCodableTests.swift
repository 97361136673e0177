import Contracts
import TestSupport
import Testing

@Suite struct TicketBinaryCodableTests {
    @Test func ticket() throws {
        try BinaryCodableCheck.check(Fixtures.ticket, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalTicket, complete: false)
    }

    @Test func everyStatus() throws {
        for status in Ticket.Status.allCases {
            var ticket = Fixtures.minimalTicket
            ticket.status = status
            try BinaryCodableCheck.check(ticket, complete: false, corruptBytes: false)
        }
    }

    @Test func anUnknownStatusIsTheCodablePathsError() throws {
        var tree = try WireTree(parsing: BinaryCodableCheck.genericEncoder.encode(Fixtures.minimalTicket))
        var entries = tree.entries
        let index = try #require(entries.firstIndex { $0.key == Array("status".utf8) })
        entries[index].value = .leaf([7, 4] + Array("gone".utf8))
        tree = .keyed(entries)
        #expect(BinaryCodableCheck.fastValue(Ticket.self, tree.bytes) == nil)
        let error = BinaryCodableCheck.outcome(Ticket.self, tree.bytes, BinaryCodableCheck.decoder)
        #expect(error == BinaryCodableCheck.outcome(Ticket.self, tree.bytes, BinaryCodableCheck.genericDecoder))
        guard case .error(let description) = error else {
            Issue.record("an unknown status decoded")
            return
        }
        #expect(description.contains("status"))
    }
}
