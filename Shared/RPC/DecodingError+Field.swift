extension DecodingError {
    /// A message naming the field at fault, for example "field `ticket.title`: expected String".
    public var fieldDescription: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let parts = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            var text = ""
            for part in parts {
                if part.hasPrefix("[") || text.isEmpty { text += part } else { text += "." + part }
            }
            return text.isEmpty ? "message" : text
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            let full = parent == "message" ? key.stringValue : "\(parent).\(key.stringValue)"
            return "field `\(full)` is required"
        case .typeMismatch(let type, let context):
            return "field `\(path(context.codingPath))`: expected \(type)"
        case .valueNotFound(let type, let context):
            return "field `\(path(context.codingPath))`: expected \(type), found null"
        case .dataCorrupted(let context):
            return "field `\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default:
            return "malformed message"
        }
    }
}
