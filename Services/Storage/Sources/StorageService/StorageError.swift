/// Storage failures that are not the caller's fault.
enum StorageError: Error {
    /// The storage service is shutting down.
    case stopped
}
