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
            return "field `\(path(context.codingPath))`: expected \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            return "field `\(path(context.codingPath))`: expected \(Self.kind(type)), found null"
        case .dataCorrupted(let context):
            return "field `\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default:
            return "malformed message"
        }
    }

    /// What a value of `type` is in JSON ("a string", "a number", "an array"...), rather than its
    /// Swift name (`Array<Any>`, `Dictionary<String, Any>`); other types keep their name.
    static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is Int32.Type, is Int16.Type, is Int8.Type,
             is UInt.Type, is UInt64.Type, is UInt32.Type, is UInt16.Type, is UInt8.Type: return "a whole number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("ContiguousArray<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return name
        }
    }
}
