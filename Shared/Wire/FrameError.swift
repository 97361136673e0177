/// Why a byte stream could not be split into frames.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame declared a length above the limit; nothing was allocated for it.
    case frameTooLarge(declared: UInt64, limit: Int)
    /// The stream ended in the middle of a frame.
    case truncated(bufferedBytes: Int)

    public var description: String {
        switch self {
        case .frameTooLarge(let declared, let limit):
            return "frame of \(declared) bytes exceeds the limit of \(limit) bytes"
        case .truncated(let buffered):
            return "stream ended inside a frame (\(buffered) bytes buffered)"
        }
    }
}
