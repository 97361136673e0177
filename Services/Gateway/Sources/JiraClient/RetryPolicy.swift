import Foundation

/// When and how long to wait before trying a Jira call again.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    public var maxRetries = 4
    /// The first backoff without `Retry-After`; doubled on each retry, with jitter.
    public var baseDelay = 1.0
    /// The longest backoff without `Retry-After`.
    public var maxDelay = 30.0
    /// A `Retry-After` longer than this fails the call instead of blocking the sync.
    public var maxRetryAfter = 300.0

    public init(maxRetries: Int = 4, baseDelay: Double = 1.0, maxDelay: Double = 30.0, maxRetryAfter: Double = 300.0) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before retry number `retry` (1-based): `Retry-After` as a minimum (plus up to 10 %
    /// jitter so waiting clients do not return together), otherwise exponential backoff with full jitter
    /// in its upper half.
    public func delay(retry: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1)) -> Double {
        if let retryAfter { return retryAfter + retryAfter * 0.1 * random }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return ceiling / 2 + ceiling / 2 * random
    }

    /// Seconds in a `Retry-After` header: delta-seconds or an HTTP date.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
