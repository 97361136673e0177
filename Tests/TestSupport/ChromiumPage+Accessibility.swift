import Foundation
import Harness

/// Accessibility checks of what a page shows: every form field has a label and every control a name (always), and
/// axe-core's WCAG 2 A/AA rules when axe-core is installed (`scripts/install-deps` installs the PyPI package
/// `axe-playwright-python`, which ships `axe.min.js`; `AXE_CORE_JS` may name another copy).
extension ChromiumPage {
    /// Fields without a label (`<label for>`, a wrapping label, `aria-label` or `aria-labelledby`) and buttons or links
    /// without a name, each as `tag#id` or the start of its markup; empty when all are named.
    public func unnamedControls() async throws -> [String] {
        let found = try await evaluate("""
            (() => {
              const named = (e) => (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
              const fields = [...document.querySelectorAll('input, select, textarea')].filter((e) => e.type !== 'hidden' && !named(e));
              const controls = [...document.querySelectorAll('button, a[href]')]
                .filter((e) => !e.textContent.trim() && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'));
              // Clickable things that are not buttons or links cannot be reached with the keyboard.
              const clickable = [...document.querySelectorAll('div[onclick], span[onclick], [role=button]:not(button)')];
              return [...fields, ...controls, ...clickable].map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ' ' + e.outerHTML.slice(0, 80)));
            })()
            """)
        return found as? [String] ?? []
    }

    /// axe-core's source, or nil when it is not installed.
    public static func axeSource() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["AXE_CORE_JS"] { candidates.append(explicit) }
        let finder = Process()
        finder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        finder.arguments = ["python3", "-c", "import importlib.util; s = importlib.util.find_spec('axe_playwright_python'); "
            + "print(s.submodule_search_locations[0] if s else '')"]
        let output = Pipe()
        finder.standardOutput = output
        finder.standardError = FileHandle.nullDevice
        if (try? finder.run()) != nil {
            finder.waitUntilExit()
            let directory = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !directory.isEmpty { candidates.append(directory + "/axe.min.js") }
        }
        for path in candidates {
            if let source = try? String(contentsOfFile: path, encoding: .utf8), source.contains("axe") { return source }
        }
        return nil
    }

    /// axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the page as it is, `rule (impact): targets`;
    /// nil when axe-core is not installed. `disabled` rules are skipped.
    public func axeViolations(source: String, disabled: [String] = []) async throws -> [String]? {
        if try await evaluate("typeof window.axe") as? String != "object" {
            try await evaluate(source + "\n;true")
        }
        let rules = disabled.map { "\(ChromiumPage.quote($0)): {enabled: false}" }.joined(separator: ", ")
        let found = try await evaluate("""
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations'],
                               rules: {\(rules)}})
              .then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')))
            """)
        return found as? [String] ?? []
    }
}
