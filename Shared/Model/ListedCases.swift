/// A string enum whose decoding failure names the values it accepts: "must be one of admin, member,
/// viewer" (sorted) instead of Swift's "Cannot initialize Role from invalid String value ...".
/// Conforming is enough; the decoding error's coding path still names the field.
public protocol ListedCases: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ListedCases {
    /// The accepted values, sorted, comma-separated.
    public static var allowedValues: String { allCases.map(\.rawValue).sorted().joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of \(Self.allowedValues)")
        }
        self = value
    }
}
