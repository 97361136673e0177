import Foundation
import HTTP
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Observability
import Synchronization

/// A client of one Jira Cloud site's REST API (v3).
///
/// Every call goes through the site's ``SiteLimiter`` (at most 5 in flight per site by default). A
/// 429 or 503 answer is retried after `Retry-After` (as a minimum; the whole site pauses) or else after
/// an exponential backoff with jitter, at most ``RetryPolicy/maxRetries`` times. Writes are retried only
/// when Jira refused them unapplied (429); see ``assign(_:accountId:)`` for how an uncertain write is
/// checked before it is sent again. Logs name the call template and status, never tokens, e-mails or
/// ticket text.
public final class JiraClient: Sendable {
    /// One HTTP answer.
    public struct Response: Sendable {
        public var status: Int
        /// Header names lowercased.
        public var headers: [String: String]
        public var body: Data
    }

    /// Whether a call may be repeated after an uncertain outcome.
    public enum Retry: Sendable {
        /// Reads: retry 429, 503 and transport failures.
        case always
        /// Writes: retry only 429 (the request was refused, not applied).
        case rateLimitedOnly
    }

    /// Counters of what this client did.
    public struct Stats: Sendable, Equatable {
        public var requests = 0
        public var retries = 0
        public var rateLimited = 0
    }

    public let site: URL
    public let policy: RetryPolicy
    public let limiter: SiteLimiter
    private let credentials: JiraCredentials
    private let session: URLSession
    private let timeoutSeconds: Double
    private let logger: Logger
    private let counters = Mutex(Stats())

    public init(site: URL, credentials: JiraCredentials, policy: RetryPolicy = RetryPolicy(), maxInFlight: Int = 5,
                timeoutSeconds: Double = 30, logger: Logger) {
        self.site = site
        self.credentials = credentials
        self.policy = policy
        self.limiter = SiteLimiter.shared(for: site, maxInFlight: maxInFlight)
        self.logger = logger.with(["component": .string("jira")])
        self.timeoutSeconds = timeoutSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.httpMaximumConnectionsPerHost = maxInFlight
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    public var stats: Stats { counters.withLock { $0 } }

    /// Sends one call. `template` names it in errors and logs (`GET /rest/api/3/issue/{key}`).
    public func send(_ method: String, _ path: String, template: String, query: [URLQueryItem] = [], body: Data? = nil,
                     retry: Retry) async throws -> Response {
        let request = try makeRequest(method, path, query: query, body: body)
        var attempt = 0
        while true {
            try Task.checkCancellation()
            await limiter.acquire()
            let outcome: Result<Response, any Error>
            do {
                outcome = .success(try await perform(request))
            } catch {
                outcome = .failure(error)
            }
            await limiter.release()
            counters.withLock { $0.requests += 1 }
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response) where response.status == 429 || response.status == 503:
                let retryAfter = RetryPolicy.parseRetryAfter(response.headers["retry-after"])
                counters.withLock { $0.rateLimited += 1 }
                let retriable = retry == .always || response.status == 429
                guard retriable, attempt < policy.maxRetries else {
                    throw JiraError(status: response.status, message: JiraError.message(status: response.status, body: response.body)
                                        + (attempt > 0 ? " (after \(attempt) retries)" : ""), call: template)
                }
                if let retryAfter, retryAfter > policy.maxRetryAfter {
                    throw JiraError(status: response.status, message: "Jira asks to wait \(Int(retryAfter)) s; try again later", call: template)
                }
                attempt += 1
                if let retryAfter { await limiter.pause(seconds: retryAfter) }
                let wait = policy.delay(retry: attempt, retryAfter: retryAfter)
                logger.notice("jira busy, retrying", ["call": .string(template), "status": .int(response.status),
                                                       "attempt": .int(attempt), "waitSeconds": .double(wait)])
                counters.withLock { $0.retries += 1 }
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            case .success(let response) where (300..<400).contains(response.status):
                // Redirects are not followed: they could carry the credentials to another host.
                throw JiraError(status: response.status, message: "unexpected redirect (check the site URL)", call: template)
            case .success(let response):
                throw JiraError(status: response.status, message: JiraError.message(status: response.status, body: response.body), call: template)
            case .failure(let error):
                if error is CancellationError { throw error }
                guard retry == .always, attempt < policy.maxRetries else {
                    throw JiraError(status: 0, message: "no answer (\(Self.describe(error)))", call: template)
                }
                attempt += 1
                let wait = policy.delay(retry: attempt, retryAfter: nil)
                logger.notice("jira unreachable, retrying", ["call": .string(template), "attempt": .int(attempt), "waitSeconds": .double(wait)])
                counters.withLock { $0.retries += 1 }
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }

    /// A GET whose answer is JSON.
    func getJSON(_ path: String, template: String, query: [URLQueryItem] = []) async throws -> JSONValue {
        let response = try await send("GET", path, template: template, query: query, retry: .always)
        guard let json = JSONValue.parse(response.body) else {
            throw JiraError(status: response.status, message: "the answer is not JSON", call: template)
        }
        return json
    }

    private func makeRequest(_ method: String, _ path: String, query: [URLQueryItem], body: Data?) throws -> URLRequest {
        guard var components = URLComponents(url: site, resolvingAgainstBaseURL: false) else {
            throw JiraError(status: 0, message: "bad URL", call: path)
        }
        let sitePath = components.percentEncodedPath
        components.percentEncodedPath = (sitePath.hasSuffix("/") ? String(sitePath.dropLast()) : sitePath) + path
        if !query.isEmpty {
            components.queryItems = query
            // `+` is a space to many servers: encode it (JQL uses it rarely, dates never, but be exact).
            let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components.percentEncodedQuery = encoded
        }
        guard let url = components.url else { throw JiraError(status: 0, message: "bad URL", call: path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue(credentials.authorization, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("SmartTicket", forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    private func perform(_ request: URLRequest) async throws -> Response {
        switch await OutboundCall.perform(request, session: session, timeout: timeoutSeconds) {
        case .success(let answer): return Response(status: answer.status, headers: answer.headers, body: answer.body)
        case .failure(.cancelled): throw CancellationError()
        case .failure(.timedOut): throw URLError(.timedOut)
        case .failure(.transport(let code)): throw URLError(URLError.Code(rawValue: code) ?? .unknown)
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? URLError { return "URL error \(error.code.rawValue)" }
        return String(describing: type(of: error))
    }
}

/// Answers every redirect with "do not follow": the 3xx reaches the client, the credentials stay home.
final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
