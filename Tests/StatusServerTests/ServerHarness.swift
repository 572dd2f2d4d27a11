import CLIKit
import Foundation
import Logging
import NodeAgent
import StatusServer

/// Runs a real `StatusServer` on a short unix socket path under /tmp for one test.
enum ServerHarness {
    static let quietLogger = Logger(label: "status-server-test") { _ in SwiftLogNoOpLogHandler() }

    /// A fresh directory under /tmp with a short name (socket paths are limited to 107 bytes).
    static func tempDir() throws -> String {
        let dir = "/tmp/ipd-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts a server on `path`; returns once it serves, or throws what `run()` threw.
    static func start(
        _ provider: any PodStatusProvider, path: String, group: String? = nil,
        idleTimeoutSeconds: Double = 30
    ) async throws -> Task<Void, Error> {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let server = StatusServer(
            provider: provider, socketPath: path, socketGroup: group, logger: quietLogger,
            idleTimeoutSeconds: idleTimeoutSeconds, onServerRunning: { continuation.yield() })
        let task = Task {
            defer { continuation.finish() }
            try await server.run()
        }
        var running = false
        for await _ in stream {
            running = true
            break
        }
        if !running {
            try await task.value
            throw HarnessError.stoppedBeforeServing
        }
        return task
    }

    /// Runs `body` with a server on a fresh socket and a client of it; stops the server after.
    static func withServer<T>(
        _ provider: any PodStatusProvider, group: String? = nil,
        _ body: (String, StatusClient) async throws -> T
    ) async throws -> T {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let task = try await start(provider, path: path, group: group)
        do {
            let result = try await body(path, StatusClient(socketPath: path))
            task.cancel()
            _ = try? await task.value
            return result
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
    }

    enum HarnessError: Error { case stoppedBeforeServing }
}
