// libFuzzer target: the gateway's HTTP/1.1 request parser (Shared/HTTP HTTPRequestParser).
// The first byte picks a chunk size, so requests arrive split anywhere; pipelined requests are all
// taken. Small limits make the size checks reachable. Malformed input must throw (a 400), never
// crash, loop or take a request larger than the limits.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let chunk = Int(data[0]) + 1
    var parser = HTTPRequestParser(maxHeaderBytes: 2048, maxBodyBytes: 4096)
    var offset = 1
    var requests = 0
    do {
        while offset < size {
            let end = min(size, offset + chunk)
            parser.append(UnsafeRawBufferPointer(start: data + offset, count: end - offset))
            offset = end
            while let request = try parser.next() {
                requests += 1
                precondition(request.body.count <= 4096, "body over the limit")
                precondition(requests <= size, "more requests than bytes")
            }
        }
    } catch {
        // Refused with a parse error: the gateway answers 400 and closes.
    }
    return 0
}
