import Foundation

/// One service's part of the configuration: its settings with their defaults (`init()`) and the keys
/// that read them. The type lives in the service that owns it (`GatewaySettings` in GatewayService);
/// a process registers the sections it reads when it loads the ``Configuration`` and reads one with
/// `configuration[GatewaySettings.self]`.
///
/// The first components of a section's key paths (`http`, `auth`, `jira`) are its own: no other section
/// and none of Lifecycle's keys may use them. A service process loads only its own sections and ignores
/// keys under first components that no registered section owns (see ``Configuration/UnknownKeys``).
public protocol ConfigurationSection: Sendable, Equatable {
    /// The defaults.
    init()
    /// The keys, in documentation order.
    static var keys: [ConfigurationKey<Self>] { get }
}

extension ConfigurationSection {
    /// Whether `other` is a section of this type with the same values.
    func isEqual(to other: any ConfigurationSection) -> Bool { (other as? Self) == self }

    /// The keys, reading and writing this section inside a ``Configuration``.
    static var configurationKeys: [ConfigurationKey<Configuration>] {
        keys.map { key in
            ConfigurationKey<Configuration>(
                path: key.path, help: key.help, takesObject: key.takesObject,
                get: { configuration in key.get(configuration[Self.self]) },
                set: { (configuration, value) throws(ConfigurationError) in
                    var section = configuration[Self.self]
                    try key.set(&section, value)
                    configuration[Self.self] = section
                })
        }
    }
}

/// One key of a section: its dotted path in the file (`http.port`), a description, and how to read and
/// write it as text. Build keys with ``string(_:_:_:allowed:allowEmpty:)``, ``int(_:_:_:_:)``,
/// ``double(_:_:_:_:)``, or ``custom(_:_:get:set:)`` for any other shape.
public struct ConfigurationKey<Section>: Sendable {
    public let path: String
    public let help: String
    /// Whether a JSON object in the file is this key's value (``custom(_:_:takesObject:get:set:)``), not keys below it.
    public let takesObject: Bool
    let get: @Sendable (Section) -> String
    let set: @Sendable (inout Section, Any) throws(ConfigurationError) -> Void

    init(path: String, help: String, takesObject: Bool = false, get: @escaping @Sendable (Section) -> String,
         set: @escaping @Sendable (inout Section, Any) throws(ConfigurationError) -> Void) {
        self.path = path
        self.help = help
        self.takesObject = takesObject
        self.get = get
        self.set = set
    }

    /// `SMART_TICKET_` + the path with dots as underscores and camelCase split by underscores, upper-cased:
    /// `http.maxImportBytes` → `SMART_TICKET_HTTP_MAX_IMPORT_BYTES`.
    public var environmentVariable: String {
        "SMART_TICKET_" + path.map { $0 == "." ? "_" : String($0) }.joined()
            .replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression).uppercased()
    }

    /// The path's first component (`http` for `http.port`): the name its section owns.
    var firstComponent: Substring { path.prefix { $0 != "." } }

    /// A key of any other shape. `set` gets a `String` from the environment or a flag, and the JSON value
    /// from the file (a `String`, an `NSNumber`, an `[Any]`, `NSNull`, and with `takesObject` a `[String: Any]`); it
    /// throws a message naming the key.
    public static func custom(_ path: String, _ help: String, takesObject: Bool = false, get: @escaping @Sendable (Section) -> String,
                              set: @escaping @Sendable (inout Section, Any) throws(ConfigurationError) -> Void) -> Self {
        Self(path: path, help: help, takesObject: takesObject, get: get, set: set)
    }

    /// A string; with `allowed`, one of those; empty only with `allowEmpty`.
    public static func string(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Section, String> & Sendable,
                              allowed: [String]? = nil, allowEmpty: Bool = false) -> Self {
        Self(path: path, help: help, get: { $0[keyPath: keyPath] }, set: { (section, value) throws(ConfigurationError) in
            guard let text = value as? String, allowEmpty || !text.isEmpty else {
                throw ConfigurationError("`\(path)` must be a non-empty string")
            }
            if let allowed, !allowed.contains(text) {
                throw ConfigurationError("`\(path)` must be one of \(allowed.joined(separator: ", ")), got '\(text)'")
            }
            section[keyPath: keyPath] = text
        })
    }

    /// An integer within `range`.
    public static func int(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Section, Int> & Sendable,
                           _ range: ClosedRange<Int>) -> Self {
        Self(path: path, help: help, get: { String($0[keyPath: keyPath]) }, set: { (section, value) throws(ConfigurationError) in
            let number: Int?
            switch value {
            case let text as String: number = Int(text)
            case let numeric as NSNumber: number = numeric.doubleValue == numeric.doubleValue.rounded() ? numeric.intValue : nil
            default: number = nil
            }
            guard let number else { throw ConfigurationError("`\(path)` must be an integer") }
            guard range.contains(number) else {
                throw ConfigurationError("`\(path)` must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            section[keyPath: keyPath] = number
        })
    }

    /// A finite number within `range`.
    public static func double(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Section, Double> & Sendable,
                              _ range: ClosedRange<Double>) -> Self {
        Self(path: path, help: help, get: { String($0[keyPath: keyPath]) }, set: { (section, value) throws(ConfigurationError) in
            let number: Double?
            switch value {
            case let text as String: number = Double(text)
            case let numeric as NSNumber: number = numeric.doubleValue
            default: number = nil
            }
            guard let number, number.isFinite else { throw ConfigurationError("`\(path)` must be a number") }
            guard range.contains(number) else {
                throw ConfigurationError("`\(path)` must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            section[keyPath: keyPath] = number
        })
    }
}

/// A configuration problem, naming the key.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
