import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The servers that show what limits the GET figure: the same load client against (1) Hummingbird
/// configured as the status socket, answering a fixed body of a pod's size without a provider or
/// JSON encoding, and (2) a bare NIO server answering the same bytes (the client's own ceiling).
enum CeilingServers {
    /// Serves `GET /v1/pods/:namespace/:name` with `body` on `socketPath` through Hummingbird
    /// (HTTP/1.1, the status server's idle timeout) until `body` of the caller returns.
    static func withFixedHummingbird<T>(socketPath: String, body fixed: ByteBuffer, _ body: () async throws -> T) async throws -> T {
        let router = Router(context: BasicRequestContext.self)
        router.get("/v1/pods/:namespace/:name") { _, context -> Response in
            _ = try context.parameters.require("namespace")
            _ = try context.parameters.require("name")
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: fixed))
        }
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let logger = Logger(label: "bench-ceiling", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router, server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: socketPath), serverName: nil),
            onServerRunning: { _ in readyContinuation.yield() }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let serving = Task {
            defer { readyContinuation.finish() }
            try await group.run()
        }
        for await _ in ready { break }
        defer { unlink(socketPath) }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await serving.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await serving.value
            throw error
        }
    }

    /// Serves every request on `socketPath` with `response` (a whole HTTP answer) from a bare NIO
    /// handler that only counts the blank lines ending requests, until `body` returns.
    static func withRawNIO<T>(socketPath: String, response: ByteBuffer, _ body: () async throws -> T) async throws -> T {
        unlink(socketPath)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FixedAnswerHandler(response: response))
                }
            }
            .bind(unixDomainSocketPath: socketPath).get()
        defer { unlink(socketPath) }
        do {
            let result = try await body()
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// A whole HTTP/1.1 200 answer with `body` as JSON, as Hummingbird writes its head.
    static func httpAnswer(body: ByteBuffer) -> ByteBuffer {
        var answer = ByteBuffer(
            string: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.readableBytes)\r\n\r\n")
        var copy = body
        answer.writeBuffer(&copy)
        return answer
    }
}

/// Answers each request (each CRLF CRLF seen) with the same bytes.
final class FixedAnswerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let response: ByteBuffer
    /// How much of CR LF CR LF was seen last.
    private var matched = 0

    init(response: ByteBuffer) { self.response = response }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let incoming = unwrapInboundIn(data)
        var requests = 0
        for byte in incoming.readableBytesView {
            let want: UInt8 = matched % 2 == 0 ? 13 : 10
            if byte == want {
                matched += 1
                if matched == 4 {
                    requests += 1
                    matched = 0
                }
            } else {
                matched = byte == 13 ? 1 : 0
            }
        }
        for _ in 0..<requests { context.write(wrapOutboundOut(response), promise: nil) }
        if requests > 0 { context.flush() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
