import Crypto
import Foundation

/// The web panel's static files (HTML, CSS, JavaScript), read once into memory.
///
/// Only files found in the panel directory at start-up can ever be served: a request names one of
/// them exactly, so no path from a request ever reaches the file system.
public struct PanelAssets: Sendable {
    /// One file ready to serve.
    public struct Asset: Sendable {
        public let body: [UInt8]
        public let contentType: String
        /// A strong validator: the quoted SHA-256 prefix of the body.
        public let etag: String
    }

    /// The files by name (`index.html`, `panel.css`, ...).
    public let files: [String: Asset]
    /// Where they were read from; nil when no panel directory was found.
    public let directory: String?

    /// Content types by extension; files with other extensions are not served.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "json": "application/json",
    ]

    /// Reads every servable regular file directly in `directory` (not below it).
    public init(directory: String, maxFileBytes: Int = 2 << 20) throws {
        var files: [String: Asset] = [:]
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: directory) where Self.isValidName(name) {
            let path = directory + "/" + name
            guard let type = Self.contentTypes[(name as NSString).pathExtension.lowercased()],
                  let attributes = try? manager.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes[.size] as? Int, size <= maxFileBytes else { continue }
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            files[name] = Asset(body: body, contentType: type, etag: "\"" + Digest.hex(Array(Digest.sha256(body).prefix(12))) + "\"")
        }
        self.files = files
        self.directory = directory
    }

    /// No panel (its files were not found).
    public init() {
        files = [:]
        directory = nil
    }

    /// The panel shipped with the gateway: `Panel/` in the gateway's resource bundle next to the executable.
    public static func bundled() -> PanelAssets {
        guard let directory = bundledDirectory(), let assets = try? PanelAssets(directory: directory) else { return PanelAssets() }
        return assets
    }

    /// The asset called `name`, if it is one of the panel's files.
    public func asset(_ name: String) -> Asset? { Self.isValidName(name) ? files[name] : nil }

    /// A plain file name: letters, digits, `.`, `-`, `_`, not starting with a dot.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), name.utf8.count <= 100 else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// `<bundle>/Panel` beside the executable or `Bundle.main` (SwiftPM copies resource bundles there;
    /// the container image copies them beside the binaries). `Bundle.module` is never touched: it traps
    /// when its directory is missing.
    static func bundledDirectory() -> String? {
        var places: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL {
            places.append(executable.deletingLastPathComponent())
            places.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        let manager = FileManager.default
        for place in places {
            for bundle in ["SmartTicket_GatewayService.resources", "SmartTicket_GatewayService.bundle/Contents/Resources"] {
                let directory = place.appendingPathComponent(bundle).appendingPathComponent("Panel").path
                if manager.fileExists(atPath: directory + "/index.html") { return directory }
            }
        }
        return nil
    }
}
