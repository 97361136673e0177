import Testing
@testable import Wire

@Suite struct FrameDecoderTests {
    private func frames(_ bodies: [[UInt8]]) -> [UInt8] {
        bodies.flatMap { FrameEncoder.frame($0) }
    }

    private let bodies: [[UInt8]] = [
        Array("hello".utf8), [], Array(repeating: 0xAB, count: 300), Array("last frame".utf8),
    ]

    @Test func decodesWholeStreamInOneChunk() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: frames(bodies))
        var out: [[UInt8]] = []
        while let frame = try decoder.nextFrame() { out.append(frame) }
        #expect(out == bodies)
        try decoder.finish()
    }

    @Test func everySplitOffsetDecodesTheSame() throws {
        let stream = frames(bodies)
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            var out: [[UInt8]] = []
            decoder.append(contentsOf: stream[0..<split])
            while let frame = try decoder.nextFrame() { out.append(frame) }
            decoder.append(contentsOf: stream[split...])
            while let frame = try decoder.nextFrame() { out.append(frame) }
            #expect(out == bodies, "split at \(split)")
            try decoder.finish()
        }
    }

    @Test func byteByByteDecodesTheSame() throws {
        var decoder = FrameDecoder()
        var out: [[UInt8]] = []
        for byte in frames(bodies) {
            decoder.append(contentsOf: [byte])
            while let frame = try decoder.nextFrame() { out.append(frame) }
        }
        #expect(out == bodies)
    }

    @Test(arguments: [UInt32(0xFFFF_FFFF), UInt32(4 << 20) + 1, UInt32(1 << 31)])
    func oversizedLengthIsRejectedFromTheHeaderAlone(length: UInt32) {
        var decoder = FrameDecoder(maxFrameSize: 4 << 20)
        decoder.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        #expect(throws: FrameError.frameTooLarge(declared: UInt64(length), limit: 4 << 20)) { try decoder.nextFrame() }
        // Nothing beyond the four header bytes was buffered or allocated for the body.
        #expect(decoder.bufferedByteCount == 4)
    }

    @Test func frameAtExactlyTheLimitIsAccepted() throws {
        var decoder = FrameDecoder(maxFrameSize: 16)
        decoder.append(contentsOf: FrameEncoder.frame(Array(repeating: 7, count: 16)))
        #expect(try decoder.nextFrame() == Array(repeating: 7, count: 16))
    }

    @Test func truncatedFrameThenEndOfStreamIsAnError() throws {
        let stream = FrameEncoder.frame(Array("complete".utf8)) + Array(FrameEncoder.frame(Array("cut short".utf8)).prefix(7))
        var decoder = FrameDecoder()
        decoder.append(contentsOf: stream)
        #expect(try decoder.nextFrame() == Array("complete".utf8))
        #expect(try decoder.nextFrame() == nil)
        #expect(throws: FrameError.truncated(bufferedBytes: 7)) { try decoder.finish() }
    }

    @Test func truncatedHeaderThenEndOfStreamIsAnError() {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0])
        #expect(throws: FrameError.truncated(bufferedBytes: 2)) { try decoder.finish() }
    }

    @Test func garbageNeverCrashesAndNeverExceedsTheLimit() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            var decoder = FrameDecoder(maxFrameSize: 1024)
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            decoder.append(contentsOf: bytes)
            do {
                while let frame = try decoder.nextFrame() { #expect(frame.count <= 1024) }
            } catch {
                guard case .frameTooLarge(let declared, let limit) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(declared > UInt64(limit))
            }
        }
    }

    @Test func encoderRefusesBodiesOverTheLimitAndLeavesTheBufferAlone() {
        var buffer: [UInt8] = [1, 2, 3]
        #expect(throws: FrameError.frameTooLarge(declared: 11, limit: 10)) {
            try FrameEncoder.appendFrame(to: &buffer, maxFrameSize: 10) { $0.append(contentsOf: Array(repeating: 0, count: 11)) }
        }
        #expect(buffer == [1, 2, 3])
    }

    @Test func encoderBackPatchesTheLength() throws {
        var buffer: [UInt8] = []
        try FrameEncoder.appendFrame(to: &buffer) { $0.append(contentsOf: Array(repeating: 9, count: 258)) }
        #expect(Array(buffer.prefix(4)) == [0, 0, 1, 2])
        #expect(buffer.count == 262)
    }
}

/// A small deterministic generator for repeatable random inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FrameDecoderInPlaceTests {
    private let bodies: [[UInt8]] = [Array("one".utf8), [], Array(repeating: 0x5A, count: 700), Array("two".utf8)]

    @Test func inPlaceFramesMatchCopiedFramesAtEverySplit() throws {
        let stream = bodies.flatMap { FrameEncoder.frame($0) }
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            var out: [[UInt8]] = []
            decoder.append(contentsOf: stream[0..<split])
            while let frame = try decoder.withNextFrame({ Array($0) }) { out.append(frame) }
            decoder.append(contentsOf: stream[split...])
            while let frame = try decoder.withNextFrame({ Array($0) }) { out.append(frame) }
            #expect(out == bodies, "split at \(split)")
            try decoder.finish()
        }
    }

    @Test func inPlaceReadRejectsOversizedFramesBeforeBuffering() throws {
        var decoder = FrameDecoder(maxFrameSize: 16)
        decoder.append(contentsOf: [0, 0, 0, 17])
        #expect(throws: FrameError.frameTooLarge(declared: 17, limit: 16)) { try decoder.withNextFrame { $0.count } }
        var whole = FrameDecoder(maxFrameSize: 16)
        whole.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: FrameError.frameTooLarge(declared: 0xFFFF_FFFF, limit: 16)) { try whole.withNextFrame { $0.count } }
    }
}

@Suite struct FrameDecoderConsumeTests {
    private let bodies: [[UInt8]] = [Array("one".utf8), [], Array(repeating: 0x5A, count: 700), Array("two".utf8)]

    /// Feeds `chunks` through `consume`: the frames handed over, each with its `more` flag.
    private func consume(_ chunks: [ArraySlice<UInt8>], decoder: inout FrameDecoder) throws -> [(body: [UInt8], more: Bool)] {
        var out: [(body: [UInt8], more: Bool)] = []
        for chunk in chunks {
            try Array(chunk).withUnsafeBytes { bytes in
                try decoder.consume(bytes) { frame, more in out.append((Array(frame), more)) }
            }
        }
        return out
    }

    @Test func everySplitInTwoChunksGivesTheFramesInOrderAndTellsWhetherMoreFollow() throws {
        let stream = bodies.flatMap { FrameEncoder.frame($0) }
        let ends = bodies.map { FrameEncoder.frame($0).count }.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            let out = try consume([stream[0..<split], stream[split...]], decoder: &decoder)
            #expect(out.map(\.body) == bodies, "split at \(split)")
            // A frame has more after it when the next frame ended within the same chunk.
            let expected = ends.indices.map { index -> Bool in
                guard index + 1 < ends.count else { return false }
                let chunkEnd = ends[index] <= split ? split : stream.count
                return ends[index + 1] <= chunkEnd
            }
            #expect(out.map(\.more) == expected, "split at \(split)")
            #expect(decoder.bufferedByteCount == 0)
            try decoder.finish()
        }
    }

    @Test func byteByByteConsumesTheSame() throws {
        let stream = bodies.flatMap { FrameEncoder.frame($0) }
        var decoder = FrameDecoder()
        let out = try consume(stream.indices.map { stream[$0...$0] }, decoder: &decoder)
        #expect(out.map(\.body) == bodies)
        #expect(out.allSatisfy { !$0.more })
    }

    @Test func aPartialFrameIsKeptForTheNextChunkAndReportedAtTheEnd() throws {
        let stream = FrameEncoder.frame(Array("whole".utf8)) + FrameEncoder.frame(Array("partial".utf8)).dropLast(2)
        var decoder = FrameDecoder()
        let out = try consume([stream[...]], decoder: &decoder)
        #expect(out.map(\.body) == [Array("whole".utf8)])
        #expect(out.map(\.more) == [false])
        #expect(decoder.bufferedByteCount == 4 + 5)
        #expect(throws: FrameError.truncated(bufferedBytes: 9)) { try decoder.finish() }
    }

    @Test func anOversizedLengthAfterAFrameIsThrownOnceThatFrameWasHandedOver() throws {
        let stream = FrameEncoder.frame(Array("ok".utf8)) + [0, 0, 0, 17]
        var handed: [[UInt8]] = []
        var flags: [Bool] = []
        var again = FrameDecoder(maxFrameSize: 16)
        #expect(throws: FrameError.frameTooLarge(declared: 17, limit: 16)) {
            try stream.withUnsafeBytes { bytes in
                try again.consume(bytes) { frame, more in
                    handed.append(Array(frame))
                    flags.append(more)
                }
            }
        }
        #expect(handed == [Array("ok".utf8)])
        #expect(flags == [true])
        // From the buffered path too, and without buffering more than the header.
        var buffered = FrameDecoder(maxFrameSize: 16)
        buffered.append(contentsOf: [0xFF, 0xFF])
        #expect(throws: FrameError.frameTooLarge(declared: 0xFFFF_FFFF, limit: 16)) {
            try [UInt8]([0xFF, 0xFF]).withUnsafeBytes { bytes in try buffered.consume(bytes) { _, _ in } }
        }
        #expect(buffered.bufferedByteCount == 4)
    }
}
