import Testing
import HTTP

@Suite struct HTTPRequestCookieTests {
    func request(_ cookie: String?) -> HTTPRequest {
        HTTPRequest(method: "GET", path: "/", headers: cookie.map { ["cookie": $0] } ?? [:])
    }

    @Test func aCookieIsFoundByItsExactName() {
        let header = "theme=dark; smart_ticket_session=a.b.c; x_smart_ticket_session=evil"
        #expect(request(header).cookie("smart_ticket_session") == "a.b.c")
        #expect(request(header).cookie("theme") == "dark")
        #expect(request(header).cookie("session") == nil)
        // Two Cookie headers, joined by the parser with ", ".
        #expect(request("a=1, b=2").cookie("b") == "2")
        #expect(request("a=; b=2").cookie("a") == nil, "an empty value is none")
        #expect(request(nil).cookie("a") == nil)
        #expect(request("a=x=y").cookie("a") == "x=y", "a value may hold '='")
    }

    @Test func theSchemeIsPlainHTTPUnlessTheApplicationSaysOtherwise() {
        var plain = request(nil)
        #expect(plain.scheme == "http")
        plain.scheme = "https"
        #expect(plain.scheme == "https")
    }
}
