import Foundation
import Model

/// Checks JSON values (from `JSONSerialization`) against the schemas of an OpenAPI 3.0 document:
/// `$ref`, `allOf`, `nullable`, `type`, `enum`, `required`, `properties`, `additionalProperties`,
/// `items`, `minimum`/`maximum`, `minLength`/`maxLength`, `pattern` and `format: date-time`.
public struct SchemaValidator: @unchecked Sendable {
    public let document: [String: Any]

    public init(document: [String: Any]) { self.document = document }

    /// The schema of the `status` answer of `method path` (a documented path pattern), resolving `$ref`s of responses.
    public func responseSchema(method: String, path: String, status: Int) -> [String: Any]? {
        guard let paths = document["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
              let operation = item[method.lowercased()] as? [String: Any],
              var response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else { return nil }
        if let ref = response["$ref"] as? String, let resolved = resolve(ref) { response = resolved }
        guard let content = response["content"] as? [String: Any], let json = content["application/json"] as? [String: Any] else { return nil }
        return json["schema"] as? [String: Any]
    }

    /// Every way `value` breaks `schema`, each with its JSON path; empty when it conforms.
    public func validate(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            guard let resolved = resolve(ref) else { return ["\(path): unresolvable \(ref)"] }
            return validate(value, against: resolved, at: path)
        }
        if value is NSNull {
            return schema["nullable"] as? Bool == true ? [] : ["\(path): null is not allowed"]
        }
        var errors: [String] = []
        for part in schema["allOf"] as? [[String: Any]] ?? [] { errors += validate(value, against: part, at: path) }
        if let allowed = schema["enum"] as? [String], !(value is String && allowed.contains(value as! String)) {
            errors.append("\(path): \(value) is not one of \(allowed)")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return errors + ["\(path): expected an object"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { errors.append("\(path).\(name): required") }
            for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] as? [String: Any] {
                    errors += validate(child, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    errors += validate(child, against: additional, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path).\(name): not in the schema")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return errors + ["\(path): expected an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { errors += validate(item, against: items, at: "\(path)[\(index)]") }
            }
        case "string":
            guard let text = value as? String else { return errors + ["\(path): expected a string"] }
            if let min = schema["minLength"] as? Int, text.count < min { errors.append("\(path): shorter than \(min)") }
            if let max = schema["maxLength"] as? Int, text.count > max { errors.append("\(path): longer than \(max)") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                errors.append("\(path): '\(text)' does not match \(pattern)")
            }
            if schema["format"] as? String == "date-time", ISO8601.parse(text) == nil { errors.append("\(path): '\(text)' is not a date-time") }
        case "integer", "number":
            guard let number = value as? NSNumber, !Self.isBoolean(number) else { return errors + ["\(path): expected a number"] }
            if schema["type"] as? String == "integer", number.doubleValue != number.doubleValue.rounded() {
                errors.append("\(path): expected an integer")
            }
            if let min = (schema["minimum"] as? NSNumber)?.doubleValue, number.doubleValue < min { errors.append("\(path): below \(min)") }
            if let max = (schema["maximum"] as? NSNumber)?.doubleValue, number.doubleValue > max { errors.append("\(path): above \(max)") }
        case "boolean":
            guard let number = value as? NSNumber, Self.isBoolean(number) else { return errors + ["\(path): expected a boolean"] }
        default:
            break
        }
        return errors
    }

    /// `#/components/...` to the object it names.
    public func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
