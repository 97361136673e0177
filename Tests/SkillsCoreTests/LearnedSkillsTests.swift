import Foundation
import Harness
import Model
import Testing
import SkillsCore
import TestSupport

@Suite struct LearnedSkillsTests {
    /// A small synthetic history: ledger words go to Billing, dashboard words to Web.
    func synthetic() -> LearnedSkills {
        let learned = LearnedSkills()
        let billing = ["ledger totals drift", "ledger export slow", "rounding in ledger", "ledger entries doubled",
                       "fix ledger sync", "ledger balance wrong", "ledger job timeout", "reconcile ledger rows"]
        let web = ["dashboard chart empty", "dashboard filters reset", "slow dashboard render", "dashboard dark mode",
                   "dashboard tooltip clipped", "resize dashboard widgets", "dashboard export button", "dashboard paging"]
        for _ in 0..<3 {
            for title in billing { learned.learn(title: title, description: "", components: ["Billing"], labels: ["money"]) }
            for title in web { learned.learn(title: title, description: "", components: ["Web"], labels: []) }
        }
        return learned
    }

    @Test func aTermThatAlwaysCoOccursPredictsItsComponent() {
        let learned = synthetic()
        #expect(learned.ticketCount == 48)
        let predicted = learned.predict(title: "The ledger is off by a cent", limit: 3)
        let top = predicted.first
        #expect(top?.name == "component:Billing")
        #expect(top?.source == .learned)
        #expect(top?.evidence.contains("ledger") == true)
        #expect(predicted.contains { $0.name == "label:money" })
        #expect(predicted.allSatisfy { (0...1).contains($0.weight) })
        let web = learned.predict(title: "Dashboard hangs", limit: 1)
        #expect(web.first?.name == "component:Web")
        #expect(learned.predict(title: "", limit: 3).isEmpty)
        #expect(learned.predict(title: "completely unrelated words", limit: 3).isEmpty)
        #expect(LearnedSkills().predict(title: "ledger").isEmpty)
    }

    @Test func learningUpdatesPredictionsWithoutRebuild() {
        let learned = synthetic()
        #expect(!learned.predict(title: "ZAB epoch mismatch", limit: 5).contains { $0.name == "component:Consensus" })
        for index in 0..<6 {
            learned.learn(title: "ZAB epoch bug \(index)", description: "zab proposal lost", components: ["Consensus"])
        }
        let after = learned.predict(title: "ZAB epoch mismatch", limit: 5)
        #expect(after.first?.name == "component:Consensus")
        #expect(after.first?.evidence.contains { $0.contains("zab") } == true)
    }

    @Test func rareTermsAreIgnored() {
        let learned = synthetic()
        learned.learn(title: "frobnicator glitch", components: ["Rare"])
        learned.learn(title: "frobnicator glitch", components: ["Rare"])
        #expect(!learned.predict(title: "frobnicator", limit: 5).contains { $0.name == "component:Rare" })
        learned.learn(title: "frobnicator glitch", components: ["Rare"])
        #expect(learned.predict(title: "frobnicator", limit: 5).first?.name == "component:Rare")
    }

    @Test func snapshotRoundTrips() throws {
        let learned = synthetic()
        let restored = try LearnedSkills(snapshot: learned.snapshot())
        #expect(restored.ticketCount == learned.ticketCount)
        #expect(restored.termCount == learned.termCount)
        for title in ["ledger drift", "dashboard chart", "ledger dashboard"] {
            #expect(restored.predict(title: title) == learned.predict(title: title))
        }
        // Learning goes on after a restore exactly as without one.
        learned.learn(title: "ledger fix", components: ["Billing"])
        restored.learn(title: "ledger fix", components: ["Billing"])
        #expect(restored.predict(title: "ledger") == learned.predict(title: "ledger"))
        #expect(throws: SkillsError.self) { try LearnedSkills(snapshot: Data("{}".utf8)) }
        #expect(throws: SkillsError.self) { try LearnedSkills(snapshot: Data("garbage".utf8)) }
    }

    /// Term hashes are persisted in snapshots, so their values must never change: these are the values of
    /// the original byte-by-byte hash (words at the buffer's start and further in, 2 to 17 bytes, a camel
    /// case word and its parts, a bigram).
    @Test func termHashesAreStable() throws {
        let learned = LearnedSkills()
        learned.learn(title: "Ledger zk QuorumPeerMain",
                      description: "reconfiguration lexicographically ufunc abcdefg ABCDEFGH abcdefghi", components: ["C"])
        let json = try #require(try JSONSerialization.jsonObject(with: learned.snapshot()) as? [String: Any])
        let terms = try #require(json["terms"] as? [String])
        let base64 = try #require(json["termHashes"] as? String)
        let packed = try #require(Data(base64Encoded: base64))
        let hashes = packed.withUnsafeBytes { raw in
            (0..<(packed.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        let byTerm = Dictionary(zip(terms, hashes), uniquingKeysWith: { first, _ in first })
        let expected: [String: UInt64] = [
            "ledger": 0x0ECD_3123_32D2_C8FD, "zk": 0xF0E3_3E33_80FE_2C70, "quorumpeermain": 0xA473_872C_9E81_3726,
            "quorum": 0xFFF3_E91D_E6C6_78F3, "peer": 0xFD94_8C9D_77DF_451B, "main": 0x6555_1522_6F6C_7194,
            "reconfiguration": 0x9EE4_EB8E_742A_08B8, "lexicographically": 0x05C1_AA4D_2B38_9783,
            "ufunc": 0x6383_7586_D100_42F4, "abcdefg": 0x84BF_7180_65F6_08DB, "abcdefgh": 0xB80A_5793_929D_D239,
            "abcdefghi": 0x758A_011E_C7E3_1407, "ledger zk": 0x0450_14CA_3BE8_CD24,
        ]
        for (term, hash) in expected { #expect(byTerm[term] == hash, "\(term)") }
    }

    /// The detector hands its own words to the learned terms instead of tokenizing again; that must give
    /// exactly what `predict` finds on the same title and extracted description, tricky words included.
    @Test func detectorAndPredictAgreeOnTheLearnedSkills() {
        let texts: [(title: String, description: String)] = [
            ("C++ build of QuorumPeerMain fails", "see https://github.com/apache/zookeeper/pull/12 and np.linalg.eig"),
            ("Ledger: ZAB epoch .net c# n+1", "Über-long naïve ledger — drift… FileTxnSnapLog.java:120 the ledger"),
            ("ledger", ""),
            ("", "ledger only in the description, with 1.2.3 and 42 and e.g. stop words"),
            ("Trailing c++", "c++17 and c# and .NET and np.random.shuffle() in ledger_sync.py"),
        ]
        let learned = LearnedSkills()
        for round in 0..<4 {
            for (index, text) in texts.enumerated() {
                learned.learn(title: text.title, description: text.description, components: ["C\(index)"],
                              labels: round % 2 == 0 ? ["even"] : [])
            }
        }
        let detector = TestData.detector
        for text in texts + [("QuorumPeerMain ledger", "np.linalg ZAB"), ("x", String(repeating: "ledger zab ", count: 2_000))] {
            let extracted = detector.extractor.extract(text.description)
            let found = detector.detect(title: text.title, extracted: extracted, learned: learned).filter { $0.source == .learned }
            let expected = learned.predict(title: text.title, description: extracted.text, limit: detector.options.learnedLimit)
                .filter { $0.weight >= detector.options.learnedMinimumWeight }
            #expect(Set(found) == Set(expected), "\(text.title)")
            #expect(!expected.isEmpty, "\(text.title)")
        }
    }

    @Test func memoryIsCapped() {
        let learned = LearnedSkills(configuration: .init(maxTerms: 500, maxPairs: 2_000))
        var generator = SeededGenerator(state: 7)
        for index in 0..<2_000 {
            let words = (0..<6).map { _ in "w\(generator.next() % 5_000)" }.joined(separator: " ")
            learned.learn(title: "common \(words)", components: ["C\(index % 7)"])
        }
        #expect(learned.termCount <= 500)
        #expect(learned.ticketCount == 2_000)
        #expect(!learned.predict(title: "common").isEmpty || learned.termCount > 0)
        // Pruning removed terms and pairs from the id tables many times; a term learned again must have been
        // found, not added twice.
        let json = try? JSONSerialization.jsonObject(with: learned.snapshot()) as? [String: Any]
        let terms = json?["terms"] as? [String] ?? []
        #expect(terms.count == learned.termCount)
        #expect(Set(terms).count == terms.count)
        #expect(terms.contains("common"))
    }

    @Test func concurrentLearningAndPredictingIsSafe() async {
        let learned = synthetic()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<200 {
                        if worker % 2 == 0 {
                            learned.learn(title: "ledger item \(index)", components: ["Billing"])
                        } else {
                            _ = learned.predict(title: "ledger dashboard \(index)")
                        }
                    }
                }
            }
        }
        #expect(learned.ticketCount == 48 + 400)
    }

    @Test func detectorMergesLearnedSkills() {
        let learned = synthetic()
        let found = TestData.detector.detect(title: "ledger totals drift after kafka rebalance", learned: learned)
        #expect(found.contains { $0.name == "kafka" && $0.source == .taxonomy })
        #expect(found.contains { $0.name == "component:Billing" && $0.source == .learned })
        for (a, b) in zip(found, found.dropFirst()) {
            #expect(a.weight > b.weight || (a.weight == b.weight && a.name < b.name))
        }
    }

    /// Learned on the first 80% of ZooKeeper's history (by resolution time), the top predicted component
    /// is one of the ticket's components for 0.654 of the last 20% (0.236 for always guessing the most
    /// common component of the training part).
    @Test func zookeeperComponentsFromTheTeamsOwnVocabulary() async throws {
        // On a thread of its own, not one of the cooperative pool's few that every async test of the run needs.
        let (count, hits, total) = try await onBlockingThread {
            let lines = try HistoryReader.read(path: TestFixtures.zookeeperHistory.path)
            let records = lines.compactMap { try? $0.result.get() }.filter { $0.resolved != nil }
                .sorted { ($0.resolved!, $0.key) < ($1.resolved!, $1.key) }
            let split = records.count * 8 / 10
            let learned = LearnedSkills()
            for record in records[..<split] {
                learned.learn(title: record.title, description: record.description, components: record.components,
                              labels: record.labels)
            }
            var hits = 0, total = 0
            for record in records[split...] where !record.components.isEmpty {
                total += 1
                let top = learned.predict(title: record.title, description: record.description, limit: 10)
                    .first { $0.name.hasPrefix(LearnedSkills.componentPrefix) }
                if let top, record.components.contains(String(top.name.dropFirst(LearnedSkills.componentPrefix.count))) {
                    hits += 1
                }
            }
            return (records.count, hits, total)
        }
        #expect(count > 2_000)
        let accuracy = Double(hits) / Double(total)
        print(String(format: "zookeeper learned components: top-1 %.3f over %d tickets", accuracy, total))
        #expect(accuracy >= 0.60)
    }
}
