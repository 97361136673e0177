import Foundation
import Model
import RPC

/// JSON as the API speaks it: ISO 8601 dates, sorted keys.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: ISO8601Problem.describe(text) ?? "unreadable date")
            }
            return date
        }
        return decoder
    }()

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] { Array(try encoder.encode(value)) }

    /// Decodes a request body, turning decoding errors into a 400 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        guard !body.isEmpty else { throw APIError.badRequest("a JSON body is required") }
        do {
            return try decoder.decode(type, from: Data(body))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                // Foundation reports a number its field cannot hold (1.5 or 1e30 for a whole number)
                // as invalid JSON, without the field: say what it is when the body does parse.
                if (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) != nil {
                    throw APIError.badRequest("a number in the body does not fit its field: whole numbers take no fraction, and numbers must be in range")
                }
                throw APIError.badRequest("malformed JSON body")
            }
            throw APIError.badRequest(error.fieldDescription)
        }
    }

    /// ``decode(_:from:)`` for bodies that replace or change stored values (PATCH and PUT): a field
    /// the type does not read is a 400 naming it (a misspelt field would otherwise change nothing
    /// and still answer 200). See ``UnknownFields``.
    static func decodeStrict<T: Codable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        let value = try decode(type, from: body)
        let kept = (try? encode(value)) ?? []
        if let field = UnknownFields.first(sent: body, kept: kept) {
            var message = "unknown field `\(field)`"
            if !field.contains("."), !field.contains("["), let names = UnknownFields.fieldNames(of: value, kept: kept) {
                message += "; the fields are \(names.joined(separator: ", "))"
            } else {
                message += "; check its spelling against GET /api/v1/openapi.json"
            }
            throw APIError.badRequest(message)
        }
        return value
    }
}
