import Foundation

/// The taxonomy shipped with the project (`Resources/taxonomy.json`).
extension SkillTaxonomy {
    /// Loads and validates the bundled taxonomy; throws `SkillsError` with code `.resourceMissing` when the
    /// resource bundle is not next to the executable (never traps, unlike touching `Bundle.module` blindly).
    public static func bundled() throws -> SkillTaxonomy {
        let url = try bundledURL()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SkillsError(.resourceMissing, "cannot read the bundled taxonomy at \(url.path): \(error.localizedDescription)")
        }
        return try SkillTaxonomy(data: data)
    }

    /// Loads and validates a taxonomy file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SkillsError(.resourceMissing, "cannot read the taxonomy at \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    /// Where `taxonomy.json` is. SwiftPM's generated `Bundle.module` traps when its bundle directory is
    /// missing, so the directory is looked for first and `Bundle.module` is only touched once it exists.
    private static func bundledURL() throws -> URL {
        let suffix = "_SkillsCore.resources"
        var places: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { places.append(executable.deletingLastPathComponent()) }
        let manager = FileManager.default
        for place in places {
            guard let entries = try? manager.contentsOfDirectory(atPath: place.path) else { continue }
            for entry in entries where entry.hasSuffix(suffix) || entry.hasSuffix("_SkillsCore.bundle") {
                let directory = place.appendingPathComponent(entry)
                let candidates = [
                    directory.appendingPathComponent("taxonomy.json"),
                    directory.appendingPathComponent("Contents/Resources/taxonomy.json"),
                ]
                guard let file = candidates.first(where: { manager.fileExists(atPath: $0.path) }) else { continue }
                // `Bundle.module` looks beside `Bundle.main` first; only there is it certain not to trap.
                guard place == Bundle.main.bundleURL else { return file }
                return Bundle.module.url(forResource: "taxonomy", withExtension: "json") ?? file
            }
        }
        throw SkillsError(.resourceMissing,
                          "the bundled taxonomy is missing: no *\(suffix)/taxonomy.json next to \(places[0].path)")
    }
}
