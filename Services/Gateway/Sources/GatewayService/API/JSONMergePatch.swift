import Foundation

/// JSON Merge Patch (RFC 7396) on `JSONSerialization` objects: what a PATCH body does to a stored document.
enum JSONMergePatch {
    /// `target` with `patch` applied: each key of `patch` replaces the target's, objects merge recursively, and a null
    /// (`NSNull`) removes the key.
    static func apply(_ patch: [String: Any], to target: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull {
                result.removeValue(forKey: key)
            } else if let object = value as? [String: Any] {
                result[key] = apply(object, to: result[key] as? [String: Any] ?? [:])
            } else {
                result[key] = value
            }
        }
        return result
    }
}
