import HTTP

/// The readable pages of the sign-in routes (a browser lands on them, so they are HTML, not JSON): what happened and a
/// link to what to do next. Served with the panel's Content-Security-Policy and never cached.
enum AuthPage {
    /// A page with `status`, a `title`, a `message` and a link to `next` (its text `action`).
    static func response(_ status: Int, title: String, message: String, action: String = "Back to SmartTicket's sign-in",
                         next: String = "/") -> HTTPResponse {
        let html = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · SmartTicket</title><link rel="stylesheet" href="/panel/panel.css"></head>
            <body><main id="main" class="card auth-page"><h1>\(escape(title))</h1><p id="auth-message">\(escape(message))</p>
            <p><a id="auth-next" class="button primary" href="\(escape(next))">\(escape(action))</a></p></main></body>
            </html>
            """
        var headers = PanelRoutes.securityHeaders
        headers.insert(("Content-Type", "text/html; charset=utf-8"), at: 0)
        headers.append(("Cache-Control", "no-store"))
        return HTTPResponse(status: status, headers: headers, body: Array(html.utf8))
    }

    /// A redirect that is never cached.
    static func redirect(to location: String, cookies: [String] = []) -> HTTPResponse {
        var headers: [(String, String)] = [("Location", location), ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer")]
        for cookie in cookies { headers.append(("Set-Cookie", cookie)) }
        return HTTPResponse(status: 302, headers: headers)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
