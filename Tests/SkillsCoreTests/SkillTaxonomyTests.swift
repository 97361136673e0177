import Foundation
import Testing
import Model
import SkillsCore

@Suite struct SkillTaxonomyTests {
    @Test func bundledTaxonomyLoadsAndIsLargeEnough() throws {
        let taxonomy = try SkillTaxonomy.bundled()
        #expect(taxonomy.skills.count >= 300)
        #expect(taxonomy.version == 1)
        #expect(taxonomy.skill(id: "kubernetes")?.aliases.contains("k8s") == true)
        #expect(taxonomy.skill(id: "postgresql")?.aliases.contains("psql") == true)
        #expect(taxonomy.skill(id: "javascript")?.aliases.contains("js") == true)
        let categories = Set(taxonomy.skills.map(\.category))
        for category in ["language", "framework", "database", "cloud", "security", "frontend", "mobile", "testing", "domain"] {
            #expect(categories.contains(category), "category \(category)")
        }
    }

    @Test func aliasesAreUniqueAndNormalised() throws {
        var owners: [String: String] = [:]
        for skill in TestData.taxonomy.skills {
            for alias in skill.aliases + skill.weakAliases {
                #expect(owners.updateValue(skill.id, forKey: alias) == nil, "alias '\(alias)' is not unique")
                #expect(SkillTaxonomy.normalizedAlias(alias) == alias)
            }
        }
        #expect(owners.count > 5000)
    }

    @Test func normalisationKeepsCompoundTokens() {
        #expect(SkillTaxonomy.normalizedAlias("Node.JS") == "node.js")
        #expect(SkillTaxonomy.normalizedAlias("C++17") == "c++17")
        #expect(SkillTaxonomy.normalizedAlias("C#") == "c#")
        #expect(SkillTaxonomy.normalizedAlias(".NET core") == ".net core")
        #expect(SkillTaxonomy.normalizedAlias("Hyper-V  snapshot_restore") == "hyper v snapshot restore")
    }

    @Test func invalidTaxonomyNamesTheField() throws {
        func load(_ skills: String) -> SkillsError? {
            let json = #"{"version":1,"categories":["language"],"skills":["# + skills + "]}"
            do {
                _ = try SkillTaxonomy(data: Data(json.utf8))
                return nil
            } catch let error as SkillsError {
                return error
            } catch {
                return nil
            }
        }
        func make(_ id: String, category: String = "language", aliases: String = "", parents: String = "") -> String {
            #"{"id":"\#(id)","name":"X","category":"\#(category)","aliases":[\#(aliases)],"weakAliases":[],"#
                + #""extensions":[],"markers":[],"parents":[\#(parents)]}"#
        }
        #expect(load(make("Bad Id"))?.field == "skills[0].id")
        #expect(load(make("a", category: "nope"))?.field == "skills[0].category")
        #expect(load(make("a", aliases: #""Not Normal""#))?.field == "skills[0].aliases[0]")
        #expect(load(make("a", aliases: #""x""#) + "," + make("b", aliases: #""x""#))?.field == "skills[1].aliases[0]")
        #expect(load(make("a", parents: #""zzz""#))?.field == "skills[0].parents[0]")
        let cycle = load(make("a", parents: #""b""#) + "," + make("b", parents: #""a""#))
        #expect(cycle?.code == .invalidField)
        #expect(cycle?.message.contains("cycle") == true)
        #expect(load("")?.field == "skills")
        #expect(load(make("a"))  == nil)
        #expect((try? SkillTaxonomy(data: Data("not json".utf8))) == nil)
        do {
            _ = try SkillTaxonomy(data: Data(#"{"version":1,"categories":[],"skills":[{"id":"a"}]}"#.utf8))
            Issue.record("expected an error")
        } catch let error as SkillsError {
            #expect(error.code == .malformed)
            #expect(error.field.hasPrefix("skills[0]"))
        }
    }

    @Test func customSkillsAndAliasesAreAdded() throws {
        let custom = try TestData.taxonomy.adding([
            CustomSkill(id: "ledger-service", name: "Ledger service", category: "domain", aliases: ["Zorbix", "The-Quill ledger"]),
            CustomSkill(id: "kubernetes", name: "", category: "", aliases: ["kube cluster zeta"]),
            CustomSkill(id: "zk-internal", name: "Internal", category: "team-tools", aliases: ["zkprobe"]),
        ])
        #expect(custom.skills.count == TestData.taxonomy.skills.count + 2)
        #expect(custom.skill(id: "ledger-service")?.aliases == ["zorbix", "the quill ledger"])
        #expect(custom.skill(id: "kubernetes")?.aliases.last == "kube cluster zeta")
        #expect(custom.categories.contains("team-tools"))
        let detector = SkillDetector(taxonomy: custom)
        let found = detector.detect(title: "Zorbix totals drift after the quill ledger import")
        #expect(found.first?.name == "ledger-service")
        #expect(found.first?.evidence.contains("zorbix") == true)
        #expect(detector.detect(title: "kube cluster zeta is down").contains { $0.name == "kubernetes" })
    }

    @Test func badCustomSkillsAreRefusedNamingTheField() {
        func field(_ skills: [CustomSkill]) -> String? {
            do {
                _ = try TestData.taxonomy.adding(skills)
                return nil
            } catch let error as SkillsError {
                return error.field
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(field([CustomSkill(id: "Bad Id", name: "X", category: "domain", aliases: ["x1"])]) == "custom[0].id")
        #expect(field([CustomSkill(id: "new-one", name: "", category: "domain", aliases: ["x1"])]) == "custom[0].name")
        #expect(field([CustomSkill(id: "new-one", name: "X", category: "Not A Slug", aliases: ["x1"])]) == "custom[0].category")
        #expect(field([CustomSkill(id: "new-one", name: "X", category: "domain", aliases: [])]) == "custom[0].aliases")
        #expect(field([CustomSkill(id: "new-one", name: "X", category: "domain", aliases: ["ok", "  -- "])]) == "custom[0].aliases[1]")
        #expect(field([CustomSkill(id: "new-one", name: "X", category: "domain", aliases: ["k8s"])]) == "custom[0].aliases[0]")
        #expect(field([CustomSkill(id: "new-one", name: "X", category: "domain", aliases: ["a b c d e f g"])]) == "custom[0].aliases[0]")
        #expect(field([
            CustomSkill(id: "one", name: "X", category: "domain", aliases: ["qqq1"]),
            CustomSkill(id: "one", name: "Y", category: "domain", aliases: ["qqq2"]),
        ]) == "custom[1].id")
        do {
            _ = try TestData.taxonomy.adding([CustomSkill(id: "new-one", name: "X", category: "domain", aliases: ["k8s"])])
        } catch let error as SkillsError {
            #expect(error.description.contains("kubernetes"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func customSkillRoundTripsAsJSON() throws {
        let skill = CustomSkill(id: "a", name: "A", category: "domain", aliases: ["b"])
        let decoded = try JSONDecoder().decode(CustomSkill.self, from: JSONEncoder().encode(skill))
        #expect(decoded == skill)
    }
}
