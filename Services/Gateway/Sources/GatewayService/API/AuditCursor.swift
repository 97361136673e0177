import Foundation

/// Where a page of `GET /api/v1/audit` stopped in each of its two sources, the decision log and the audit record of
/// changes: the id of the last item of each source already given (its next items are older), or that the source has
/// no more. Both positions travel in one opaque cursor, so a page never repeats nor skips an item of either source,
/// whichever order their times interleave in.
struct AuditCursor: Equatable {
    /// Decisions already given end with this id (nil: none given yet).
    var decisionsBefore: Int64?
    /// Changes already given end with this id (nil: none given yet).
    var changesBefore: Int64?
    var decisionsDone = false
    var changesDone = false

    init(decisionsBefore: Int64? = nil, changesBefore: Int64? = nil, decisionsDone: Bool = false, changesDone: Bool = false) {
        self.decisionsBefore = decisionsBefore
        self.changesBefore = changesBefore
        self.decisionsDone = decisionsDone
        self.changesDone = changesDone
    }

    /// The cursor `text` (absent or empty: the first page), or a 400 naming the parameter.
    init(_ text: String?) throws {
        guard let text, !text.isEmpty else { return }
        let malformed = APIError.badRequest("query parameter `cursor` is malformed: pass the `next` of the previous page")
        guard text.utf8.count <= 64, let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else { throw malformed }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "a1" else { throw malformed }
        func position(_ part: Substring) throws -> (before: Int64?, done: Bool) {
            switch part {
            case "": return (nil, false)
            case "-": return (nil, true)
            default:
                guard let id = Int64(part), id > 0 else { throw malformed }
                return (id, false)
            }
        }
        (decisionsBefore, decisionsDone) = try position(parts[1])
        (changesBefore, changesDone) = try position(parts[2])
    }

    /// The opaque text: `a1:D:C`, base64, where D and C are an id, empty (from the newest) or `-` (no more).
    var encoded: String {
        func part(_ before: Int64?, _ done: Bool) -> String { done ? "-" : before.map(String.init) ?? "" }
        return Data("a1:\(part(decisionsBefore, decisionsDone)):\(part(changesBefore, changesDone))".utf8).base64EncodedString()
    }
}
