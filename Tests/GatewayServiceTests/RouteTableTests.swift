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
        for path in ["/api/v1/projects/ENG/other", "/api/v1/tickets/ENG-1", "/api/v1/tickets/%zz/recommendations",
                     "/api/v1/tickets/ENG-1/recommendations/x"] {
            #expect(throws: APIError.self, "\(path)") { try table.match(method: "POST", path: path).get() }
            #expect(table.allowedMethods(path: path).isEmpty, "\(path)")
        }
    }
}
