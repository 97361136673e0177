import Foundation

/// Finds the fields of a request body that decoding ignored, so a PATCH or PUT with a misspelt
/// field is refused instead of answering 200 and changing nothing.
///
/// The body is decoded, the value encoded again, and both compared as JSON: an object key with a
/// non-null value that the encoded value does not have was not read by the type (nested objects and
/// arrays are compared too). Null values are skipped: `"field": null` is how optional fields are
/// left out. This needs no list of fields per type, so a field added to a type is allowed at once.
enum UnknownFields {
    /// The path of the first ignored field (`titel`, `workingHours.strat`, `timeOff[0].reson`) of
    /// `sent` given `kept` (the decoded value encoded again), both JSON; nil when every field was read.
    static func first(sent: [UInt8], kept: [UInt8]) -> String? {
        guard let sentValue = try? JSONSerialization.jsonObject(with: Data(sent), options: [.fragmentsAllowed]),
              let keptValue = try? JSONSerialization.jsonObject(with: Data(kept), options: [.fragmentsAllowed]) else { return nil }
        return first(sentValue, keptValue, path: "")
    }

    private static func first(_ sent: Any, _ kept: Any, path: String) -> String? {
        if let sent = sent as? [String: Any], let kept = kept as? [String: Any] {
            for key in sent.keys.sorted() {
                let value = sent[key]!
                if value is NSNull { continue }
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let keptChild = kept[key] else { return child }
                if let found = first(value, keptChild, path: child) { return found }
            }
        } else if let sent = sent as? [Any], let kept = kept as? [Any], sent.count == kept.count {
            for (index, (sentElement, keptElement)) in zip(sent, kept).enumerated() {
                if let found = first(sentElement, keptElement, path: "\(path)[\(index)]") { return found }
            }
        }
        return nil
    }

    /// The field names of the object at the top of `value` (a decoded request body), for telling the
    /// caller what the route takes; nil unless they are exactly the names the JSON uses, i.e. every
    /// key of `kept` (its encoding) is one of them.
    static func fieldNames(of value: Any, kept: [UInt8]) -> [String]? {
        let labels = Mirror(reflecting: value).children.compactMap(\.label)
        guard !labels.isEmpty,
              let object = try? JSONSerialization.jsonObject(with: Data(kept)) as? [String: Any],
              Set(object.keys).isSubset(of: Set(labels)) else { return nil }
        return labels.sorted()
    }
}
