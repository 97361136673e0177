import Foundation
import TestSupport
import Testing
@testable import Wire

/// The checks every `BinaryCodable` conformance must pass: its bytes are the `Codable` path's, it
/// reads them back (in any key order, with unknown keys), and on altered input (a key removed, a
/// value of another kind, truncated or corrupted bytes) it never takes what `Codable` refuses, so
/// `BinaryDecoder` answers exactly as the `Codable` path does, error and coding path included.
enum BinaryCodableCheck {
    /// What decoding some bytes gave: the value (its canonical encoding) or the error's description.
    enum Outcome: Equatable, CustomStringConvertible {
        case value([UInt8])
        case error(String)

        var description: String {
            switch self {
            case .value(let bytes): return "a value (canonical encoding \(bytes.count) bytes, hash \(bytes.hashValue))"
            case .error(let error): return "error \(error)"
            }
        }
    }

    static let encoder = BinaryEncoder()
    static let genericEncoder: BinaryEncoder = {
        var encoder = BinaryEncoder()
        encoder.useBinaryCodable = false
        return encoder
    }()
    static let decoder = BinaryDecoder()
    static let genericDecoder: BinaryDecoder = {
        var decoder = BinaryDecoder()
        decoder.useBinaryCodable = false
        return decoder
    }()

    /// `value`'s `Codable` encoding with every keyed container's entries sorted: equal for equal values
    /// whatever their dictionaries' order (and bit for bit, NaN included).
    static func canonical<T: Encodable>(_ value: T) -> [UInt8] {
        guard let bytes = try? genericEncoder.encode(value), let tree = try? WireTree(parsing: bytes) else {
            Issue.record("\(T.self) does not encode")
            return []
        }
        return tree.sortingKeys.bytes
    }

    static func outcome<T: BinaryCodable>(_ type: T.Type, _ bytes: [UInt8], _ decoder: BinaryDecoder) -> Outcome {
        do {
            return .value(canonical(try decoder.decode(type, from: bytes)))
        } catch {
            return .error(String(describing: error))
        }
    }

    /// `value` encoded by its `BinaryCodable` conformance alone.
    static func fastEncode<T: BinaryCodable>(_ value: T) throws -> [UInt8] {
        try encoder.encodeBinaryCodable(value)
    }

    /// `bytes` decoded by `T`'s `BinaryCodable` conformance alone (no fallback).
    static func fastDecode<T: BinaryCodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try decoder.decodeBinaryCodable(type, from: bytes)
    }

    /// The value read by the `BinaryCodable` path alone (no fallback), or nil if it threw.
    static func fastValue<T: BinaryCodable>(_ type: T.Type, _ bytes: [UInt8]) -> [UInt8]? {
        (try? decoder.decodeBinaryCodable(type, from: bytes)).map { canonical($0) }
    }

    /// Decoding `bytes` answers the same with and without the `BinaryCodable` path, and that path
    /// alone takes them only if the `Codable` path does, to the same value.
    static func expectAgreement<T: BinaryCodable>(_ type: T.Type, _ bytes: [UInt8], _ what: @autoclosure () -> String,
                                                  sourceLocation: SourceLocation) {
        let generic = outcome(type, bytes, genericDecoder)
        let chosen = outcome(type, bytes, decoder)
        #expect(chosen == generic, "\(what()): \(chosen) instead of \(generic)", sourceLocation: sourceLocation)
        if let fast = fastValue(type, bytes) {
            #expect(Outcome.value(fast) == generic, "\(what()): the fast path read \(Outcome.value(fast)) where Codable gives \(generic)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Runs every check on `value`. `complete`: `value` must also set every optional and hold no empty
    /// collection (so a field added later without updating the conformance fails a test).
    static func check<T: BinaryCodable>(_ value: T, complete: Bool, corruptBytes: Bool = true,
                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        if complete {
            let empty = emptyParts(of: value, path: "\(T.self)")
            #expect(empty.isEmpty, "the fixture leaves fields unset or empty: \(empty)", sourceLocation: sourceLocation)
        }
        let expected = canonical(value)

        // Encoding: the same bytes on both paths.
        let generic = try genericEncoder.encode(value)
        #expect(try encoder.encodeBinaryCodable(value) == generic, "fast encoding differs from Codable's", sourceLocation: sourceLocation)
        #expect(try encoder.encode(value) == generic, "BinaryEncoder's encoding differs from Codable's", sourceLocation: sourceLocation)

        // Decoding what Codable wrote, by the fast path alone and by the decoder.
        #expect(fastValue(T.self, generic) == expected, "the fast path does not read back the value", sourceLocation: sourceLocation)
        #expect(outcome(T.self, generic, decoder) == .value(expected), sourceLocation: sourceLocation)

        // Keys in another order, unknown keys added.
        let tree = try WireTree(parsing: generic)
        #expect(tree.bytes == generic, "test helper: WireTree does not round-trip", sourceLocation: sourceLocation)
        var shuffled = tree.reversingKeys
        shuffled = .keyed([WireTree.Entry(key: Array("zzUnknown".utf8), value: .keyed([.init(key: [0x61], value: .array([.leaf([2])]))]))]
            + shuffled.entries + [WireTree.Entry(key: Array("unknownToo".utf8), value: .leaf([7, 2, 0x68, 0x69]))])
        #expect(fastValue(T.self, shuffled.bytes) == expected, "the fast path does not read keys in another order or skip unknown keys",
                sourceLocation: sourceLocation)

        // Every entry of every keyed container removed, or replaced by a value of another kind.
        for path in tree.keyedPaths {
            let entries = tree[path].entries
            for index in entries.indices {
                var removed = tree
                var fewer = entries
                fewer.remove(at: index)
                removed[path] = .keyed(fewer)
                expectAgreement(T.self, removed.bytes, "without \(String(decoding: entries[index].key, as: UTF8.self)) at \(path)",
                                sourceLocation: sourceLocation)
                var replaced = tree
                var other = entries
                other[index].value = other[index].value.otherKind
                replaced[path] = .keyed(other)
                expectAgreement(T.self, replaced.bytes, "another kind for \(String(decoding: entries[index].key, as: UTF8.self)) at \(path)",
                                sourceLocation: sourceLocation)
            }
        }

        // Truncated at every offset: always an error, the same on both paths.
        for count in 0..<generic.count {
            let truncated = Array(generic[..<count])
            #expect(fastValue(T.self, truncated) == nil, "the fast path took \(count) of \(generic.count) bytes", sourceLocation: sourceLocation)
            let chosen = outcome(T.self, truncated, decoder)
            #expect(chosen == outcome(T.self, truncated, genericDecoder), sourceLocation: sourceLocation)
            if case .value = chosen { Issue.record("\(count) of \(generic.count) bytes decoded", sourceLocation: sourceLocation) }
        }

        // Every byte corrupted in a few ways: whatever comes out, the same on both paths.
        if corruptBytes {
            for offset in generic.indices {
                for replacement: UInt8 in [0x00, 0xFF, generic[offset] ^ 0x01] where replacement != generic[offset] {
                    var corrupted = generic
                    corrupted[offset] = replacement
                    expectAgreement(T.self, corrupted, "byte \(offset) set to \(replacement)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// The optionals that are nil and the collections that are empty in `value`, by path.
    static func emptyParts(of value: Any, path: String) -> [String] {
        if let data = value as? Data { return data.isEmpty ? [path] : [] }
        if let bytes = value as? [UInt8] { return bytes.isEmpty ? [path] : [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return [path] }
            return emptyParts(of: wrapped.value, path: path)
        case .collection, .dictionary, .set:
            if mirror.children.isEmpty { return [path] }
        default:
            break
        }
        var found: [String] = []
        for (index, child) in mirror.children.enumerated() {
            found += emptyParts(of: child.value, path: "\(path).\(child.label ?? String(index))")
        }
        return found
    }
}
