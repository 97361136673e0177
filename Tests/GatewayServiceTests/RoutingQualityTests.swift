import Contracts
import Foundation
@testable import GatewayService
import Testing

/// Routing quality from a decision log whose counts are worked out by hand (see each decision's comment).
@Suite struct RoutingQualityTests {
    static func at(_ text: String) -> Date { ISO8601.parse(text)! }

    /// Wednesday 18 March 2026: with 2 weeks, the window is the ISO weeks of Monday 9 and Monday 16 March.
    let now = at("2026-03-18T12:00:00Z")

    /// Fifteen decisions of eight tickets: people a, b, c, d.
    var log: [RoutingQuality.Entry] {
        typealias E = RoutingQuality.Entry
        return [
            E(id: 1, ticket: "T9", mode: .auto, chosen: "a", at: Self.at("2026-01-10T10:00:00Z"), top: ["a"]),   // long before: nothing
            E(id: 2, ticket: "T1", mode: .suggested, chosen: "a", at: Self.at("2026-03-05T10:00:00Z"), top: ["a", "b", "c", "d"]),  // before the window
            // Week of 9 March.
            E(id: 3, ticket: "T1", mode: .manual, chosen: "a", at: Self.at("2026-03-09T10:00:00Z")),   // top-1, waited 96 h
            E(id: 4, ticket: "T2", mode: .suggested, chosen: "b", at: Self.at("2026-03-10T09:00:00Z"), top: ["b", "a", "c"]),  // recommended
            E(id: 5, ticket: "T2", mode: .suggested, chosen: "c", at: Self.at("2026-03-10T10:00:00Z"), top: ["c", "b", "a"]),  // recommended, latest
            E(id: 6, ticket: "T2", mode: .override, chosen: "b", at: Self.at("2026-03-10T12:00:00Z")),  // top-3 only, override, 3 h
            E(id: 7, ticket: "T3", mode: .auto, chosen: "a", at: Self.at("2026-03-11T08:00:00Z"), top: ["a", "b"]),  // auto top-1, 0 h
            E(id: 8, ticket: "T3", mode: .override, chosen: "b", at: Self.at("2026-03-12T08:00:00Z")),  // a day later: T3 not kept; top-3
            E(id: 9, ticket: "T4", mode: .auto, chosen: "c", at: Self.at("2026-03-12T09:00:00Z"), top: ["c", "a"]),  // auto top-1, 0 h
            // Week of 16 March.
            E(id: 10, ticket: "T4", mode: .rebalance, chosen: "a", at: Self.at("2026-03-20T09:00:00Z")),  // 8 days later: T4 kept
            E(id: 11, ticket: "T5", mode: .suggested, chosen: "a", at: Self.at("2026-03-16T10:00:00Z"), top: ["a", "b", "c"]),  // recommended
            E(id: 12, ticket: "T5", mode: .manual, chosen: "d", at: Self.at("2026-03-16T12:00:00Z")),  // not in the top 3, 2 h
            E(id: 13, ticket: "T6", mode: .auto, chosen: "b", at: Self.at("2026-03-17T10:00:00Z"), top: ["b"]),  // auto top-1, 0 h
            E(id: 14, ticket: "T6", mode: .manual, chosen: "b", at: Self.at("2026-03-17T11:00:00Z")),  // same person: kept; top-1
            E(id: 15, ticket: "T7", mode: .manual, chosen: "a", at: Self.at("2026-03-17T12:00:00Z")),  // never suggested: assigned only
            E(id: 16, ticket: "T8", mode: .suggested, chosen: "a", at: Self.at("2026-03-25T12:00:00Z"), top: ["a"]),  // after now: nothing
        ]
    }

    @Test func countsTheWindowAndEachWeek() {
        let report = RoutingQuality.compute(project: "ENG", entries: log.shuffled(), weeks: 2, now: now)
        #expect(report.since == Self.at("2026-03-09T00:00:00Z"))
        #expect(report.counts == RoutingQuality.Counts(recommended: 3, assigned: 9, acceptedTop1: 5, acceptedTop3: 7, overrides: 2,
                                                       autoAssigned: 3, autoAssignedKept: 2, medianTimeToAssignHours: 1))
        #expect(report.byWeek.map(\.week) == ["2026-03-09", "2026-03-16"])
        #expect(report.byWeek[0].counts == RoutingQuality.Counts(recommended: 2, assigned: 5, acceptedTop1: 3, acceptedTop3: 5, overrides: 2,
                                                                 autoAssigned: 2, autoAssignedKept: 1, medianTimeToAssignHours: 1.5))
        #expect(report.byWeek[1].counts == RoutingQuality.Counts(recommended: 1, assigned: 4, acceptedTop1: 2, acceptedTop3: 2, overrides: 0,
                                                                 autoAssigned: 1, autoAssignedKept: 1, medianTimeToAssignHours: 1))
    }

    @Test func aWiderWindowHasEmptyWeeksAndCountsEarlierSuggestions() {
        let report = RoutingQuality.compute(project: "ENG", entries: log, weeks: 3, now: now)
        #expect(report.byWeek.map(\.week) == ["2026-03-02", "2026-03-09", "2026-03-16"])
        #expect(report.byWeek[0].counts == RoutingQuality.Counts(recommended: 1))
        #expect(report.counts.recommended == 4)
        #expect(report.counts.assigned == 9)
        let empty = RoutingQuality.compute(project: "ENG", entries: [], weeks: 1, now: now)
        #expect(empty.counts == RoutingQuality.Counts())
        #expect(empty.byWeek.map(\.week) == ["2026-03-16"])
    }

    @Test func autoAssignmentsReassignedWithinSevenDaysAreNotKept() {
        typealias E = RoutingQuality.Entry
        let entries = [
            E(id: 1, ticket: "A", mode: .auto, chosen: "a", at: Self.at("2026-03-16T08:00:00Z"), top: ["a"]),
            E(id: 2, ticket: "A", mode: .rebalance, chosen: "b", at: Self.at("2026-03-16T09:00:00Z")),   // moved: not kept
            E(id: 3, ticket: "B", mode: .auto, chosen: "a", at: Self.at("2026-03-16T08:00:00Z"), top: ["a"]),
            E(id: 4, ticket: "B", mode: .auto, chosen: "c", at: Self.at("2026-03-17T08:00:00Z"), top: ["c"]),   // B's first not kept
            E(id: 5, ticket: "C", mode: .auto, chosen: "a", at: Self.at("2026-03-18T08:00:00Z"), top: ["a"]),   // young: kept so far
        ]
        let report = RoutingQuality.compute(project: "ENG", entries: entries, weeks: 1, now: now)
        #expect(report.counts.autoAssigned == 4)
        #expect(report.counts.autoAssignedKept == 2)
        #expect(report.counts.assigned == 4, "a rebalance is not an assignment")
    }

    @Test func weeksStartOnMondayInUTC() {
        #expect(RoutingQuality.weekStart(of: Self.at("2026-03-15T23:59:00Z")) == Self.at("2026-03-09T00:00:00Z"))
        #expect(RoutingQuality.weekStart(of: Self.at("2026-03-16T00:00:00Z")) == Self.at("2026-03-16T00:00:00Z"))
        #expect(RoutingQuality.weekStart(of: Self.at("2027-01-01T12:00:00Z")) == Self.at("2026-12-28T00:00:00Z"))
        #expect(RoutingQuality.day(Self.at("2026-12-28T00:00:00Z")) == "2026-12-28")
    }

    @Test func answersCamelCaseJSONWithTheCountsAtTheTop() throws {
        let report = RoutingQuality.compute(project: "ENG", entries: log, weeks: 3, now: now)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try JSONCoding.encode(report))) as? [String: Any])
        for key in ["project", "weeks", "since", "until", "recommended", "assigned", "acceptedTop1", "acceptedTop3", "overrides",
                    "autoAssigned", "autoAssignedKept", "medianTimeToAssignHours", "byWeek"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["acceptedTop1"] as? Int == 5)
        let weeks = try #require(object["byWeek"] as? [[String: Any]])
        #expect(weeks.first?["week"] as? String == "2026-03-02")
        #expect(weeks.first?["medianTimeToAssignHours"] is NSNull, "a week without assignments has no median")
        #expect(weeks.first?["recommended"] as? Int == 1)
        #expect(weeks.last?["assigned"] as? Int == 4)
    }
}
