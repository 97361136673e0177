import Contracts
import Model

/// A ranking from scoring with its candidates as the decision log's JSON, checked (``CandidatesJSON/parts()``).
struct RankedCandidates {
    /// Confidence, action, note and the candidates' names (`candidates` empty).
    let ranking: Ranking
    let candidates: CandidatesJSON
    let parts: [CandidatesJSON.Parts]
}
