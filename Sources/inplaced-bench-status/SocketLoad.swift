import Foundation
import NIOCore
import NIOPosix

/// The load generator of the socket figures: keep-alive HTTP/1.1 GETs on a unix socket, written
/// and parsed by hand on NIO (no HTTP library on the client side), one request outstanding per
/// connection (closed loop), every connection on the client's own event loop group.
enum SocketLoad {
    /// Runs `connections` connections to `socketPath`, each asking the `paths` in turn (starting
    /// at a different one), until `seconds` (seconds) have passed or each made `requestsPerConnection`.
    /// - Throws: NIO's connect errors.
    static func run(
        socketPath: String, paths: [String], connections: Int, seconds: Double? = nil, requestsPerConnection: Int? = nil,
        group: any EventLoopGroup
    ) async throws -> LoadResult {
        let requests = paths.map { path in
            ByteBuffer(
                string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: inplaced-bench-status\r\nAccept: application/json\r\n\r\n")
        }
        var handlers: [LoadConnectionHandler] = []
        var channels: [any Channel] = []
        for c in 0..<connections {
            let handler = LoadConnectionHandler(
                requests: requests, first: c * requests.count / max(connections, 1), maxRequests: requestsPerConnection ?? Int.max,
                eventLoop: group.next())
            let channel = try await ClientBootstrap(group: handler.eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
                }
                .connect(unixDomainSocketPath: socketPath).get()
            handlers.append(handler)
            channels.append(channel)
        }
        let start = NIODeadline.now()
        let deadline = seconds.map { start + .nanoseconds(Int64($0 * 1e9)) } ?? .distantFuture
        for handler in handlers { handler.eventLoop.execute { handler.start(deadline: deadline) } }
        var ends: [NIODeadline] = []
        var result = LoadResult(ok: 0, errors: 0, seconds: 0, latencies: [], bodyBytes: 0)
        for handler in handlers {
            let outcome = try await handler.finished.futureResult.get()
            ends.append(outcome.end)
            result.ok += outcome.latencies.count
            result.errors += outcome.errors
            result.bodyBytes = max(result.bodyBytes, outcome.bodyBytes)
            result.latencies.append(contentsOf: outcome.latencies.map { Double($0) / 1e9 })
        }
        for channel in channels { try? await channel.close() }
        result.seconds = Double((ends.max() ?? start).uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        result.latencies.sort()
        return result
    }
}

/// What one connection measured.
struct ConnectionOutcome: Sendable {
    /// Nanoseconds of each 200 answer.
    var latencies: [UInt64]
    var errors: Int
    var bodyBytes: Int
    var end: NIODeadline
}

/// One client connection: writes a request, reads the answer (head up to the blank line, then
/// `Content-Length` bytes), records the latency, writes the next. Confined to its event loop.
final class LoadConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let eventLoop: any EventLoop
    let finished: EventLoopPromise<ConnectionOutcome>
    private let requests: [ByteBuffer]
    private var next: Int
    private let maxRequests: Int
    private var deadline = NIODeadline.distantFuture
    private var context: ChannelHandlerContext?
    private var buffer = ByteBuffer()
    /// The answer being read: its head's length, status and body length, once the head is in.
    private var head: (length: Int, status: Int, body: Int)?
    private var sentAt: UInt64 = 0
    private var latencies: [UInt64] = []
    private var errors = 0
    private var bodyBytes = 0
    private var done = false

    init(requests: [ByteBuffer], first: Int, maxRequests: Int, eventLoop: any EventLoop) {
        self.requests = requests
        self.next = first
        self.maxRequests = maxRequests
        self.eventLoop = eventLoop
        finished = eventLoop.makePromise()
        latencies.reserveCapacity(maxRequests == Int.max ? 100_000 : maxRequests)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Sends the first request; the connection stops after the first answer at or past `deadline`.
    func start(deadline: NIODeadline) {
        self.deadline = deadline
        send()
    }

    private func send() {
        guard let context else { return finish() }
        let request = requests[next % requests.count]
        next += 1
        sentAt = NIODeadline.now().uptimeNanoseconds
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while !done, answerComplete() {}
    }

    /// Consumes one whole answer from `buffer` when it is there; then sends the next request or finishes.
    private func answerComplete() -> Bool {
        if head == nil {
            guard let parsed = Self.parseHead(buffer) else { return false }
            head = parsed
            buffer.reserveCapacity(minimumWritableBytes: max(0, parsed.length + parsed.body - buffer.readableBytes))
        }
        guard let current = head, buffer.readableBytes >= current.length + current.body else { return false }
        let now = NIODeadline.now()
        buffer.moveReaderIndex(forwardBy: current.length + current.body)
        if buffer.readableBytes == 0 { buffer.clear() } else { buffer.discardReadBytes() }
        head = nil
        if current.status == 200 {
            latencies.append(now.uptimeNanoseconds - sentAt)
            bodyBytes = current.body
        } else {
            errors += 1
        }
        if latencies.count + errors >= maxRequests || now >= deadline {
            finish()
        } else {
            send()
        }
        return true
    }

    /// The head's length (through the blank line), the status code and `Content-Length`; nil until
    /// the blank line has arrived.
    static func parseHead(_ buffer: ByteBuffer) -> (length: Int, status: Int, body: Int)? {
        buffer.withUnsafeReadableBytes { bytes -> (Int, Int, Int)? in
            let n = bytes.count
            guard n >= 16 else { return nil }
            var end = -1
            var i = 3
            while i < n {
                if bytes[i] == 10, bytes[i - 1] == 13, bytes[i - 2] == 10, bytes[i - 3] == 13 {
                    end = i + 1
                    break
                }
                i += 1
            }
            guard end > 0 else { return nil }
            // "HTTP/1.1 200 OK"
            var status = 0
            for j in 9..<12 { status = status * 10 + Int(bytes[j] &- 48) }
            let name = Array("content-length:".utf8)
            var length = -1
            var line = 0
            while line < end {
                var matches = line + name.count < end
                var k = 0
                while matches, k < name.count {
                    if bytes[line + k] | 0x20 != name[k] { matches = false }
                    k += 1
                }
                if matches {
                    var p = line + name.count
                    while bytes[p] == 32 { p += 1 }
                    length = 0
                    while bytes[p] >= 48, bytes[p] <= 57 {
                        length = length * 10 + Int(bytes[p] - 48)
                        p += 1
                    }
                }
                while line < end, bytes[line] != 10 { line += 1 }
                line += 1
            }
            precondition(length >= 0, "inplaced-bench-status: an answer without Content-Length (chunked?): not supported")
            return (end, status, length)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        errors += 1
        finish()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { errors += 1 }
        finish()
    }

    private func finish() {
        guard !done else { return }
        done = true
        finished.succeed(ConnectionOutcome(latencies: latencies, errors: errors, bodyBytes: bodyBytes, end: NIODeadline.now()))
    }
}
