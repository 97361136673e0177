import RPC

/// The launcher's control methods, on `launcher.sock`.
public enum LauncherContract {
    /// A method of this service: only a ``LauncherClient`` calls it.
    public typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<LauncherContract, Request, Response>

    /// Each instance's health, pid, uptime and restarts.
    public static let status = Method<StatusRequest, StatusResponse>(service: "launcher.v1", method: "Status")
    /// Asks the launcher to stop everything, as SIGTERM would.
    public static let stop = Method<StopRequest, StopResponse>(service: "launcher.v1", method: "Stop")

    public struct StatusRequest: Codable, Sendable {
        public init() {}
    }

    /// One child process as the launcher sees it.
    public struct InstanceStatus: Codable, Sendable, Equatable {
        public var service: ServiceKind
        public var instance: Int
        public var pid: Int32?
        /// SERVING, NOT_SERVING, STARTING, RESTARTING or STOPPED.
        public var health: String
        public var uptimeSeconds: Double
        public var restarts: Int
        public var socket: String

        public init(service: ServiceKind, instance: Int, pid: Int32?, health: String, uptimeSeconds: Double, restarts: Int, socket: String) {
            self.service = service
            self.instance = instance
            self.pid = pid
            self.health = health
            self.uptimeSeconds = uptimeSeconds
            self.restarts = restarts
            self.socket = socket
        }
    }

    public struct StatusResponse: Codable, Sendable, Equatable {
        public var instances: [InstanceStatus]
        /// The gateway's URL, once it listens.
        public var url: String?
        public var launcherPid: Int32

        public init(instances: [InstanceStatus], url: String?, launcherPid: Int32) {
            self.instances = instances
            self.url = url
            self.launcherPid = launcherPid
        }
    }

    public struct StopRequest: Codable, Sendable {
        public init() {}
    }

    public struct StopResponse: Codable, Sendable {
        public init() {}
    }
}
