import Testing
@testable import RPC

@Suite struct EnvelopeFormatTests {
    static let samples: [Envelope] = [
        Envelope(kind: .request, id: 42, method: "storage.v1/GetTicket", timeoutMicroseconds: 1_500_000,
                 metadata: Metadata(tenant: "acme", principal: "carol", traceID: "0af7651916cd43dd"), body: [1, 2, 3]),
        Envelope(kind: .request, id: .max, method: "x.v1/Y", timeoutMicroseconds: nil, metadata: Metadata(), body: []),
        Envelope(kind: .response, id: 7, status: 0, body: Array("payload".utf8)),
        Envelope(kind: .response, id: 8, status: RPCError.Code.notFound.rawValue, message: "ticket not found"),
        Envelope(kind: .cancel, id: 9),
    ]

    @Test(arguments: samples)
    func roundTrips(_ envelope: Envelope) throws {
        var bytes: [UInt8] = []
        EnvelopeFormat.append(envelope, to: &bytes)
        var expected = envelope
        if expected.kind == .request && expected.metadata == nil { expected.metadata = Metadata() }
        #expect(EnvelopeFormat.decode(bytes) == expected)
    }

    @Test func pinnedLayoutOfACancel() {
        var bytes: [UInt8] = []
        EnvelopeFormat.append(Envelope(kind: .cancel, id: 0x0102), to: &bytes)
        #expect(bytes == [3, 0x02, 0x01, 0, 0, 0, 0, 0, 0])
    }

    @Test func truncatedHeadersAndGarbageAreRejectedNotCrashed() {
        var bytes: [UInt8] = []
        EnvelopeFormat.append(Self.samples[0], to: &bytes)
        let headerLength = bytes.count - 3
        for cut in 0..<headerLength { #expect(EnvelopeFormat.decode(Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
        #expect(EnvelopeFormat.decode([9, 0, 0, 0, 0, 0, 0, 0, 0]) == nil)   // unknown kind
        #expect(EnvelopeFormat.decode([3, 1, 0, 0, 0, 0, 0, 0, 0, 99]) == nil)   // cancel with trailing bytes
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let garbage = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = EnvelopeFormat.decode(garbage)
        }
    }
}
