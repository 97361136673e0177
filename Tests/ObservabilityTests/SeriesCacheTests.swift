import Synchronization
import Testing
@testable import Observability

@Suite struct SeriesCacheTests {
    @Test func eachKeyIsCreatedOnceAndRecordsIntoTheRegistry() {
        let registry = MetricsRegistry()
        let made = Atomic<Int>(0)
        let cache = SeriesCache<String, Counter> { route in
            made.add(1, ordering: .relaxed)
            return registry.counter("requests_total", help: "Requests.", labels: ["route": route])
        }
        for _ in 0..<3 { cache["/a"].increment() }
        cache["/b"].increment()
        #expect(made.load(ordering: .relaxed) == 2)
        let text = registry.render()
        #expect(text.contains("requests_total{route=\"/a\"} 3"))
        #expect(text.contains("requests_total{route=\"/b\"} 1"))
    }
}
