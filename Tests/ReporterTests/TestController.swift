import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import ServiceLifecycle

/// One request as the fake controller received it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var contentType: String?
    var authorization: String?
    var body: String
}

/// What the fake controller answers.
enum Reply: Sendable {
    /// This status and body at once, with a `Retry-After` header when given.
    case status(Int, body: String = "", retryAfter: String? = nil)
    /// 200 after `seconds`.
    case slow(seconds: Double)
    /// 200 once the test calls `releaseHeld()` (or the server stops).
    case hold
    /// This status once the test calls `releaseHeld()`, with a `Retry-After` header when given.
    case holdThen(Int, retryAfter: String? = nil)
}

/// A real HTTP(S) server on 127.0.0.1 standing in for the controller: records every request and
/// answers as the test says. It can be stopped and started again on the same port.
final class TestController: Sendable {
    private struct State {
        var port = 0
        var requests: [RecordedRequest] = []
        var reply: @Sendable (RecordedRequest, Int) -> Reply = { _, _ in .status(200, body: "{}") }
        var inFlight = 0
        var maxInFlight = 0
        var inFlightByPath: [String: Int] = [:]
        var maxInFlightPerPath = 0
        var answered = 0
        var held: [CheckedContinuation<Void, Never>] = []
        var releaseAllHeld = false
        var server: Task<Void, any Error>?
        var group: ServiceGroup?
    }

    let tls: TLSConfiguration?
    private let box = NIOLockedValueBox(State())

    private init(tls: TLSConfiguration?) { self.tls = tls }

    /// Starts a controller on an ephemeral port (or `port`).
    static func start(port: Int = 0, tls: TLSConfiguration? = nil) async throws -> TestController {
        let controller = TestController(tls: tls)
        try await controller.listen(port: port)
        return controller
    }

    var port: Int { box.withLockedValue { $0.port } }
    var url: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { box.withLockedValue { $0.requests } }
    var requestCount: Int { box.withLockedValue { $0.requests.count } }
    var answered: Int { box.withLockedValue { $0.answered } }
    var maxInFlight: Int { box.withLockedValue { $0.maxInFlight } }
    var maxInFlightPerPath: Int { box.withLockedValue { $0.maxInFlightPerPath } }
    var held: Int { box.withLockedValue { $0.held.count } }

    /// Sets the answer; `reply` gets the request and its 0-based index among all requests.
    func answer(_ reply: @escaping @Sendable (RecordedRequest, Int) -> Reply) {
        box.withLockedValue { $0.reply = reply }
    }

    /// Answers every request with `reply`.
    func answerAll(_ reply: Reply) { answer { _, _ in reply } }

    /// Lets every held request (and later ones in `.hold` mode) answer 200.
    func releaseHeld() {
        let held = box.withLockedValue { state in
            state.releaseAllHeld = true
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }

    /// Stops listening and closes connections: graceful shutdown first (the listener closes,
    /// idle connections close), then, after 1 s, the serving task is cancelled to cut requests
    /// still being answered. Cancelling first could trap on a connection accepted but not yet
    /// served (NIOAsyncWriter's deinit, apple/swift-nio#3481).
    func stop() async {
        releaseHeld()
        let (server, group) = box.withLockedValue { state in
            defer {
                state.server = nil
                state.group = nil
            }
            return (state.server, state.group)
        }
        await group?.triggerGracefulShutdown()
        if let server {
            let cutter = Task {
                try await Task.sleep(for: .seconds(1))
                server.cancel()
            }
            _ = try? await server.value
            cutter.cancel()
        }
        box.withLockedValue { $0.releaseAllHeld = false }
    }

    /// Listens again on the same port.
    func restart() async throws {
        let port = self.port
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                try await listen(port: port)
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError ?? CancellationError()
    }

    private func listen(port: Int) async throws {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await self.handle(request)
        }
        let app = Application(
            responder: responder,
            server: tls == nil ? .http1() : try .tls(.http1(), tlsConfiguration: tls!),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test-controller", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [], cancellationSignals: [],
                logger: Logger(label: "test-controller", factory: { _ in SwiftLogNoOpLogHandler() })))
        let server = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await port in ports {
            bound = port
            break
        }
        guard let bound, bound > 0 else {
            _ = try await server.result.get()  // throws the bind error
            throw CancellationError()
        }
        box.withLockedValue { state in
            state.port = bound
            state.server = server
            state.group = group
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path,
            contentType: request.headers[.contentType], authorization: request.headers[.authorization],
            body: String(buffer: body))
        let reply = box.withLockedValue { state -> Reply in
            let index = state.requests.count
            state.requests.append(recorded)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            state.inFlightByPath[recorded.path, default: 0] += 1
            state.maxInFlightPerPath = max(state.maxInFlightPerPath, state.inFlightByPath[recorded.path]!)
            return state.reply(recorded, index)
        }
        defer {
            box.withLockedValue { state in
                state.inFlight -= 1
                state.inFlightByPath[recorded.path, default: 1] -= 1
                state.answered += 1
            }
        }
        switch reply {
        case .status(let code, let body, let retryAfter):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            if let retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .slow(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        case .hold:
            await waitForRelease()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        case .holdThen(let code, let retryAfter):
            await waitForRelease()
            var fields = HTTPFields()
            if let retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: "held")))
        }
    }

    private func waitForRelease() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = box.withLockedValue { state -> Bool in
                if state.releaseAllHeld { return true }
                state.held.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
