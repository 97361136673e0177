import Foundation
import JSONKit
import Testing

/// `JSONWriter.number` prints scores and factors without `Double.description`; the text must be the
/// same as `JSONEncoder` writes for every double, on and off the fast path.
@Suite struct JSONWriterNumberTests {
    private func written(_ value: Double) throws -> String {
        var writer = JSONWriter()
        try writer.number(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func encoded(_ value: Double) throws -> String {
        String(decoding: try JSONEncoder().encode([value]), as: UTF8.self).dropFirst().dropLast().description
    }

    @Test func edgesOfTheFastPathMatchJSONEncoder() throws {
        let values: [Double] = [0, -0.0, 1, -1, 0.5, -0.25, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 0.0001, 0.00012, 0.0000999, 0.00001,
                                1e-7, 0.999999, 0.9999999, 1.000001, 123456.5, 999_999_999.999999, 1e9, 1e9 + 0.5, 123456789.123456,
                                4503599627370496.5, 1e15, 9_007_199_254_740_991, 9_007_199_254_740_992, 9_007_199_254_740_994, 9.5e15, 1e16, -1e15, 1e20, -1e20, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                0.1667, 0.0489, 0.91, 0.4311, 42.000001, 2.5e-12]
        for value in values {
            let (a, b) = (try written(value), try encoded(value)); #expect(a == b, "\(value): \(a) vs \(b)")
        }
    }

    @Test func roundedAndArbitraryValuesMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        for places in 0...8 {
            let scale = pow(10, Double(places))
            for _ in 0..<2_000 {
                let raw = Double.random(in: -1_000...1_000, using: &generator) * (Bool.random(using: &generator) ? 1 : 0.001)
                let value = (raw * scale).rounded() / scale
                let (a, b) = (try written(value), try encoded(value)); #expect(a == b, "\(value): \(a) vs \(b)")
            }
        }
        for _ in 0..<5_000 {
            let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            guard value.isFinite else { continue }
            let (a, b) = (try written(value), try encoded(value)); #expect(a == b, "\(value): \(a) vs \(b)")
        }
    }

    @Test func integersAreWrittenWithoutAFraction() throws {
        var writer = JSONWriter()
        for value: Int64 in [0, 7, -7, 10, 1234567890, -9_223_372_036_854_775_807, .min, .max] {
            writer.integer(value)
            writer.raw(" ")
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self)
                == "0 7 -7 10 1234567890 -9223372036854775807 -9223372036854775808 9223372036854775807 ")
    }
}
