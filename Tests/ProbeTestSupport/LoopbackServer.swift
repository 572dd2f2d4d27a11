import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A small HTTP server on 127.0.0.1 (an ephemeral port) for probe tests: `/slow` answers after
/// 3 s, `/code/<n>` answers status n, `/redirect` answers 302; any other path answers the
/// status set with ``setStatus(_:)`` (200 at first). Every request's path and headers are kept.
public final class LoopbackServer: @unchecked Sendable {
    public struct Seen: Sendable {
        public var path: String
        /// By lowercased name.
        public var headers: [String: String]
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    private let lock = NSLock()
    private var status = 200
    private var seen: [Seen] = []
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    public private(set) var port = 0

    public static func start() async throws -> LoopbackServer {
        let s = LoopbackServer()
        try await s.listen()
        return s
    }

    public func setStatus(_ code: Int) {
        lock.lock()
        status = code
        lock.unlock()
    }
    public var requests: [Seen] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    /// Stops by graceful shutdown: the listener closes first, then open requests finish. (Not by
    /// cancelling the serving task: a connection accepted but not yet served then traps in
    /// NIOAsyncWriter's deinit, apple/swift-nio#3481.)
    public func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    private func listen() async throws {
        let (ports, cont) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in try await self.handle(request) }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in cont.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "loopback", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [], cancellationSignals: [],
                logger: Logger(label: "loopback", factory: { _ in SwiftLogNoOpLogHandler() })))
        let t = Task {
            defer { cont.finish() }
            try await group.run()
        }
        task = t
        self.group = group
        for await p in ports {
            port = p
            break
        }
        if port == 0 {
            _ = try await t.value
            throw CancellationError()
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        var headers: [String: String] = [:]
        for f in request.headers { headers[f.name.canonicalName.lowercased()] = f.value }
        let path = request.uri.path
        let code: Int = lock.withLock {
            seen.append(Seen(path: path, headers: headers))
            return status
        }
        if path == "/slow" {
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        if path == "/redirect" {
            var f = HTTPFields()
            f[.location] = "/elsewhere"
            return Response(status: .found, headers: f)
        }
        if path.hasPrefix("/code/"), let n = Int(path.dropFirst(6)) {
            return Response(status: .init(code: n), body: .init(byteBuffer: ByteBuffer(string: "code \(n)")))
        }
        return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
}

/// A loopback port nothing listens on: bound, then closed.
public func closedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close().get()
    return port
}
