import Dispatch
import Synchronization

/// One in-flight call on the server: answered exactly once, by the handler, the deadline or a cancel.
final class ServerCall: Sendable {
    private struct State {
        var finished = false
        var task: Task<Void, Never>?
        var timer: DeadlineTimer?
    }

    private let state = Mutex(State())

    /// Attaches the handler's task; cancels it at once if the call already finished.
    func attach(task: Task<Void, Never>, timer: DeadlineTimer?) {
        let alreadyFinished = state.withLock { state -> Bool in
            state.task = task
            state.timer = timer
            return state.finished
        }
        if alreadyFinished {
            task.cancel()
            timer?.cancel()
        }
    }

    /// Marks the call finished; true only for the first caller, who then sends the answer.
    /// With `cancelHandler`, the handler's task is cancelled too.
    func finish(cancelHandler: Bool) -> Bool {
        let (first, task, timer) = state.withLock { state -> (Bool, Task<Void, Never>?, DeadlineTimer?) in
            if state.finished { return (false, nil, nil) }
            state.finished = true
            return (true, state.task, state.timer)
        }
        if first {
            timer?.cancel()
            if cancelHandler { task?.cancel() }
        }
        return first
    }
}
