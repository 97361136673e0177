import Testing
@testable import GatewayService

@Suite struct RouteTableTests {
    private var table: RouteTable<Int> {
        var table = RouteTable<Int>()
        table.add("GET", "/api/v1/projects", 1)
        table.add("GET", "/api/v1/projects/{key}/settings", 2)
        table.add("PUT", "/api/v1/projects/{key}/settings", 3)
        table.add("PUT", "/api/v1/projects/{key}/roles/{subject}", 4)
        table.add("POST", "/api/v1/tickets/{key}/recommendations", 5)
        return table
    }

    @Test func routesMatchWithDecodedParameters() throws {
        let (route, params) = try table.match(method: "PUT", path: "/api/v1/projects/ENG/roles/carol%40example.com").get()
        #expect(route.handler == 4 && params == ["key": "ENG", "subject": "carol@example.com"])
        let (recommend, keys) = try table.match(method: "POST", path: "/api/v1/tickets/ENG-1/recommendations").get()
        #expect(recommend.handler == 5 && keys == ["key": "ENG-1"])
        #expect(try table.match(method: "HEAD", path: "/api/v1/projects/").get().0.handler == 1)
    }

    @Test func otherMethodsAnd405AndUnknownPathsAnd404() {
        #expect(throws: APIError.methodNotAllowed) { try table.match(method: "DELETE", path: "/api/v1/projects/ENG/settings").get() }
        #expect(table.allowedMethods(path: "/api/v1/projects/ENG/settings") == ["GET", "HEAD", "PUT"])
        for path in ["/api/v1/projects/ENG/other", "/api/v1/tickets/ENG-1", "/api/v1/tickets/ENG-1/recommendations/x"] {
            #expect(throws: APIError.self, "\(path)") { try table.match(method: "POST", path: path).get() }
            #expect(table.allowedMethods(path: path).isEmpty, "\(path)")
        }
    }

    /// `/tickets/WEB-1%00x` once answered WEB-1 (storage bound the key as a C string); ids with
    /// control characters, `.` and `..`, and undecodable escapes are now a 400 naming the parameter.
    @Test func controlCharactersDotsAndBadEscapesInParametersAreA400NamingThem() {
        let cases: [(String, String, String)] = [
            ("POST", "/api/v1/tickets/WEB-1%00x/recommendations", "`key` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("POST", "/api/v1/tickets/%00/recommendations", "`key` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("POST", "/api/v1/tickets/WEB-1%0D%0AX-Injected:%201/recommendations", "`key` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("POST", "/api/v1/tickets/WEB%091/recommendations", "`key` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("POST", "/api/v1/tickets/WEB%7F1/recommendations", "`key` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("PUT", "/api/v1/projects/ENG/roles/carol%00admin", "`subject` must not contain control characters (NUL, tab, line breaks, DEL)"),
            ("PUT", "/api/v1/projects/ENG/roles/..", "`subject` must not be `.` or `..`"),
            ("PUT", "/api/v1/projects/%2E%2E/roles/carol", "`key` must not be `.` or `..`"),
            ("GET", "/api/v1/projects/./settings", "`key` must not be `.` or `..`"),
            ("GET", "/api/v1/projects/%2e/settings", "`key` must not be `.` or `..`"),
            ("POST", "/api/v1/tickets/%zz/recommendations", "`key` is not valid percent-encoded UTF-8"),
            ("POST", "/api/v1/tickets/%FF%FE/recommendations", "`key` is not valid percent-encoded UTF-8"),
        ]
        for (method, path, message) in cases {
            switch table.match(method: method, path: path) {
            case .success(let matched): Issue.record("\(method) \(path) matched \(matched.1)")
            case .failure(let error):
                #expect(error.status == 400 && error.code == "INVALID_ARGUMENT", "\(path): \(error)")
                #expect(error.message == "path parameter \(message)", "\(path)")
            }
        }
        // Such a path still has its route's methods: another method is a 405, not a 400.
        #expect(throws: APIError.methodNotAllowed) { try table.match(method: "DELETE", path: "/api/v1/projects/%00/settings").get() }
        // Ids with dots, escapes and non-ASCII letters inside them are ids.
        for (path, key) in [("/api/v1/tickets/a.b/recommendations", "a.b"), ("/api/v1/tickets/...x/recommendations", "...x"),
                            ("/api/v1/tickets/%C3%A9-1/recommendations", "\u{E9}-1"), ("/api/v1/tickets/a%20b/recommendations", "a b")] {
            #expect((try? table.match(method: "POST", path: path).get().1) == ["key": key], "\(path)")
        }
    }
}
