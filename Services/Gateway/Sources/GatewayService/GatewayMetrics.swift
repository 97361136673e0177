import Model
import Observability

/// What the gateway counts for operators, besides HTTP and RPC latency: recommendations, assignments by how they were
/// made (automatic, by hand, overriding the suggestion), skill detections by where their answer came from (the model,
/// the local detector, the local detector after the model failed), tickets imported through the API, and Jira syncs.
/// Every series exists from the start (at 0), so rates and alerts work before the first event. deploy/README.md,
/// "Metrics", lists them with example alerts.
struct GatewayMetrics: Sendable {
    private let recommendations: Counter
    private let assignments: [Decision.Mode: Counter]
    private let detections: [String: Counter]
    private let imported: [String: Counter]
    private let syncs: [Bool: Counter]

    static let detectionSources = ["model", "cached", "local", "local-fallback", "unavailable"]

    init(_ registry: MetricsRegistry = MetricsRegistry()) {
        recommendations = registry.counter("smart_ticket_recommendations_total", help: "Recommendations made (each records a decision).")
        assignments = Dictionary(uniqueKeysWithValues: [Decision.Mode.auto, .manual, .override].map { mode in
            (mode, registry.counter("smart_ticket_assignments_total", help: "Tickets assigned, by how: auto, manual (as suggested or without one), override.",
                                    labels: ["mode": mode.rawValue]))
        })
        detections = Dictionary(uniqueKeysWithValues: Self.detectionSources.map { source in
            (source, registry.counter("smart_ticket_skill_detections_total",
                                      help: "Skill detections for recommendations, by source: model, cached (a model answer), local, local-fallback (the model failed), unavailable (the skills service did not answer).",
                                      labels: ["source": source]))
        })
        imported = Dictionary(uniqueKeysWithValues: ["created", "updated", "unchanged", "rejected"].map { result in
            (result, registry.counter("smart_ticket_imported_tickets_total", help: "Ticket lines imported through POST /api/v1/import, by result.",
                                      labels: ["result": result]))
        })
        syncs = [true: registry.counter("smart_ticket_jira_syncs_total", help: "Jira syncs of a tenant, by result.", labels: ["result": "ok"]),
                 false: registry.counter("smart_ticket_jira_syncs_total", help: "Jira syncs of a tenant, by result.", labels: ["result": "error"])]
    }

    func recommended() { recommendations.increment() }

    func assigned(_ mode: Decision.Mode) { assignments[mode]?.increment() }

    /// A detection answered from `source` (nil: the skills service did not answer).
    func detected(source: String?, cached: Bool) {
        let key = source == nil ? "unavailable" : (source == "model" && cached ? "cached" : source!)
        detections[key]?.increment()
    }

    func imported(created: Int, updated: Int, unchanged: Int, rejected: Int) {
        for (key, count) in [("created", created), ("updated", updated), ("unchanged", unchanged), ("rejected", rejected)] where count > 0 {
            imported[key]?.increment(by: Double(count))
        }
    }

    func synced(ok: Bool) { syncs[ok]?.increment() }
}
