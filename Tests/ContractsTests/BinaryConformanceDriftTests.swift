import Contracts
import Foundation
import RPC
import TestSupport
import Testing
@testable import Wire

/// The `BinaryCodable` conformances (derived at build time from the types the `binary-codable.list` files of
/// Shared/Contracts and Shared/RPC name, and the one in Shared/Contracts/Binary) mirror their types field by field.
/// These tests fail when a type has a stored property its conformance does not carry (a declaration the derivation
/// misread, or a hand-written conformance left behind), naming the type and the fields:
///
/// - every type with a conformance has a sample below with every field set (optionals non-nil, no empty
///   collection, nested values populated) to a value other than its default (a new field's sample must
///   be set too: the test refuses a sample with a nil optional or an empty collection);
/// - the stored properties reflection sees (`Mirror`), at every level of the sample, are exactly the keys
///   the conformance writes there;
/// - the binary round trip through the conformance alone, and the `Codable` JSON round trip, give the
///   sample back, field by field;
/// - every type a list names, and every `extension X: BinaryCodable` in Contracts/Binary, has a sample here.
@Suite struct BinaryConformanceDriftTests {
    /// One type's sample and the checks on it.
    struct Sample: CustomTestStringConvertible, Sendable {
        let type: String
        let problems: @Sendable () -> [String]
        var testDescription: String { type }

        init<T: BinaryCodable & Sendable>(_ value: T) {
            type = BinaryConformanceDriftTests.name(of: T.self)
            problems = { BinaryConformanceDriftTests.problems(with: value) }
        }
    }

    static let date = Date(timeIntervalSince1970: 1_732_000_000.25)

    static let samples: [Sample] = [
        // Ticket+BinaryCodable
        Sample(Fixtures.ticket),
        Sample(RequiredSkill(skill: "payments", minLevel: 3)),
        // Person+BinaryCodable
        Sample(Fixtures.person),
        Sample(Person.DeclaredSkill(skill: "go", level: 4)),
        Sample(Person.WorkingHours(start: "08:00", end: "16:00", days: [1, 2, 3])),
        Sample(Person.TimeOff(start: "2026-12-24", end: "2026-12-31", reason: "holidays")),
        // Project+BinaryCodable
        Sample(Fixtures.project),
        Sample(Fixtures.settings),
        // RankRequest+BinaryCodable
        Sample(Fixtures.rankRequest),
        Sample(Fixtures.openTicket),
        // Ranking+BinaryCodable
        Sample(Fixtures.ranking),
        Sample(try! CandidatesJSON([Fixtures.candidate])),
        // Decision+BinaryCodable
        Sample(Fixtures.decision),
        Sample(Fixtures.candidate),
        Sample(RankedCandidate.Factor(value: 0.9, weight: 0.4, contribution: 0.36)),
        // Detect+BinaryCodable
        Sample(Fixtures.detectRequest),
        Sample(Fixtures.detectResponse),
        Sample(Fixtures.detectedSkill),
        // StorageMessages+BinaryCodable
        Sample(Fixtures.decisionRecord),
        Sample(StorageContract.DecisionID(id: 4242)),
        Sample(StorageContract.TicketSkills(ticket: "PAY-12", skills: [Fixtures.detectedSkill], contentHash: "ab12")),
        Sample(StorageContract.Empty()),
        Sample(StorageContract.ListDecisionsRequest(ticket: "PAY-12", project: "PAY", cursor: "c1", limit: 20, newestFirst: true,
                                                   modes: [.override, .manual], afterID: 41, beforeID: 99, person: "ann",
                                                   since: Date(timeIntervalSince1970: 1_700_000_000), withoutCandidates: true)),
        Sample(StorageContract.DecisionPage(items: [Fixtures.decision], next: "c2")),
        Sample(StorageContract.TicketPage(items: [Fixtures.ticket], next: "c9")),
        // TicketContext+BinaryCodable
        Sample(StorageContract.TicketContextRequest(key: "PAY-12", settingPrefix: "jira.assignable.")),
        Sample(StorageContract.TokenStateRequest(id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0")),
        Sample(StorageContract.TokenStateResponse(revoked: true)),
        Sample(StorageContract.TicketContext(ticket: Fixtures.ticket, project: Fixtures.project, setting: Data("[\"alice\"]".utf8),
                                             skills: Fixtures.storedSkills, dataVersion: "v42")),
        Sample(Fixtures.storedSkills),
        // RPC's EchoMessage+BinaryCodable
        Sample(Fixtures.echo),
        Sample(EchoMessage.Skill(name: "kubernetes", weight: 0.9, source: "taxonomy")),
    ]

    @Test(arguments: samples)
    func conformanceCarriesEveryField(_ sample: Sample) {
        let problems = sample.problems()
        #expect(problems.isEmpty, "\(sample.type): \(problems.joined(separator: "; "))")
    }

    /// Every conformance (derived from a `binary-codable.list`, or written by hand in Contracts/Binary) has a sample
    /// above, so a new one cannot go unchecked.
    @Test func everyConformanceHasASample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var declared: Set<String> = []
        for list in ["Shared/Contracts/binary-codable.list", "Shared/RPC/binary-codable.list"] {
            let text = try String(contentsOf: root.appendingPathComponent(list), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
                if !entry.isEmpty && !entry.hasPrefix("import ") && !entry.hasPrefix("value ") { declared.insert(entry) }
            }
        }
        #expect(declared.count >= 25, "found only \(declared.sorted())")
        let handWritten = root.appendingPathComponent("Shared/Contracts/Binary")
        let pattern = try Regex(#"extension\s+([A-Za-z0-9_.]+)\s*:\s*BinaryCodable\b"#)
        for file in try FileManager.default.contentsOfDirectory(at: handWritten, includingPropertiesForKeys: nil) {
            let source = try String(contentsOf: file, encoding: .utf8)
            for match in source.matches(of: pattern) {
                if let name = match.output[1].substring { declared.insert(String(name)) }
            }
        }
        let sampled = Set(Self.samples.map(\.type))
        #expect(declared.subtracting(sampled).isEmpty,
                "binary conformances without a sample in BinaryConformanceDriftTests: \(declared.subtracting(sampled).sorted())")
        #expect(sampled.subtracting(declared).isEmpty, "samples of no declared conformance: \(sampled.subtracting(declared).sorted())")
    }

    /// The test itself: a conformance that forgets a field (here, a copy of `RequiredSkill`'s without
    /// `minLevel`) is reported with the field's name.
    @Test func aMissedFieldIsNamed() {
        let problems = Self.problems(with: Forgetful(skill: "go", minLevel: 3))
        #expect(problems.contains { $0.contains("does not write minLevel") }, "\(problems)")
        #expect(problems.contains { $0.contains("minLevel") && $0.contains("binary round trip") }, "\(problems)")
    }

    // MARK: Checks

    /// `T`'s name as its extension declares it (`Person.DeclaredSkill`, `StorageContract.Empty`, `StorageContract.Page` for
    /// every `StorageContract.Page<Item>`).
    static func name(of type: Any.Type) -> String {
        let name = String(String(reflecting: type).split(separator: ".", maxSplits: 1).last ?? "")
        return String(name.prefix { $0 != "<" })
    }

    /// What is wrong with `value` as a sample or with its type's conformance, each naming the fields.
    static func problems<T: BinaryCodable>(with value: T) -> [String] {
        var problems: [String] = []
        let unset = BinaryCodableCheck.emptyParts(of: value, path: "")
        if !unset.isEmpty {
            problems.append("the sample leaves fields nil or empty (set them, so the check covers them): \(unset.map { String($0.dropFirst()) })")
        }
        do {
            let bytes = try BinaryCodableCheck.fastEncode(value)
            problems += fieldsNotWritten(value, try WireTree(parsing: bytes), path: "")
            let decoded = try BinaryCodableCheck.fastDecode(T.self, bytes)
            let differing = differences(value, decoded, path: "")
            if !differing.isEmpty { problems.append("the binary round trip changes \(differing)") }
        } catch {
            problems.append("the binary round trip fails: \(error)")
        }
        do {
            let codec = JSONMessageCodec()
            var json: [UInt8] = []
            try codec.encode(value, appendingTo: &json)
            let differing = differences(value, try codec.decode(T.self, from: json), path: "")
            if !differing.isEmpty { problems.append("the JSON round trip changes \(differing)") }
        } catch {
            problems.append("the JSON round trip fails: \(error)")
        }
        return problems
    }

    /// The stored properties of `value` (and of the values nested in it) that `tree`, its encoding, has
    /// no key for, and the keys it has that are no stored property.
    static func fieldsNotWritten(_ value: Any, _ tree: WireTree, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        switch (mirror.displayStyle, tree) {
        case (.optional, _):
            guard let wrapped = mirror.children.first else { return [] }
            return fieldsNotWritten(wrapped.value, tree, path: path)
        case (.collection, .array(let elements)):
            return zip(mirror.children, elements).enumerated().flatMap { index, pair in
                fieldsNotWritten(pair.0.value, pair.1, path: "\(path)[\(index)]")
            }
        case (.dictionary, .keyed(let entries)):
            var found: [String] = []
            for pair in mirror.children {
                let entry = Array(Mirror(reflecting: pair.value).children)
                guard entry.count == 2, let key = entry[0].value as? String,
                      let element = entries.first(where: { $0.key == Array(key.utf8) }) else { continue }
                found += fieldsNotWritten(entry[1].value, element.value, path: "\(path)[\(key)]")
            }
            return found
        case (.struct, .keyed(let entries)):
            let at = path.isEmpty ? "" : " at \(path)"
            let keys = entries.map { String(decoding: $0.key, as: UTF8.self) }
            let labels = mirror.children.compactMap(\.label)
            var found: [String] = []
            let missing = labels.filter { !keys.contains($0) }
            if !missing.isEmpty {
                found.append("the binary conformance of \(name(of: type(of: value)))\(at) does not write \(missing.joined(separator: ", "))")
            }
            let extra = keys.filter { !labels.contains($0) }
            if !extra.isEmpty {
                found.append("the binary conformance of \(name(of: type(of: value)))\(at) writes keys that are no stored property: \(extra)")
            }
            for child in mirror.children {
                guard let label = child.label, let entry = entries.first(where: { $0.key == Array(label.utf8) }) else { continue }
                found += fieldsNotWritten(child.value, entry.value, path: path.isEmpty ? label : "\(path).\(label)")
            }
            return found
        default:
            return []
        }
    }

    /// The paths at which `a` and `b` differ: compared with `==` where their type is `Equatable`, narrowed
    /// down field by field through reflection.
    static func differences(_ a: Any, _ b: Any, path: String) -> [String] {
        if let a = a as? any Equatable, equal(a, b) { return [] }
        let left = Mirror(reflecting: a)
        let right = Mirror(reflecting: b)
        let here = path.isEmpty ? "the value" : path
        guard type(of: a) == type(of: b), left.displayStyle == right.displayStyle, left.children.count == right.children.count,
              !left.children.isEmpty else {
            return (a as? any Equatable) == nil && left.children.isEmpty && right.children.isEmpty
                && String(reflecting: a) == String(reflecting: b) ? [] : [here]
        }
        switch left.displayStyle {
        case .struct, .class, .tuple, .optional, .collection:
            var found: [String] = []
            for (index, (l, r)) in zip(left.children, right.children).enumerated() {
                let name = l.label.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? "\(path)[\(index)]"
                found += differences(l.value, r.value, path: left.displayStyle == .optional ? path : name)
            }
            // Equal parts but unequal values (a dictionary's order, say): the value itself.
            return found.isEmpty && (a as? any Equatable) != nil ? [here] : found
        default:
            return [here]
        }
    }

    static func equal<T: Equatable>(_ a: T, _ b: Any) -> Bool {
        (b as? T) == a
    }
}

/// `RequiredSkill` with a conformance that forgets `minLevel` both ways: the drift the tests catch.
private struct Forgetful: BinaryCodable, Equatable, Sendable {
    var skill: String
    var minLevel: Int

    init(skill: String, minLevel: Int) {
        self.skill = skill
        self.minLevel = minLevel
    }

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(skill, forKey: "skill")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        self.init(skill: try reader.decode(String.self, forKey: "skill"), minLevel: 0)
    }
}
