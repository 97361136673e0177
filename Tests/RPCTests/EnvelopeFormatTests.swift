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

    @Test func decodesInPlaceLikeFromAnArray() throws {
        for envelope in Self.samples {
            var bytes: [UInt8] = []
            EnvelopeFormat.append(envelope, to: &bytes)
            #expect(bytes.withUnsafeBytes { EnvelopeFormat.decode($0) } == EnvelopeFormat.decode(bytes))
        }
    }

    @Test func stringsMustBeValidUTF8() throws {
        var valid: [UInt8] = []
        let accented = Envelope(kind: .request, id: 1, method: "x.v1/Y", timeoutMicroseconds: 5,
                                metadata: Metadata(tenant: "zürich-😀"), body: [9])
        EnvelopeFormat.append(accented, to: &valid)
        #expect(EnvelopeFormat.decode(valid)?.metadata?.tenant == "zürich-😀")
        // The tenant's UTF-8 is the last 13 header bytes before the one-byte body.
        let tenantStart = valid.count - 1 - "zürich-😀".utf8.count
        for (offset, bad) in [(0, 0xFF as UInt8), (2, 0xC3), (8, 0x80)] {
            var broken = valid
            broken[tenantStart + offset] = bad
            #expect(EnvelopeFormat.decode(broken) == nil, "byte \(offset) set to \(bad)")
        }
        // A truncated 4-byte sequence (which repairs to one U+FFFD of the same length) is caught too.
        var truncated: [UInt8] = []
        EnvelopeFormat.append(Envelope(kind: .response, id: 2, status: 1, message: "abc"), to: &truncated)
        truncated.replaceSubrange((truncated.count - 3)..., with: [0xF0, 0x9F, 0x98])
        #expect(EnvelopeFormat.decode(truncated) == nil)
    }
}
