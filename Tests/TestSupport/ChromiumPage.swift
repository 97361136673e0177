import Foundation

/// One browser tab driven like a person would: navigate, wait for what appears, click with the mouse,
/// type with the keyboard, look (screenshots), and read what the page shows.
public final class ChromiumPage: @unchecked Sendable {
    private let browser: Chromium
    private let session: String

    init(browser: Chromium, session: String) {
        self.browser = browser
        self.session = session
    }

    /// Loads `url` and waits for the load event's document to be ready.
    public func navigate(_ url: String) async throws {
        let result = try await browser.send("Page.navigate", ["url": url], session: session)
        if let error = result["errorText"] as? String, !error.isEmpty { throw Chromium.Failure(description: "navigating to \(url): \(error)") }
        try await waitFor("document.readyState === 'complete'", what: "page load of \(url)")
    }

    /// The value of a JavaScript expression (promises are awaited; the value is returned as JSON).
    @discardableResult
    public func evaluate(_ expression: String) async throws -> Any? {
        let result = try await browser.send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
                                            session: session)
        if let details = result["exceptionDetails"] as? [String: Any] {
            let exception = (details["exception"] as? [String: Any])?["description"] ?? details["text"] ?? details
            throw Chromium.Failure(description: "evaluating `\(expression.prefix(200))` threw \(exception)")
        }
        let value = (result["result"] as? [String: Any])?["value"]
        return value is NSNull ? nil : value
    }

    /// The browser's cookies for `url` (HttpOnly ones included, which the page's scripts cannot see), as DevTools gives
    /// them: `name`, `value`, `path`, `httpOnly`, `secure`, `sameSite`...
    public func cookies(for url: String) async throws -> [[String: Any]] {
        let result = try await browser.send("Network.getCookies", ["urls": [url]], session: session)
        return result["cookies"] as? [[String: Any]] ?? []
    }

    /// A string-valued expression.
    public func string(_ expression: String) async throws -> String? { try await evaluate(expression) as? String }

    /// An integer-valued expression.
    public func int(_ expression: String) async throws -> Int? { (try await evaluate(expression) as? NSNumber)?.intValue }

    /// Polls `expression` until it is truthy; on timeout the error shows what the page displays.
    public func waitFor(_ expression: String, what: String? = nil, timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last: Any?
        while Date() < deadline {
            last = try? await evaluate("Boolean(\(expression))")
            if (last as? Bool) == true { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let shown = (try? await string("document.body ? document.body.innerText.slice(0, 1500) : ''")) ?? ""
        throw Chromium.Failure(description: "waited \(timeout) s for \(what ?? expression); the page shows:\n\(shown)")
    }

    /// Clicks the centre of the first element matching `selector` with real mouse events.
    public func click(_ selector: String) async throws {
        try await waitFor("document.querySelector(\(Self.quote(selector)))", what: "\(selector) to appear")
        let point = try await evaluate("""
            (() => { const e = document.querySelector(\(Self.quote(selector))); e.scrollIntoView({block: 'center'});
                     const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()
            """) as? [Double]
        guard let point, point.count == 2 else { throw Chromium.Failure(description: "\(selector) has no position") }
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            _ = try await browser.send("Input.dispatchMouseEvent", ["type": type, "x": point[0], "y": point[1], "button": "left",
                                                                    "clickCount": type == "mouseMoved" ? 0 : 1], session: session)
        }
    }

    /// Focuses the field matching `selector`, empties it, and types `text` into it (as keyboard input).
    public func type(_ selector: String, _ text: String) async throws {
        try await waitFor("document.querySelector(\(Self.quote(selector)))", what: "\(selector) to appear")
        try await evaluate("(() => { const e = document.querySelector(\(Self.quote(selector))); e.focus(); e.value = ''; })()")
        _ = try await browser.send("Input.insertText", ["text": text], session: session)
    }

    /// Presses a key on the focused element: `Enter`, `Tab` or a single character.
    public func press(_ key: String) async throws {
        let codes = ["Enter": (13, "\r"), "Tab": (9, ""), "Escape": (27, ""), " ": (32, " ")]
        let (code, text) = codes[key] ?? (Int(key.unicodeScalars.first?.value ?? 0), key)
        var down: [String: Any] = ["type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code]
        if !text.isEmpty { down["text"] = text }
        _ = try await browser.send("Input.dispatchKeyEvent", down, session: session)
        _ = try await browser.send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code],
                                   session: session)
    }

    /// Emulates a viewport of `width` x `height` CSS pixels (e.g. a phone).
    public func setViewport(width: Int, height: Int, mobile: Bool = false) async throws {
        _ = try await browser.send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1,
                                                                          "mobile": mobile], session: session)
    }

    /// Saves a PNG of the whole page to `path`.
    public func screenshot(to path: String) async throws {
        let metrics = try await browser.send("Page.getLayoutMetrics", session: session)
        let size = metrics["cssContentSize"] as? [String: Any] ?? [:]
        let width = (size["width"] as? NSNumber)?.doubleValue ?? 1280
        let height = min(6000, (size["height"] as? NSNumber)?.doubleValue ?? 1000)
        let shot = try await browser.send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1],
        ], session: session)
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Chromium.Failure(description: "no screenshot data")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// JavaScript exceptions, console errors and browser log errors (CSP violations among them) seen so far.
    public func problems() -> [String] {
        browser.events(session: session, methods: ["Runtime.exceptionThrown", "Runtime.consoleAPICalled", "Log.entryAdded"]).compactMap { event in
            let params = event["params"] as? [String: Any] ?? [:]
            switch event["method"] as? String {
            case "Runtime.exceptionThrown":
                let details = params["exceptionDetails"] as? [String: Any] ?? [:]
                return "exception: \((details["exception"] as? [String: Any])?["description"] ?? details["text"] ?? "")"
            case "Runtime.consoleAPICalled":
                guard params["type"] as? String == "error" else { return nil }
                let args = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
                return "console.error: \(args.joined(separator: " "))"
            default:
                let entry = params["entry"] as? [String: Any] ?? [:]
                // Failed API calls the scenario causes on purpose (401, 403) are the page's business, not problems.
                guard entry["level"] as? String == "error", entry["source"] as? String != "network" else { return nil }
                return "log: \(entry["text"] ?? "") \(entry["url"] ?? "")"
            }
        }
    }

    /// A JavaScript string literal for `text`.
    public static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
