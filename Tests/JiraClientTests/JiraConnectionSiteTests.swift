import Foundation
import JiraClient
import Testing

/// `JiraConnection.isOnSite`: an issue's `self` link must be an absolute URL on exactly the connection's
/// site (scheme, host, effective port), without userinfo.
@Suite struct JiraConnectionSiteTests {
    static func connection(_ site: String) -> JiraConnection {
        JiraConnection(site: site, email: "bot@example.com", scheme: .basic, tokenFile: "/dev/null", tokenEnv: nil, projects: ["ED"])
    }

    @Test func theSameSchemeHostAndPortAreOnTheSite() {
        let cloud = Self.connection("https://acme.atlassian.net")
        #expect(cloud.isOnSite("https://acme.atlassian.net/rest/api/2/issue/10001"))
        #expect(cloud.isOnSite("https://ACME.Atlassian.net/rest/api/2/issue/10001"), "hosts compare case-insensitively")
        #expect(cloud.isOnSite("HTTPS://acme.atlassian.net:443/rest/api/2/issue/10001"), "443 is https's own port")
        let local = Self.connection("http://127.0.0.1:8089")
        #expect(local.isOnSite("http://127.0.0.1:8089/rest/api/2/issue/10001"))
        let proxied = Self.connection("https://jira.example.com/jira")
        #expect(proxied.isOnSite("https://jira.example.com/jira/rest/api/2/issue/1"))
        #expect(!proxied.isOnSite("https://jira.example.com/other/rest/api/2/issue/1"), "outside the site's path")
    }

    @Test func everythingElseIsRefused() {
        let cloud = Self.connection("https://acme.atlassian.net")
        for link in [
            "https://evil.atlassian.net/rest/api/2/issue/1",
            "https://acme.atlassian.net.evil.com/rest/api/2/issue/1",
            "http://acme.atlassian.net/rest/api/2/issue/1",
            "https://acme.atlassian.net:8443/rest/api/2/issue/1",
            "https://acme.atlassian.net:80/rest/api/2/issue/1",
            "https://acme.atlassian.net@evil.com/rest/api/2/issue/1",
            "https://user:pw@acme.atlassian.net/rest/api/2/issue/1",
            "https://user@acme.atlassian.net/rest/api/2/issue/1",
            "/rest/api/2/issue/1",
            "//acme.atlassian.net/rest/api/2/issue/1",
            "acme.atlassian.net/rest/api/2/issue/1",
            "ftp://acme.atlassian.net/rest/api/2/issue/1",
            "javascript:alert(1)",
            "https://acme.atlassian.net\\@evil.com/",
            "",
        ] {
            #expect(!cloud.isOnSite(link), "\(link)")
        }
        let local = Self.connection("http://127.0.0.1:8089")
        #expect(!local.isOnSite("http://127.0.0.1/rest/api/2/issue/1"), "80 is not 8089")
        #expect(!local.isOnSite("http://127.0.0.1:8090/rest/api/2/issue/1"))
        #expect(!local.isOnSite("https://127.0.0.1:8089/rest/api/2/issue/1"))
    }
}
