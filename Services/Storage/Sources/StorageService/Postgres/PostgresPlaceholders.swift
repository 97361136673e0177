/// SQLite's parameters (`?`, `?N`) rewritten as PostgreSQL's (`$N`), so the store's statements are
/// written once for both engines.
enum PostgresPlaceholders {
    /// `sql` with every `?` outside string literals, quoted identifiers and comments replaced by
    /// `$N`, numbered as SQLite numbers them (a bare `?` takes one more than the largest number so
    /// far; `?N` is `$N`); and the largest number used. Dollar-quoted bodies (`$$...$$`) are not
    /// recognized: statements with them (functions, in migrations) run through `execute`, unrewritten.
    static func rewrite(_ sql: String) -> (sql: String, parameterCount: Int) {
        let input = Array(sql.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var largest = 0
        var index = 0
        func copy(until end: Int) {
            let stop = min(end, input.count)
            output.append(contentsOf: input[index..<stop])
            index = stop
        }
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // A quoted run ends at the next same quote; a doubled quote is two runs back to back.
                var end = index + 1
                while end < input.count && input[end] != byte { end += 1 }
                copy(until: end + 1)
            case UInt8(ascii: "-") where index + 1 < input.count && input[index + 1] == UInt8(ascii: "-"):
                var end = index + 2
                while end < input.count && input[end] != UInt8(ascii: "\n") { end += 1 }
                copy(until: end)
            case UInt8(ascii: "/") where index + 1 < input.count && input[index + 1] == UInt8(ascii: "*"):
                var end = index + 2
                while end + 1 < input.count && !(input[end] == UInt8(ascii: "*") && input[end + 1] == UInt8(ascii: "/")) { end += 1 }
                copy(until: end + 2)
            case UInt8(ascii: "?"):
                var end = index + 1
                var number = 0
                while end < input.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(input[end]) {
                    number = number * 10 + Int(input[end] - UInt8(ascii: "0"))
                    end += 1
                }
                if end == index + 1 { number = largest + 1 }
                largest = max(largest, number)
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(number).utf8)
                index = end
            default:
                output.append(byte)
                index += 1
            }
        }
        return (String(decoding: output, as: UTF8.self), largest)
    }
}
