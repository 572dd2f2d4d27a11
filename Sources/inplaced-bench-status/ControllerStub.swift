import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The controller of the reporter figure: a real HTTP/1.1 server (Hummingbird) on 127.0.0.1 that
/// answers pod status patches with 503 while `failing`, else 200, and notes when it has accepted
/// a status for `target` distinct pods. Other requests get 200 `{}`.
final class ControllerStub: Sendable {
    private struct State {
        var failing = true
        var target = Int.max
        var accepted: Set<String> = []
        var refused = 0
        var requests = 0
        var reachedAt: ContinuousClock.Instant?
    }

    private let box = NIOLockedValueBox(State())
    private let group: ServiceGroup
    private let serving: Task<Void, any Error>
    /// `http://127.0.0.1:<port>`.
    let url: String

    private init(group: ServiceGroup, serving: Task<Void, any Error>, url: String) {
        self.group = group
        self.serving = serving
        self.url = url
    }

    /// Starts a stub answering 503 on an ephemeral port.
    /// - Throws: the bind error.
    static func start() async throws -> ControllerStub {
        let box = NIOLockedValueBox<ControllerStub?>(nil)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            guard let stub = box.withLockedValue({ $0 }) else { return Response(status: .serviceUnavailable) }
            return try await stub.handle(request)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = Logger(label: "bench-controller", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            responder: responder, server: .http1(),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let serving = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var port = 0
        for await p in ports {
            port = p
            break
        }
        guard port > 0 else {
            try await serving.value
            throw CancellationError()
        }
        let stub = ControllerStub(group: group, serving: serving, url: "http://127.0.0.1:\(port)")
        box.withLockedValue { $0 = stub }
        return stub
    }

    /// From now on answers 200, and notes the instant it has accepted statuses of `target` pods.
    func recover(target: Int) {
        box.withLockedValue { state in
            state.failing = false
            state.target = target
            if state.accepted.count >= target { state.reachedAt = ContinuousClock.now }
        }
    }

    /// When statuses of the target count of pods had been accepted, if they have.
    var reachedAt: ContinuousClock.Instant? { box.withLockedValue { $0.reachedAt } }
    /// Pod status patches answered 503.
    var refused: Int { box.withLockedValue { $0.refused } }
    /// Every request received.
    var requests: Int { box.withLockedValue { $0.requests } }

    private func handle(_ request: Request) async throws -> Response {
        var request = request
        _ = try await request.collectBody(upTo: 1 << 22)
        let path = request.uri.path
        let isPodStatus = request.method == .patch && path.hasPrefix("/api/v1/namespaces/") && path.hasSuffix("/status")
        let failing = box.withLockedValue { state -> Bool in
            state.requests += 1
            guard isPodStatus else { return false }
            if state.failing {
                state.refused += 1
                return true
            }
            if state.accepted.insert(path).inserted, state.accepted.count == state.target { state.reachedAt = ContinuousClock.now }
            return false
        }
        if failing {
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: #"{"apiVersion":"v1","kind":"Status","status":"Failure","reason":"ServiceUnavailable","code":503}"#)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
    }

    /// Stops the server: gracefully, then cancelled after 1 s.
    func stop() async {
        await group.triggerGracefulShutdown()
        let serving = self.serving
        let cutter = Task {
            try await Task.sleep(for: .seconds(1))
            serving.cancel()
        }
        _ = try? await serving.value
        cutter.cancel()
    }
}
