import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One outbound HTTP exchange through `URLSession`, bounded by a timeout and by the calling task's
/// cancellation, that never blocks a Swift concurrency thread.
///
/// On Linux, cancelling a `URLSessionTask` (which `URLSession.data(for:)` does when its task is
/// cancelled) waits synchronously on the session's internal queue; done on the cooperative pool by a
/// few stalled calls at once, it can stall every thread of the pool and with it the whole process.
/// Here the task is started with a completion handler and cancelled only from a Dispatch queue.
public enum OutboundCall {
    /// The status, lower-cased headers and body of an answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
    }

    /// Why no answer arrived.
    public enum Failure: Error, Sendable, Equatable {
        case timedOut
        case cancelled
        case transport(code: Int)
    }

    /// Sends `request` and waits at most `timeout` seconds for the whole answer.
    public static func perform(_ request: URLRequest, session: URLSession, timeout: Double) async -> Result<Answer, Failure> {
        let state = Mutex<(done: Bool, cancelled: Bool, task: URLSessionDataTask?)>((false, false, nil))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Answer, Failure>, Never>) in
                // Resolves the call once; the loser of the race (answer, timeout, cancellation) does nothing.
                let finish: @Sendable (Result<Answer, Failure>, Bool) -> Void = { result, cancelTask in
                    let (first, task) = state.withLock { state -> (Bool, URLSessionDataTask?) in
                        defer { state.done = true }
                        return (!state.done, state.task)
                    }
                    guard first else { return }
                    continuation.resume(returning: result)
                    if cancelTask, let task { DispatchQueue.global().async { task.cancel() } }
                }
                let task = session.dataTask(with: request) { data, response, error in
                    finish(answer(data, response, error), false)
                }
                let cancelledEarly = state.withLock { state -> Bool in
                    state.task = task
                    return state.cancelled
                }
                if cancelledEarly {
                    finish(.failure(.cancelled), false)
                    return
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout)) { finish(.failure(.timedOut), true) }
                task.resume()
            }
        } onCancel: {
            let task = state.withLock { state -> URLSessionDataTask? in
                state.cancelled = true
                return state.done ? nil : state.task
            }
            // The task's completion handler then resolves the call as cancelled.
            if let task { DispatchQueue.global().async { task.cancel() } }
        }
    }

    private static func answer(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) -> Result<Answer, Failure> {
        if let error = error as? URLError {
            switch error.code {
            case .timedOut: return .failure(.timedOut)
            case .cancelled: return .failure(.cancelled)
            default: return .failure(.transport(code: error.code.rawValue))
            }
        }
        guard error == nil, let http = response as? HTTPURLResponse else { return .failure(.transport(code: 0)) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return .success(Answer(status: http.statusCode, headers: headers, body: data ?? Data()))
    }
}
