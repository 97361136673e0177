import Foundation
import RPC

/// Opaque, stable page cursors: the last row's sequence number, base64-encoded.
enum Cursor {
    static func encode(_ sequence: Int64) -> String {
        Data("v1:\(sequence)".utf8).base64EncodedString()
    }

    /// The sequence number in `cursor` (0 for none), or INVALID_ARGUMENT for a malformed cursor.
    static func decode(_ cursor: String?) throws -> Int64 {
        guard let cursor, !cursor.isEmpty else { return 0 }
        guard cursor.utf8.count <= 64, let data = Data(base64Encoded: cursor),
              let text = String(data: data, encoding: .utf8), text.hasPrefix("v1:"),
              let sequence = Int64(text.dropFirst(3)), sequence >= 0 else {
            throw RPCError.invalidArgument("cursor: malformed")
        }
        return sequence
    }
}
