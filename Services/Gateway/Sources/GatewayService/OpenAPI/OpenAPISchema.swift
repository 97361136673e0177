import Foundation

/// Small builders for the JSON Schema objects of the OpenAPI document (OpenAPI 3.0 dialect).
enum Schema {
    typealias JSON = [String: Any]

    static var string: JSON { ["type": "string"] }
    static var integer: JSON { ["type": "integer"] }
    static var number: JSON { ["type": "number"] }
    static var boolean: JSON { ["type": "boolean"] }
    static var dateTime: JSON { ["type": "string", "format": "date-time"] }
    static var day: JSON { ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"] }
    /// An identifier or short value: no control characters (what storage accepts; its limit is 255 bytes).
    static var identifier: JSON { ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^\\u0000-\\u001F\\u007F]+$"] }
    /// An id in a path (after percent-decoding): an ``identifier`` other than `.` and `..` (400 otherwise).
    static var pathIdentifier: JSON {
        ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^(?!\\.\\.?$)[^\\u0000-\\u001F\\u007F]+$"]
    }
    /// Free text: anything but NUL.
    static var text: JSON { ["type": "string", "pattern": "^[^\\u0000]*$"] }
    /// A lowercase slug: `[a-z0-9]` then up to 63 of `[a-z0-9-]`.
    static var slug: JSON { ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"] }
    static var unit: JSON { ["type": "number", "minimum": 0, "maximum": 1] }

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    static func array(_ items: JSON) -> JSON { ["type": "array", "items": items] }
    static func oneOf(_ values: [String]) -> JSON { ["type": "string", "enum": values] }
    static func map(_ values: JSON) -> JSON { ["type": "object", "additionalProperties": values] }
    static func described(_ schema: JSON, _ text: String) -> JSON { schema.merging(["description": text]) { $1 } }

    /// `schema` or null (a `$ref` is wrapped, as OpenAPI 3.0 ignores siblings of `$ref`).
    static func nullable(_ schema: JSON) -> JSON {
        schema["$ref"] != nil ? ["allOf": [schema], "nullable": true] : schema.merging(["nullable": true]) { $1 }
    }

    /// An object with exactly these properties (`required` must be present; others may be absent).
    static func object(_ properties: JSON, required: [String] = [], additional: Bool = false) -> JSON {
        var schema: JSON = ["type": "object", "properties": properties, "additionalProperties": additional]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    /// `{"items": [ITEM], "next": CURSOR or null}`.
    static func list(_ item: String) -> JSON {
        object(["items": array(ref(item)), "next": nullable(described(string, "Cursor of the next page; null on the last page."))],
               required: ["items", "next"])
    }
}
