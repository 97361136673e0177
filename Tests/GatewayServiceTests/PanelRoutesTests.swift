import Foundation
@testable import GatewayService
import Harness
import HTTP
import Testing

/// The panel's static routes: content types, caching validators, security headers, and no way out of
/// the panel directory.
@Suite struct PanelRoutesTests {
    /// A panel directory with a page, a script and a stylesheet, and a secret file beside it.
    func makePanel() throws -> (TemporaryDirectory, PanelRoutes) {
        let directory = TemporaryDirectory()
        let panel = directory.file("Panel")
        try FileManager.default.createDirectory(atPath: panel, withIntermediateDirectories: true)
        try "<!doctype html><title>t</title>".write(toFile: panel + "/index.html", atomically: true, encoding: .utf8)
        try "console.log(1)".write(toFile: panel + "/panel.js", atomically: true, encoding: .utf8)
        try "body{}".write(toFile: panel + "/panel.css", atomically: true, encoding: .utf8)
        try "secret".write(toFile: panel + "/.hidden.js", atomically: true, encoding: .utf8)
        try "not served".write(toFile: panel + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: panel + "/sub", withIntermediateDirectories: true)
        try "nested".write(toFile: panel + "/sub/inner.js", atomically: true, encoding: .utf8)
        try "top secret".write(toFile: directory.file("secret.js"), atomically: true, encoding: .utf8)
        return (directory, PanelRoutes(assets: try PanelAssets(directory: panel)))
    }

    func get(_ routes: PanelRoutes, _ path: String, headers: [String: String] = [:], method: String = "GET") -> HTTPResponse {
        routes.handle(HTTPRequest(method: method, path: path, headers: headers)).1
    }

    func header(_ response: HTTPResponse, _ name: String) -> String? {
        response.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    @Test func servesThePageAndAssetsWithTheirTypes() throws {
        let (directory, routes) = try makePanel()
        defer { directory.remove() }
        let page = get(routes, "/")
        #expect(page.status == 200)
        #expect(header(page, "Content-Type") == "text/html; charset=utf-8")
        #expect(String(decoding: page.body, as: UTF8.self).hasPrefix("<!doctype html>"))
        #expect(header(get(routes, "/panel/panel.js"), "Content-Type") == "text/javascript; charset=utf-8")
        #expect(header(get(routes, "/panel/panel.css"), "Content-Type") == "text/css; charset=utf-8")
        #expect(get(routes, "/panel/index.html").body == page.body)
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() throws {
        let (directory, routes) = try makePanel()
        defer { directory.remove() }
        for path in ["/", "/panel/panel.js"] {
            let response = get(routes, path)
            let policy = try #require(header(response, "Content-Security-Policy"))
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("default-src 'none'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(header(response, "X-Content-Type-Options") == "nosniff")
            #expect(header(response, "Cache-Control") == "no-cache")
        }
    }

    @Test func etagRevalidationAnswers304() throws {
        let (directory, routes) = try makePanel()
        defer { directory.remove() }
        let first = get(routes, "/panel/panel.js")
        let etag = try #require(header(first, "ETag"))
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        #expect(header(get(routes, "/panel/panel.css"), "ETag") != etag, "different content, different validator")
        let again = get(routes, "/panel/panel.js", headers: ["if-none-match": etag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(header(again, "ETag") == etag)
        #expect(get(routes, "/panel/panel.js", headers: ["if-none-match": "\"other\", \(etag)"]).status == 304)
        #expect(get(routes, "/panel/panel.js", headers: ["if-none-match": "\"stale\""]).status == 200)
    }

    @Test func nothingOutsideThePanelFilesIsReachable() throws {
        let (directory, routes) = try makePanel()
        defer { directory.remove() }
        let attempts = [
            "/panel/../secret.js", "/panel/..%2fsecret.js", "/panel/%2e%2e/secret.js", "/panel/%2e%2e%2fsecret.js",
            "/panel/..", "/panel/", "/panel/.hidden.js", "/panel/sub/inner.js", "/panel/sub", "/panel/notes.txt",
            "/panel//etc/passwd", "/panel/panel.js/", "/panel/panel.js%00.html", "/panel/PANEL.JS", "/panel/\\..\\secret.js",
        ]
        for path in attempts {
            let response = get(routes, path)
            #expect(response.status == 404, "\(path)")
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.contains("\"NOT_FOUND\""), "\(path): \(body)")
            #expect(!body.contains("secret") && !body.contains("nested"), "\(path)")
        }
    }

    @Test func onlyGetIsAllowed() throws {
        let (directory, routes) = try makePanel()
        defer { directory.remove() }
        for method in ["POST", "PUT", "DELETE"] {
            let response = get(routes, "/", method: method)
            #expect(response.status == 405)
            #expect(header(response, "Allow") == "GET")
        }
    }

    @Test func aMissingPanelAnswers503NotACrash() {
        let routes = PanelRoutes(assets: PanelAssets())
        let response = get(routes, "/")
        #expect(response.status == 503)
        #expect(String(decoding: response.body, as: UTF8.self).contains("UNAVAILABLE"))
    }

    @Test func theShippedPanelIsComplete() throws {
        // The real files in the repository: every asset the page links is there and typed.
        let panel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Gateway/Sources/GatewayService/Panel").path
        let routes = PanelRoutes(assets: try PanelAssets(directory: panel))
        let page = String(decoding: get(routes, "/").body, as: UTF8.self)
        let linked = page.matches(of: /(?:src|href)="\/panel\/([^"]+)"/).map { String($0.output.1) }
        #expect(Set(linked) == ["panel.css", "panel.js", "icon.svg"])
        for name in linked + ["api.js", "dom.js"] {
            #expect(get(routes, "/panel/\(name)").status == 200, "\(name)")
        }
        // Every module the page's script imports, and those they import, is served (one file per view, flat).
        var modules: Set<String> = []
        var queue = ["panel.js"]
        while let name = queue.popLast() {
            let response = get(routes, "/panel/\(name)")
            #expect(response.status == 200, "\(name), imported, is not served")
            for match in String(decoding: response.body, as: UTF8.self).matches(of: /from "\.\/([A-Za-z0-9_.-]+\.js)"/) {
                let imported = String(match.output.1)
                if modules.insert(imported).inserted { queue.append(imported) }
            }
        }
        #expect(modules.isSuperset(of: ["app.js", "view-people.js", "view-rebalance.js", "view-whatif.js", "view-quality.js", "view-audit.js", "view-settings.js"]),
                "\(modules.sorted())")
        #expect(!page.contains("<script>"), "no inline script: the policy would block it")
        #expect(!page.contains("style="), "no inline style: the policy would block it")
        #expect(!page.contains("http://") && !page.contains("https://"), "nothing from elsewhere")
    }
}
