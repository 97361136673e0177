import Foundation
import Model
import Testing
import SkillsCore
import TestSupport

@Suite struct SkillDetectorTests {
    let detector = TestData.detector

    func names(_ title: String, _ description: String = "", components: [String] = [], labels: [String] = []) -> [String] {
        detector.detect(title: title, description: description, components: components, labels: labels).map(\.name)
    }

    func weight(_ skill: String, in found: [DetectedSkill]) -> Double {
        found.first { $0.name == skill }?.weight ?? 0
    }

    @Test func abbreviationsAndAliases() {
        #expect(names("k8s pods keep restarting").contains("kubernetes"))
        #expect(names("psql connection refused on staging").contains("postgresql"))
        #expect(names("Fix JS bundle size").contains("javascript"))
        #expect(names("Upgrade to Node.js 20").contains("nodejs"))
        #expect(names("C++17 build fails").contains("cpp"))
    }

    @Test func filePathsAndExceptionsAreStrongSignals() {
        let swift = detector.detect(title: "Crash when opening settings", description: "See Sources/App/SettingsView.swift:42")
        #expect(swift.contains { $0.name == "swift" && $0.evidence.contains(".swift") })
        let java = detector.detect(title: "Order export fails", description: "java.lang.NullPointerException at export")
        #expect(java.contains { $0.name == "java" })
        #expect(names("Fix ufunc loops", "Touches numpy/core/src/umath/loops.c.src").contains("ufuncs"))
    }

    @Test func trapsDoNotFire() {
        let found = names("Dashboard feels sluggish - let's go ahead and make it react faster")
        for trap in ["go", "make", "react"] { #expect(!found.contains(trap), "\(trap) in \(found)") }
        #expect(!names("Spring sale banner should go live on March 20").contains("spring"))
        #expect(!names("Change the primary button colour from rust to teal").contains("rust"))
        #expect(!names("Express checkout button double-charges").contains("express"))
        #expect(!names("Random logouts on Safari after last deploy").contains("random-numbers"))
    }

    @Test func weakAliasesCountWithOtherEvidence() {
        #expect(!names("go ahead with the release").contains("go"))
        #expect(names("go service leaks memory", "The handler in internal/server/handler.go never returns").contains("go"))
    }

    @Test func titleOutweighsDescription() {
        let inTitle = detector.detect(title: "Kafka consumer lag grows", description: "The redis cache is fine")
        #expect(weight("kafka", in: inTitle) > weight("redis", in: inTitle))
        let inDescription = detector.detect(title: "Numbers look off", description: "Kafka consumer lag grows")
        #expect(weight("kafka", in: inTitle) > weight("kafka", in: inDescription))
    }

    @Test func componentsAndLabelsAreStrongEvidence() {
        let found = detector.detect(title: "Wrong result", components: ["numpy/linalg"], labels: ["flaky-test"])
        #expect(found.contains { $0.name == "linear-algebra" })
        #expect(found.contains { $0.name == "numpy" })
        #expect(found.contains { $0.name == "flaky-tests" })
        #expect(names("Checkout broken", components: ["Kubernetes"]).contains("kubernetes"))
    }

    @Test func outputIsSortedWeightedAndExplained() {
        let found = detector.detect(title: "Postgres deadlock in the billing invoice job",
                                    description: "```sql\nSELECT * FROM invoices FOR UPDATE;\n```\nSee jobs/invoice_worker.py")
        #expect(!found.isEmpty)
        for (a, b) in zip(found, found.dropFirst()) {
            #expect(a.weight > b.weight || (a.weight == b.weight && a.name < b.name))
        }
        for skill in found {
            #expect((0.3...1).contains(skill.weight))
            #expect(skill.source == .taxonomy)
            #expect(!skill.evidence.isEmpty)
            #expect(skill.evidence.count <= 5)
            #expect(Set(skill.evidence).count == skill.evidence.count)
        }
        #expect(found.map(\.name).contains("postgresql"))
        #expect(found.map(\.name).contains("sql"))
        #expect(found.map(\.name).contains("python"))
        #expect(detector.detect(title: "").isEmpty)
        #expect(detector.detect(title: "   ", description: "\n\n").isEmpty)
    }

    @Test func parentsGetAShareButNotFromOneWeakChild() {
        // Helm is a child of Kubernetes; one mention of helm does not report kubernetes on its own.
        let helm = detector.detect(title: "helm upgrade fails")
        #expect(helm.contains { $0.name == "helm" })
        #expect(!helm.contains { $0.name == "kubernetes" })
        // With its own evidence, the parent is lifted by the child's share.
        let both = detector.detect(title: "helm upgrade fails", description: "kubectl shows the old pods")
        let kubernetesAlone = detector.detect(title: "cluster broken", description: "kubectl shows the old pods")
        #expect(weight("kubernetes", in: both) > weight("kubernetes", in: kubernetesAlone))
    }

    @Test func detectorIsUsableFromManyThreads() async {
        await withTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask { TestData.detector.detect(title: "k8s pod \(index) crash", description: "kubectl logs").count }
            }
            for await count in group { #expect(count > 0) }
        }
    }
}

/// Detection from what the extractor (TextKit) finds: ADF evidence, URLs, noise and pathological input.
extension SkillDetectorTests {
    @Test func adfCodeAndTextNameSkills() throws {
        let document: [String: Any] = [
            "type": "doc", "version": 1,
            "content": [
                ["type": "heading", "attrs": ["level": 2], "content": [["type": "text", "text": "Checkout crash"]]],
                ["type": "paragraph", "content": [
                    ["type": "text", "text": "Assigned by "],
                    ["type": "mention", "attrs": ["id": "abc", "text": "@Julia Reyes"]],
                    ["type": "text", "text": " see "],
                    ["type": "text", "text": "PaymentService.java", "marks": [["type": "code"]]],
                ]],
                ["type": "codeBlock", "attrs": ["language": "Java"], "content": [
                    ["type": "text", "text": "java.lang.NullPointerException: boom\n\tat com.example.pay.PaymentService.charge(PaymentService.java:42)"],
                ]],
                ["type": "bulletList", "content": [
                    ["type": "listItem", "content": [["type": "paragraph", "content": [["type": "text", "text": "retry with kubectl rollout"]]]]],
                ]],
            ],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        let skills = detector.detect(title: "Checkout fails", description: json).map(\.name)
        #expect(skills.contains("java"))
        #expect(skills.contains("kubernetes"))
    }

    @Test func aURLHostIsNotASkill() {
        #expect(!names("Fix typo", "See https://github.com/acme/app/issues/3").contains("git"))
    }

    @Test func noiseNamesNoSkills() {
        var generator = SeededGenerator(state: 42)
        let printable = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:/\\{}[]()`*#_-\n\t\"'<>|".utf8)
        let noise = String(decoding: (0..<1_048_576).map { _ in printable[Int(generator.next() % UInt64(printable.count))] },
                           as: UTF8.self)
        let binary = String(decoding: (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, as: UTF8.self)
        // Noise says nothing: an empty list, or a few skills from a short noisy title.
        #expect(detector.detect(title: "", description: noise).isEmpty)
        #expect(detector.detect(title: noise, description: binary).isEmpty)
        #expect(detector.detect(title: String(noise.prefix(100)), description: noise).count <= 5)
        #expect(detector.detect(title: "", description: "").isEmpty)
        #expect(detector.detect(title: "\u{0}\u{1}\u{2}", description: "\u{FFFD}\u{FFFD}").isEmpty)
    }

    @Test func pathologicalRunsAreDetectedThrough() {
        for input in PathologicalText.inputs {
            let skills = detector.detect(title: input, description: input, components: [input], labels: [input])
            #expect(skills.count <= detector.options.maxSkills, "\(input.prefix(12))…")
        }
    }
}
