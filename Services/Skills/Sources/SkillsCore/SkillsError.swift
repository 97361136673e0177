/// An error from the skills library: a code, the field it is about (if any) and a message safe to show.
public struct SkillsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The bundled taxonomy resource is missing or unreadable.
        public static let resourceMissing = Code("resourceMissing")
        /// The data is not valid JSON of the expected shape.
        public static let malformed = Code("malformed")
        /// A field has a bad value; `field` names it.
        public static let invalidField = Code("invalidField")
        /// A snapshot has an unsupported format version.
        public static let unsupportedVersion = Code("unsupportedVersion")

        public var description: String { name }
    }

    public var code: Code
    /// The field the error is about, as a path like `skills[3].aliases[1]`; empty when not about one field.
    public var field: String
    public var message: String

    public init(_ code: Code, field: String = "", _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
