import Testing
@testable import Observability

@Suite struct MetricsRegistryTests {
    @Test func rendersPrometheusTextFormat() {
        let registry = MetricsRegistry()
        registry.counter("requests_total", help: "Requests.", labels: ["route": "/livez", "status": "200"]).increment()
        registry.counter("requests_total", help: "Requests.", labels: ["route": "/livez", "status": "200"]).increment(by: 2)
        registry.gauge("restarts", help: "Restarts.").set(4)
        let histogram = registry.histogram("latency_seconds", help: "Latency.", labels: ["method": "a"], buckets: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.5)
        histogram.observe(5)
        let text = registry.render()
        #expect(text.contains("# TYPE requests_total counter\nrequests_total{route=\"/livez\",status=\"200\"} 3\n"))
        #expect(text.contains("restarts 4\n"))
        #expect(text.contains("latency_seconds_bucket{method=\"a\",le=\"0.1\"} 1\n"))
        #expect(text.contains("latency_seconds_bucket{method=\"a\",le=\"1\"} 2\n"))
        #expect(text.contains("latency_seconds_bucket{method=\"a\",le=\"+Inf\"} 3\n"))
        #expect(text.contains("latency_seconds_sum{method=\"a\"} 5.55\n"))
        #expect(text.contains("latency_seconds_count{method=\"a\"} 3\n"))
    }

    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("c", help: "h", labels: ["path": "a\"b\\c"]).increment()
        #expect(registry.render().contains(#"c{path="a\"b\\c"} 1"#))
    }
}
