import AsyncHTTPClient

/// A streamed HTTP body cut into lines (a watch's newline-delimited JSON events).
public enum LineStream {
    /// The non-empty lines of `body`, without their `\n`, as they arrive; the stream ends with
    /// the body, or throws its error.
    public static func lines(_ body: HTTPClientResponse.Body) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var pending: [UInt8] = []
                do {
                    for try await chunk in body {
                        for byte in chunk.readableBytesView {
                            if byte == UInt8(ascii: "\n") {
                                if !pending.isEmpty { continuation.yield(pending) }
                                pending.removeAll(keepingCapacity: true)
                            } else {
                                pending.append(byte)
                            }
                        }
                    }
                    if !pending.isEmpty { continuation.yield(pending) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
