/// Accuracy of a replay: top-k hit rates and mean reciprocal rank.
public struct ReplayScore: Sendable, Equatable {
    public var tickets = 0
    public var top1 = 0.0, top3 = 0.0, top5 = 0.0, top10 = 0.0, mrr = 0.0

    /// Adds one ticket whose true assignee was at `rank` (1-based; nil when not in the list).
    mutating func add(rank: Int?) {
        tickets += 1
        guard let rank else { return }
        if rank <= 1 { top1 += 1 }
        if rank <= 3 { top3 += 1 }
        if rank <= 5 { top5 += 1 }
        if rank <= 10 { top10 += 1 }
        mrr += 1 / Double(rank)
    }

    /// Rates instead of counts.
    var rates: ReplayScore {
        guard tickets > 0 else { return self }
        let n = Double(tickets)
        return ReplayScore(tickets: tickets, top1: top1 / n, top3: top3 / n, top5: top5 / n, top10: top10 / n, mrr: mrr / n)
    }

    /// One line of figures.
    public var summary: String {
        String(format: "n=%d top1=%.3f top3=%.3f top5=%.3f top10=%.3f mrr=%.3f", tickets, top1, top3, top5, top10, mrr)
    }
}
