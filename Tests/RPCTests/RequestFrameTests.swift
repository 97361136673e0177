import Testing
import Wire
@testable import RPC

/// Request frames built once per call (body encoded in place, id and timeout stamped per attempt),
/// request envelopes read in place, and response headers written ahead of their body.
@Suite struct RequestFrameTests {
    private let metadata = Metadata(tenant: "acme", principal: "carol", traceID: "0af7651916cd43dd")

    /// The envelope of a whole frame (length prefix included), checking the prefix.
    private func envelope(ofFrame frame: [UInt8]) throws -> Envelope {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: frame)
        let body = try #require(try decoder.nextFrame())
        #expect(decoder.bufferedByteCount == 0)
        return try #require(EnvelopeFormat.decode(body))
    }

    @Test func aStampedRequestFrameDecodesAsTheEnvelopeItStandsFor() throws {
        var frame = try EnvelopeFormat.requestFrame(method: "storage.v1/GetTicket", metadata: metadata, maxFrameSize: 1 << 20) {
            $0.append(contentsOf: [1, 2, 3, 4, 5])
        }
        frame.stamp(id: 42, timeoutMicroseconds: 1_500_000)
        #expect(try envelope(ofFrame: frame.bytes) == Envelope(kind: .request, id: 42, method: "storage.v1/GetTicket",
                                                               timeoutMicroseconds: 1_500_000, metadata: metadata, body: [1, 2, 3, 4, 5]))
        // A retry on another connection restamps the same frame.
        frame.stamp(id: .max, timeoutMicroseconds: -1)
        #expect(try envelope(ofFrame: frame.bytes) == Envelope(kind: .request, id: .max, method: "storage.v1/GetTicket",
                                                               timeoutMicroseconds: nil, metadata: metadata, body: [1, 2, 3, 4, 5]))
    }

    @Test func aRequestFrameIsTheSameBytesAsTheEnvelopeFormat() throws {
        var frame = try EnvelopeFormat.requestFrame(method: "x.v1/Y", metadata: Metadata(traceID: "t"), maxFrameSize: 1 << 20) {
            $0.append(9)
        }
        frame.stamp(id: 7, timeoutMicroseconds: 1000)
        var expected: [UInt8] = []
        try FrameEncoder.appendFrame(to: &expected) { buffer in
            EnvelopeFormat.append(Envelope(kind: .request, id: 7, method: "x.v1/Y", timeoutMicroseconds: 1000,
                                           metadata: Metadata(traceID: "t"), body: [9]), to: &buffer)
        }
        #expect(frame.bytes == expected)
    }

    @Test func aRequestFrameOverTheLimitIsRefused() {
        #expect(throws: FrameError.self) {
            _ = try EnvelopeFormat.requestFrame(method: "x.v1/Y", metadata: Metadata(), maxFrameSize: 64) {
                $0.append(contentsOf: [UInt8](repeating: 1, count: 100))
            }
        }
    }

    @Test(arguments: EnvelopeFormatTests.samples.filter { $0.kind == .request })
    func aRequestViewReadsWhatDecodeReads(_ sample: Envelope) throws {
        var bytes: [UInt8] = []
        EnvelopeFormat.append(sample, to: &bytes)
        let decoded = try #require(EnvelopeFormat.decode(bytes))
        try bytes.withUnsafeBytes { raw in
            let view = try #require(EnvelopeFormat.requestView(raw))
            #expect(view.id == decoded.id)
            #expect(String(decoding: view.method, as: UTF8.self) == decoded.method)
            #expect(view.timeoutMicroseconds == decoded.timeoutMicroseconds)
            #expect(view.metadata == decoded.metadata)
            #expect(Array(view.body) == decoded.body)
        }
    }

    @Test func aRequestViewRejectsOtherKindsAndTruncatedHeaders() {
        var bytes: [UInt8] = []
        EnvelopeFormat.append(EnvelopeFormatTests.samples[0], to: &bytes)
        for cut in 0..<(bytes.count - 3) {
            #expect(Array(bytes.prefix(cut)).withUnsafeBytes { EnvelopeFormat.requestView($0) } == nil, "cut at \(cut)")
        }
        for sample in EnvelopeFormatTests.samples where sample.kind != .request {
            var other: [UInt8] = []
            EnvelopeFormat.append(sample, to: &other)
            #expect(other.withUnsafeBytes { EnvelopeFormat.requestView($0) } == nil)
        }
    }

    @Test func aResponseHeaderThenItsBodyDecodesAsTheResponse() throws {
        var frame: [UInt8] = []
        let start = FrameEncoder.beginFrame(&frame)
        EnvelopeFormat.appendResponseHeader(id: 8, status: RPCError.Code.notFound.rawValue, message: "ticket not found", to: &frame)
        try FrameEncoder.finishFrame(&frame, startingAt: start)
        #expect(try envelope(ofFrame: frame) == Envelope(kind: .response, id: 8, status: RPCError.Code.notFound.rawValue, message: "ticket not found"))

        var ok: [UInt8] = []
        let okStart = FrameEncoder.beginFrame(&ok)
        EnvelopeFormat.appendResponseHeader(id: 9, status: 0, message: nil, to: &ok)
        ok.append(contentsOf: Array("payload".utf8))
        try FrameEncoder.finishFrame(&ok, startingAt: okStart)
        #expect(try envelope(ofFrame: ok) == Envelope(kind: .response, id: 9, status: 0, body: Array("payload".utf8)))
    }

    @Test func finishingAFrameOverTheLimitRemovesIt() {
        var buffer: [UInt8] = [7, 7]
        let start = FrameEncoder.beginFrame(&buffer)
        buffer.append(contentsOf: [UInt8](repeating: 1, count: 10))
        #expect(throws: FrameError.frameTooLarge(declared: 10, limit: 5)) {
            try FrameEncoder.finishFrame(&buffer, startingAt: start, maxFrameSize: 5)
        }
        #expect(buffer == [7, 7])
    }
}
