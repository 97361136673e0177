/// The struct declarations of Swift source files, as much of them as deriving a binary conformance needs: each
/// struct's qualified name (`StorageContract.DecisionRecord`), its stored properties in declaration order and the
/// parameter labels of its initializers.
///
/// Not a Swift parser: it reads the plain declarations this codebase writes (one property a line, `var`/`let NAME: TYPE`
/// with an optional default) and skips everything in bodies, comments and string literals. What it cannot read the
/// derived code does not compile with, or the binary conformance tests catch.
public struct SwiftDeclarations: Sendable {
    public struct Property: Sendable, Equatable {
        public var name: String
        /// The type as written, optional marker included (`String?`, `[String: Factor]`).
        public var type: String
        public var isLet: Bool

        public var isOptional: Bool { type.hasSuffix("?") }
        /// The type without the optional marker.
        public var wrappedType: String { isOptional ? String(type.dropLast()) : type }
    }

    public struct Initializer: Sendable, Equatable {
        public struct Parameter: Sendable, Equatable {
            public var label: String
            public var hasDefault: Bool
        }
        public var parameters: [Parameter]
    }

    public struct Struct: Sendable {
        public var name: String
        public var properties: [Property] = []
        public var initializers: [Initializer] = []
    }

    /// Every struct found, by qualified name.
    public private(set) var structs: [String: Struct] = [:]
    /// The qualified names of every struct, enum and class found.
    public private(set) var types: Set<String> = []

    public init() {}

    /// Reads the declarations of one source file.
    public mutating func read(_ source: String) {
        var scopes: [Scope] = []
        var pending: Scope?
        var initializer: String?   // the text of an initializer's parameter list being read, from `init(`
        for rawLine in SourceText.codeLines(source) {
            let line = rawLine.trimmingWhitespace
            let inStruct = scopes.last.map { $0.kind == "struct" } ?? false
            let structName = scopes.last.map { _ in Self.qualifiedName(scopes) } ?? ""
            if var text = initializer {
                text += " " + line
                if let parameters = Self.parameterList(text) {
                    structs[structName]?.initializers.append(Self.initializer(parameters))
                    initializer = nil
                } else {
                    initializer = text
                }
            } else if inStruct, let declaration = Self.declaration(line) {
                if declaration.kind == "init" {
                    if let parameters = Self.parameterList(declaration.rest) {
                        structs[structName]?.initializers.append(Self.initializer(parameters))
                    } else {
                        initializer = declaration.rest
                    }
                }
            } else if inStruct, let property = Self.storedProperty(line) {
                structs[structName]?.properties.append(property)
            }
            if let opened = Self.typeDeclaration(line) { pending = opened }
            for character in line {
                if character == "{" {
                    scopes.append(pending ?? Scope(kind: "", name: ""))
                    pending = nil
                    if let top = scopes.last, ["struct", "enum", "class"].contains(top.kind) { types.insert(Self.qualifiedName(scopes)) }
                    if let top = scopes.last, top.kind == "struct" {
                        let name = Self.qualifiedName(scopes)
                        if structs[name] == nil { structs[name] = Struct(name: name) }
                    }
                } else if character == "}" {
                    _ = scopes.popLast()
                }
            }
        }
    }

    /// `type` as written inside `scope` (a qualified struct name), with each name that an extension of `scope` in
    /// another file would not find qualified: a type nested in one of `scope`'s enclosing types (`StoredSkills` in
    /// `StorageContract.TicketContext` is `StorageContract.StoredSkills`).
    public func qualified(_ type: String, in scope: String) -> String {
        var result = ""
        var identifier = ""
        func flush() {
            defer { identifier = "" }
            guard let first = identifier.split(separator: ".").first.map(String.init) else { return }
            var enclosing = scope.split(separator: ".").map(String.init)
            if types.contains((enclosing + [first]).joined(separator: ".")) { result += identifier; return }   // nested in itself
            while !enclosing.isEmpty {
                enclosing.removeLast()
                let candidate = (enclosing + [first]).joined(separator: ".")
                if !enclosing.isEmpty && types.contains(candidate) {
                    result += enclosing.joined(separator: ".") + "." + identifier
                    return
                }
            }
            result += identifier
        }
        for character in type {
            if character.isLetter || character.isNumber || character == "_" || character == "." {
                identifier.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    struct Scope {
        var kind: String
        var name: String
    }

    /// The dotted name of the innermost named scopes (`extension StorageContract` + `struct DecisionRecord`); empty
    /// when an anonymous scope (a function or property body) is among them.
    static func qualifiedName(_ scopes: [Scope]) -> String {
        guard scopes.allSatisfy({ !$0.kind.isEmpty }) else { return "" }
        return scopes.map(\.name).joined(separator: ".")
    }

    static let modifiers: Set<String> = ["public", "internal", "private", "fileprivate", "final", "package", "indirect", "nonisolated"]

    /// `struct`, `enum`, `class`, `actor` or `extension` and its name, for a line that declares one.
    static func typeDeclaration(_ line: String) -> Scope? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, modifiers.contains(String(first)) || first.hasPrefix("@") { words = words.dropFirst() }
        guard let kind = words.first, ["struct", "enum", "class", "actor", "extension", "protocol"].contains(String(kind)),
              let name = words.dropFirst().first else { return nil }
        let identifier = name.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        guard !identifier.isEmpty else { return nil }
        return Scope(kind: String(kind), name: String(identifier))
    }

    /// `init` and what follows `init(`, for a line that declares an initializer.
    static func declaration(_ line: String) -> (kind: String, rest: String)? {
        var rest = Substring(line)
        while let space = rest.firstIndex(of: " "), modifiers.contains(String(rest[..<space])) || rest.hasPrefix("@") {
            rest = rest[rest.index(after: space)...]
        }
        guard rest.hasPrefix("init(") else { return nil }
        return ("init", String(rest.dropFirst("init(".count)))
    }

    /// A stored property declared on `line` (`public var name: Type = default`), or nil: computed properties (a body),
    /// static and lazy ones, and anything else.
    static func storedProperty(_ line: String) -> Property? {
        guard !line.contains("{") else { return nil }
        var words = line.split(separator: " ", maxSplits: 1)[...]
        while let first = words.first, modifiers.contains(String(first)) || first.hasPrefix("private(") || first.hasPrefix("public(")
                || first.hasPrefix("@") {
            guard words.count == 2 else { return nil }
            words = words.last!.split(separator: " ", maxSplits: 1)[...]
        }
        guard words.count == 2, let keyword = words.first, keyword == "var" || keyword == "let" else { return nil }
        let declaration = words.last!
        guard let colon = declaration.firstIndex(of: ":") else { return nil }
        let name = declaration[..<colon].trimmingWhitespace
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        var type = Substring(declaration[declaration.index(after: colon)...])
        if let equals = type.firstIndex(of: "=") { type = type[..<equals] }
        let typeText = type.trimmingWhitespace
        guard !typeText.isEmpty else { return nil }
        return Property(name: name, type: typeText, isLet: keyword == "let")
    }

    /// The parameters of `text` (what follows `init(`) up to its closing parenthesis, or nil when it is not closed yet.
    static func parameterList(_ text: String) -> String? {
        var depth = 0
        var previous: Character = " "
        for index in text.indices {
            defer { previous = text[index] }
            switch text[index] {
            case "(", "[", "<": depth += 1
            case ">" where previous == "-": break   // a function type's arrow
            case "]", ">": depth -= 1
            case ")":
                if depth == 0 { return String(text[..<index]) }
                depth -= 1
            default: break
            }
        }
        return nil
    }

    static func initializer(_ parameters: String) -> Initializer {
        Initializer(parameters: SourceText.splitTopLevel(parameters).compactMap { parameter in
            guard let colon = parameter.firstIndex(of: ":") else { return nil }
            let names = parameter[..<colon].split(separator: " ")
            guard let label = names.first else { return nil }
            return .init(label: String(label), hasDefault: parameter[colon...].contains("="))
        })
    }
}
