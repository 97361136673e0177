import Foundation
import Model
import Testing
@testable import ScoringCore

@Suite struct HistoryModelTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    func day(_ n: Double) -> Date { start.addingTimeInterval(n * 86_400) }
    typealias Text = HistoryModel.TicketText

    /// A small team: alice works on the quorum code, bob on the client, carol on docs; "bug" is everywhere.
    func teamHistory() -> [(Text, String, Date)] {
        var history: [(Text, String, Date)] = []
        for i in 0..<12 {
            history.append((Text(title: "bug: leader election stalls in quorum \(i)", components: ["server"]), "alice", day(Double(i))))
            history.append((Text(title: "bug: client reconnect loses watches \(i)", components: ["client"]), "bob", day(Double(i) + 0.3)))
            history.append((Text(title: "bug: typo in documentation page \(i)", components: ["docs"]), "carol", day(Double(i) + 0.6)))
        }
        // Other work, so that the team's words are rarer than a fifth of all tickets (commoner ones are skipped).
        for i in 0..<40 { history.append((Text(title: "task\(i) widget\(i)"), "dave", day(Double(i) * 0.25 + 0.1))) }
        return history.sorted { $0.2 < $1.2 }
    }

    func model(_ history: [(Text, String, Date)], parameters: HistoryModel.Parameters = .init()) -> HistoryModel {
        let model = HistoryModel(parameters: parameters)
        for (text, person, time) in history { model.learn(text, assignee: person, resolved: time) }
        return model
    }

    @Test func bm25SimilarWorkFindsThePersonWhoResolvedSimilarTickets() {
        let model = model(teamHistory())
        let people = ["alice", "bob", "carol", "erin"]
        let signals = model.signals(for: Text(title: "quorum leader election hangs"), candidates: people, now: day(13))
        #expect(signals[0].similarWork == 1)   // normalised: the best candidate has 1
        #expect(signals[0].similarWork > signals[1].similarWork && signals[0].similarWork > signals[2].similarWork)
        #expect(signals[0].similarTickets > 0)
        #expect(signals[3] == HistoryModel.Signals())   // unknown person: nothing learned
        // A term in every ticket ("bug") tells nobody apart: it is skipped.
        let common = model.signals(for: Text(title: "bug"), candidates: people, now: day(13))
        #expect(common.allSatisfy { $0.similarWork == 0 })
    }

    @Test func olderWorkCountsLess() {
        // Same work, one did it two years ago and the other last week.
        let model = HistoryModel()
        for i in 0..<5 { model.learn(Text(title: "ledger reconciliation \(i)"), assignee: "old", resolved: day(Double(i))) }
        for i in 0..<60 { model.learn(Text(title: "frontend\(i) button\(i)"), assignee: "other", resolved: day(Double(i) + 600)) }
        for i in 0..<5 { model.learn(Text(title: "ledger reconciliation \(i)"), assignee: "new", resolved: day(Double(i) + 720)) }
        let signals = model.signals(for: Text(title: "ledger reconciliation fails"), candidates: ["old", "new"], now: day(730))
        #expect(signals[1].similarWork > signals[0].similarWork)
        #expect(signals[1].recentActivity > signals[0].recentActivity)
        #expect(signals[0].recentActivity < 0.01)   // presence halves every 30 days: ~2 years away is gone
    }

    @Test func componentOwnershipGivesSkillFit() {
        let model = model(teamHistory())
        let signals = model.signals(for: Text(title: "something", components: ["client"]), candidates: ["alice", "bob"], now: day(13))
        #expect(signals[1].skillFit == 1)
        #expect(signals[0].skillFit == 0)
        #expect(signals[1].matchedSkills == ["client"])
    }

    @Test func predictedComponentsFillInForTicketsWithoutComponents() {
        var with = HistoryModel.Parameters()
        with.learnedSkills = true
        var without = with
        without.learnedSkills = false
        // The skills service predicted the client component (and a taxonomy skill the model does not read); the
        // ticket names no component.
        let detected = [DetectedSkill(name: "java", weight: 0.9, source: .taxonomy),
                        DetectedSkill(name: "component:client", weight: 0.6, source: .learned)]
        let ticket = Text(title: "client watches vanish", detected: detected)
        let on = model(teamHistory(), parameters: with).signals(for: ticket, candidates: ["alice", "bob"], now: day(13))
        let off = model(teamHistory(), parameters: without).signals(for: ticket, candidates: ["alice", "bob"], now: day(13))
        let undetected = model(teamHistory(), parameters: with).signals(for: Text(title: "client watches vanish"), candidates: ["alice", "bob"],
                                                                        now: day(13))
        #expect(on[1].skillFit > 0)
        #expect(on[1].skillFit > on[0].skillFit)
        #expect(on[1].matchedSkills == ["client"])
        #expect(off.allSatisfy { $0.skillFit == 0 })
        #expect(undetected.allSatisfy { $0.skillFit == 0 })
        // A ticket with components of its own is ranked by them: predictions are not read.
        let triaged = model(teamHistory(), parameters: with)
            .signals(for: Text(title: "client watches vanish", components: ["docs"], detected: detected), candidates: ["alice", "bob"], now: day(13))
        #expect(triaged.allSatisfy { $0.matchedSkills.isEmpty || $0.matchedSkills == ["docs"] })
        #expect(triaged[1].matchedSkills != ["client"])
    }

    /// The skills the skills service detected in resolved tickets are learned for their resolvers (at their weight), and
    /// matched for a ticket without components, at ``HistoryModel/Parameters/detectedSkillShare`` of their weight.
    @Test func detectedSkillsOfResolvedTicketsAreLearned() {
        func k8s(_ weight: Double) -> [DetectedSkill] { [DetectedSkill(name: "kubernetes", weight: weight, source: .taxonomy)] }
        var history = teamHistory()
        for i in 0..<4 {
            history.append((Text(title: "helm upgrade \(i)", detected: k8s(0.8)), "carol", day(Double(i) + 0.7)))
            history.append((Text(title: "pod eviction \(i)", detected: k8s(0.4)), "erin", day(Double(i) + 0.8)))
        }
        let people = ["alice", "carol", "erin"]
        let ticket = Text(title: "crashloopbackoff", detected: k8s(0.9))
        let signals = model(history).signals(for: ticket, candidates: people, now: day(13))
        #expect(signals[1].skillFit > signals[2].skillFit && signals[2].skillFit > 0 && signals[0].skillFit == 0, "\(signals)")
        #expect(signals[1].matchedSkills == ["kubernetes"])
        var off = HistoryModel.Parameters()
        off.detectedSkillShare = 0
        #expect(model(history, parameters: off).signals(for: ticket, candidates: people, now: day(13)).allSatisfy { $0.skillFit == 0 })
        // A ticket with components is ranked by them alone.
        let triaged = model(history).signals(for: Text(title: "crashloopbackoff", components: ["gadget"], detected: k8s(0.9)),
                                             candidates: people, now: day(13))
        #expect(triaged[1].skillFit == 0 && triaged[2].skillFit == 0, "\(triaged)")
    }

    @Test func incrementalLearningEqualsLearningAllAtOnce() {
        let history = teamHistory()
        let batch = model(history)
        let incremental = HistoryModel()
        let ticket = Text(title: "client reconnect after quorum loss", components: ["client"])
        for (index, (text, person, time)) in history.enumerated() {
            incremental.learn(text, assignee: person, resolved: time)
            if index % 5 == 0 { _ = incremental.signals(for: ticket, candidates: ["alice", "bob", "carol"], now: time) }
        }
        let people = ["alice", "bob", "carol"]
        #expect(batch.signals(for: ticket, candidates: people, now: day(13)) == incremental.signals(for: ticket, candidates: people, now: day(13)))
        #expect(batch.count == history.count)
    }

    @Test func queryCacheGivesTheSameSignalsAndForgetsWhenTheModelLearns() {
        var off = HistoryModel.Parameters()
        off.queryCache = 0
        var small = HistoryModel.Parameters()
        small.queryCache = 2
        let models = [model(teamHistory()), model(teamHistory(), parameters: small), model(teamHistory(), parameters: off)]
        let people = ["alice", "bob", "carol", "erin"]
        let tickets = [Text(title: "quorum leader election hangs", description: "client reconnect"),
                       Text(title: "typo in documentation page"), Text(title: "client watches lost"),
                       Text(title: "quorum leader election hangs", description: "client reconnect", components: ["docs"])]
        func signals(_ model: HistoryModel, _ ticket: Text) -> [HistoryModel.Signals] {
            model.signals(for: ticket, candidates: people, now: day(13))
        }
        for _ in 0..<3 {   // again and again, more tickets than the small cache holds
            for ticket in tickets { #expect(signals(models[0], ticket) == signals(models[2], ticket) && signals(models[1], ticket) == signals(models[2], ticket)) }
        }
        // Learning a ticket changes the neighbours and term weights: a cached query must not answer for the old model.
        for model in models { model.learn(Text(title: "quorum leader election hangs forever"), assignee: "erin", resolved: day(12.5)) }
        let after = signals(models[0], tickets[0])
        #expect(after[3].similarWork > 0 && after[3].similarTickets == 1)
        #expect(after == signals(models[2], tickets[0]) && signals(models[1], tickets[0]) == after)
    }

    /// A cached query also keeps its vocabulary entries of the last pool and the ticket's skills: other pools, other
    /// times, other predicted skills for the same text, overrides (new skill ids) and other components get what a model
    /// without the cache gives.
    @Test func queryCacheKeepsPoolsAndSkillsOnlyWhileTheyHold() {
        var off = HistoryModel.Parameters()
        off.queryCache = 0
        let cached = model(teamHistory()), plain = model(teamHistory(), parameters: off)
        let pools = [["alice", "bob", "carol", "erin"], ["bob", "carol"], ["erin", "alice", "dave"], ["alice", "bob", "carol", "erin"]]
        let tickets = [Text(title: "quorum leader election hangs", description: "client reconnect"),
                       Text(title: "quorum leader election hangs", description: "client reconnect", components: ["docs"]),
                       Text(title: "typo in documentation page", labels: ["website"]),
                       Text(title: "leader election stalls", components: ["election", "server"]),
                       Text(title: "leader election stalls", detected: [DetectedSkill(name: "component:client", weight: 0.7, source: .learned)]),
                       Text(title: "leader election stalls", detected: [DetectedSkill(name: "component:client", weight: 0.4, source: .learned)]),
                       Text(title: "leader election stalls", detected: [DetectedSkill(name: "component:server", weight: 0.4, source: .learned)])]
        func check(_ label: String) {
            for (round, pool) in pools.enumerated() {
                for ticket in tickets + tickets {   // each ticket twice in a row: the second one is answered from the cache
                    let now = day(13 + Double(round) * 0.25)
                    let want = plain.signals(for: ticket, candidates: pool, now: now)
                    #expect(cached.signals(for: ticket, candidates: pool, now: now) == want, "\(label) \(pool) \(ticket.title)")
                }
            }
        }
        check("learned")
        // A ticket without an assignee teaches nothing.
        for model in [cached, plain] {
            model.learn(Text(title: "quorum leader election hangs again", components: ["election"]), assignee: nil, resolved: day(12.6))
        }
        check("unassigned")
        // An override of a ticket with a component the model never saw: a new skill id, and a penalty.
        for model in [cached, plain] {
            model.learnOverride(Text(title: "leader election stalls", components: ["election"]), from: "alice", at: day(12.7))
        }
        check("override")
        #expect(cached.signals(for: tickets[1], candidates: pools[0], now: day(13)) != cached.signals(for: tickets[0], candidates: pools[0], now: day(13)))
    }

    @Test func overridesMoveAPersonDownForThatKindOfTicket() {
        // alice owns more of the storage work; bob does some.
        let model = HistoryModel()
        var history: [(Text, String, Date)] = []
        for i in 0..<8 { history.append((Text(title: "storage compaction \(i)", components: ["storage"]), "alice", day(Double(i)))) }
        for i in 0..<4 { history.append((Text(title: "storage snapshot \(i)", components: ["storage"]), "bob", day(Double(i) * 2 + 0.5))) }
        for i in 0..<4 { history.append((Text(title: "web page \(i)", components: ["web"]), "alice", day(Double(i) + 0.7))) }
        for i in 0..<40 { history.append((Text(title: "task\(i) widget\(i)"), "dave", day(Double(i) * 0.2 + 0.1))) }
        for (text, person, time) in history.sorted(by: { $0.2 < $1.2 }) { model.learn(text, assignee: person, resolved: time) }
        let storageTicket = Text(title: "storage compaction and snapshot slow", components: ["storage"])
        let webTicket = Text(title: "web page broken", components: ["web"])
        func order(_ ticket: Text) -> [String] {
            let signals = model.signals(for: ticket, candidates: ["alice", "bob"], now: day(9))
            let candidates = zip(["alice", "bob"], signals).map {
                CandidateSignals(person: Person(id: $0.0, displayName: $0.0), skillFit: $0.1.skillFit, similarWork: $0.1.similarWork,
                                 recentActivity: $0.1.recentActivity)
            }
            let ticket = Ticket(key: "T-1", project: "T", title: ticket.title, components: ticket.components, created: day(9))
            return Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: candidates, now: day(9)).candidates.map(\.person)
        }
        #expect(order(storageTicket) == ["alice", "bob"])
        // People keep reassigning storage tickets from alice to bob.
        for i in 0..<4 { model.learnOverride(Text(title: "storage issue \(i)", components: ["storage"]), from: "alice", at: day(8.5)) }
        #expect(order(storageTicket) == ["bob", "alice"])
        // Only for that kind of ticket: web tickets still go to alice.
        #expect(order(webTicket).first == "alice")
    }

    @Test func emptyModelAndEmptyPoolAreHarmless() {
        let model = HistoryModel()
        #expect(model.signals(for: Text(title: ""), candidates: [], now: start).isEmpty)
        #expect(model.signals(for: Text(title: "x"), candidates: ["a"], now: start) == [HistoryModel.Signals()])
        model.learn(Text(title: ""), assignee: "a", resolved: start)
        #expect(model.signals(for: Text(title: ""), candidates: ["a"], now: start).count == 1)
        #expect(model.lastResolved("a") == start)
        #expect(model.lastResolved("b") == nil)
    }

    /// A year ago erin resolved ZK-500 and ZK-502 and then left; since then alice and bob resolve everything.
    func siblingsModel(_ parameters: HistoryModel.Parameters = .init()) -> HistoryModel {
        let model = HistoryModel(parameters: parameters)
        model.learn(Text(key: "ZK-500", title: "snapshot alpha"), assignee: "erin", resolved: day(0))
        model.learn(Text(key: "ZK-502", title: "snapshot beta"), assignee: "erin", resolved: day(1))
        for i in 0..<30 {
            model.learn(Text(key: "ZK-\(600 + i)", title: "work\(i) item\(i)"), assignee: i % 2 == 0 ? "alice" : "bob",
                        resolved: day(300 + Double(i)))
        }
        return model
    }

    @Test func siblingsBringBackThePersonWhoResolvedTicketsFiledAlongside() {
        let people = ["alice", "bob", "erin"]
        // ZK-501 was filed between erin's two tickets; it is resolved only now.
        let signals = siblingsModel().signals(for: Text(key: "ZK-501", title: "unrelated words"), candidates: people, now: day(331))
        #expect(signals[2].recentActivity == 1)   // 2^(-1/5) twice, at most 1
        #expect(signals[2].recentActivity > signals[0].recentActivity && signals[2].recentActivity > signals[1].recentActivity)
        #expect(signals[2].skillFit == 1)         // the same piece of work: siblings count as skill fit too
        #expect(signals[2].siblings == 1 && signals[0].siblings < 0.001)   // kept for the explanation
        #expect(signals[0].skillFit < 0.001 && signals[2].similarWork == 0)   // alice: no components, ZK-600 is 99 away
        // A ticket filed with alice's and bob's, far from erin's numbers: erin only has her faded presence.
        let later = siblingsModel().signals(for: Text(key: "ZK-631", title: "unrelated words"), candidates: people, now: day(331))
        #expect(later[2].recentActivity < 0.01)
        #expect(later[2].skillFit == 0)
        // Further away counts less: ZK-510 is 8 and 10 numbers from erin's tickets.
        let far = siblingsModel().signals(for: Text(key: "ZK-510", title: "unrelated words"), candidates: people, now: day(331))
        #expect(abs(far[2].recentActivity - (exp2(-8.0 / 5) + exp2(-10.0 / 5))) < 1e-9)
        #expect(far[2].skillFit == far[2].recentActivity)
    }

    @Test func siblingsNeedANumberedKeyOfTheSameProjectAndCanBeTurnedOff() {
        let people = ["alice", "bob", "erin"]
        let now = day(331)
        let base = siblingsModel().signals(for: Text(title: "unrelated words"), candidates: people, now: now)
        #expect(base[2].recentActivity < 0.01)
        for key in ["OTHER-501", "ZK-abc501", "501", "ZK-", "-501", "ZK 501"] {
            let signals = siblingsModel().signals(for: Text(key: key, title: "unrelated words"), candidates: people, now: now)
            #expect(signals == base, "\(key)")
        }
        #expect(HistoryModel.keyNumber("zk-0501")! == ("ZK", 501))
        #expect(HistoryModel.keyNumber("NUMPY-c1f90bbb55e") == nil)
        // ASCII keys are read byte by byte; that reading agrees with the general one, and other keys take the general one.
        let keys = ["ZK-501", "zk-0501", "numpy-12", "A-1", "a_b9-7", "ZK-1-2", "ZK--2", "9ZK-1", "_ZK-1", "ZK-", "-5", "ZK",
                    "ZK-12a", "ZK-1234567890123456", "ZK-123456789012345", "Z.K-1", "ZK 1-2", "ZK-+1", "ZK-\r\n1", "", "-", "ZK-01",
                    "Ärger-5", "ZK-５", "ZK-1\u{301}", "ＺＫ-1", "ZK\u{301}-1"]
        for key in keys {
            let fast = HistoryModel.asciiKeyNumber(key)
            #expect((fast == nil) == !key.utf8.allSatisfy { $0 < 0x80 }, "\(key)")
            if let fast { #expect(fast.valid == (fast.parsed != nil), "\(key)") }
            let general = HistoryModel.generalKeyNumber(key)
            let read = HistoryModel.keyNumber(key)
            #expect(read?.0 == general?.0 && read?.1 == general?.1, "\(key)")
        }
        #expect(keys.filter { HistoryModel.keyNumber($0) != nil }.count >= 6)
        var off = HistoryModel.Parameters()
        off.siblingHalfLifeNumbers = 0
        let signals = siblingsModel(off).signals(for: Text(key: "ZK-501", title: "unrelated words"), candidates: people, now: now)
        #expect(signals == base)
    }
}

@Suite struct WhatIfTests {
    @Test func gini() {
        #expect(WhatIf.gini([]) == 0)
        #expect(WhatIf.gini([3, 3, 3, 3]) == 0)
        #expect(abs(WhatIf.gini([0, 0, 0, 4]) - 0.75) < 1e-12)
        #expect(abs(WhatIf.gini([1, 2, 3, 4]) - 0.25) < 1e-12)
    }

    @Test func weightListsAreParsedAndValidated() throws {
        #expect(try WhatIf.parse("skillFit=1, similarWork=0.5").get() == ["skillFit": 1, "similarWork": 0.5])
        #expect(try WhatIf.parse("").get() == [:])
        for bad in ["skillFit", "skillFit=x", "bogus=1", "skillFit=-1", "skillFit=nan", "skillFit=11"] {
            #expect(throws: WhatIfError.self, "\(bad)") { try WhatIf.parse(bad).get() }
        }
        // A weight set can be applied to a project as it is: the same bounds as the project's settings.
        #expect(WhatIf.validate(["skillFit": 10]) == nil)
        #expect(WhatIf.validate(["skillFit": 10.5]) == "weights.skillFit: must be a number in 0...10")
        #expect(ProjectSettings(weights: ["skillFit": 10]).validationErrors().isEmpty)
        #expect(!ProjectSettings(weights: ["skillFit": 10.5]).validationErrors().isEmpty)
    }

    /// One baseline: a set that names nothing is the scoring model's defaults, and a named factor replaces only its own.
    @Test func aWeightSetStartsFromTheScoringModelsDefaults() throws {
        #expect(WhatIf.weightSet([:]) == ScoringFactor.defaultWeights)
        #expect(WhatIf.weightSet([:]) == ProjectSettings().weights, "a new project's weights are the same defaults")
        var expected = ScoringFactor.defaultWeights
        expected["fairness"] = 0
        #expect(WhatIf.weightSet(["fairness": 0]) == expected)
        // What the replay ran with is reported as such: the full set.
        let records = (0..<10).map { index in
            HistoryRecord(key: "T-\(index)", project: "T", title: "crash in parser \(index)", description: "", components: ["parser"], labels: [],
                          assignee: index % 2 == 0 ? "ana" : "bo", created: Date(timeIntervalSince1970: Double(index) * 86_400),
                          resolved: Date(timeIntervalSince1970: Double(index) * 86_400 + 3600), status: .done, priority: nil, storyPoints: nil)
        }
        #expect(WhatIf.run(records, weightSets: [[:]]).first?.weights == ScoringFactor.defaultWeights)
    }

    /// The small-history warning: below 50 in-pool test tickets, with the counts, the uncertainty and what to do.
    @Test func aSmallHistoryIsWarnedAbout() {
        #expect(ReplayReading.warnings(tickets: 1175, testTickets: 235, inPool: 220).isEmpty)
        #expect(ReplayReading.warnings(tickets: 250, testTickets: 50, inPool: 50).isEmpty)
        let small = ReplayReading.warnings(tickets: 40, testTickets: 8, inPool: 6)
        #expect(small == ["Too little history for these figures to mean much: 40 resolved tickets, 8 tested, 6 with their assignee in "
            + "the candidate pool (fewer than 50); a rate over 6 tickets can be off by ±40 percentage points (95% interval). Import more "
            + "history (at least 250 resolved, assigned tickets, so that 50 or more are tested) and replay again."])
        let none = ReplayReading.warnings(tickets: 3, testTickets: 1, inPool: 0)
        #expect(none.count == 1)
        #expect(none.first?.hasPrefix("Too little history to measure anything: 3 resolved tickets, 1 tested, 0 with their assignee") == true)
        #expect(none.first?.contains("Import more history") == true)
    }
}
