import Foundation
import NIOConcurrencyHelpers

/// The bearer token in a file, cached and re-read only when the file changes (its fingerprint:
/// inode, size, modification time) or when the cached copy is older than `maxAge` seconds (so an
/// edit that keeps all three is still seen).
final class TokenFile: Sendable {
    let path: String
    let maxAge: TimeInterval
    private let cache = NIOLockedValueBox<Cached?>(nil)

    private struct Cached {
        var fingerprint: FileFingerprint
        var token: String
        var readAt: Date
        var generation: Int
    }

    init(path: String, maxAge: TimeInterval = 60) {
        self.path = path
        self.maxAge = maxAge
    }

    /// The token (whitespace and newlines trimmed) and a generation number that grows each time a
    /// different token is read.
    /// - Throws: `ReporterError.tokenFile(path:detail:)` when the file is missing, unreadable,
    ///   not UTF-8 or empty.
    func read(now: Date = Date()) throws(ReporterError) -> (token: String, generation: Int) {
        let fingerprint: FileFingerprint
        do {
            fingerprint = try FileFingerprint.of(path)
        } catch {
            throw .tokenFile(path: path, detail: describeFileError(error))
        }
        let cached = cache.withLockedValue { $0 }
        if let cached, cached.fingerprint == fingerprint, now.timeIntervalSince(cached.readAt) < maxAge {
            return (cached.token, cached.generation)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .tokenFile(path: path, detail: describeFileError(error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .tokenFile(path: path, detail: "not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .tokenFile(path: path, detail: "empty") }
        guard !token.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .tokenFile(path: path, detail: "holds more than one line")
        }
        return cache.withLockedValue { state in
            let generation = (state?.generation ?? 0) + (state?.token == token ? 0 : 1)
            state = Cached(fingerprint: fingerprint, token: token, readAt: now, generation: generation)
            return (token, generation)
        }
    }
}
