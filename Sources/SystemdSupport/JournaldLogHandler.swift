import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A swift-log `LogHandler` for a service whose stdout goes to the journal (`StandardOutput=journal`):
/// one line per message, `<N>label: message key=value ...`, where journald takes `<N>` as the
/// entry's syslog priority (see `JournaldLine`). No timestamp: the journal records its own.
///
/// Metadata is the handler's, then the metadata provider's, then the message's (later wins); an
/// error attached to the event adds `error.message` and `error.type`, as `StreamLogHandler` does.
/// Each line is written with a single `write(2)` under a process-wide lock, so lines from
/// concurrent tasks never interleave.
public struct JournaldLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void

    /// A handler writing to standard output.
    /// - Parameters:
    ///   - label: the logger's label, printed before the message.
    ///   - logLevel: the lowest level logged.
    ///   - metadataProvider: contextual metadata; the one bootstrapped with `LoggingSystem` by default.
    public init(
        label: String, logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.init(label: label, logLevel: logLevel, metadataProvider: metadataProvider, write: Self.writeToStandardOutput)
    }

    /// A handler handing each line, with its trailing `\n`, to `write` (tests capture lines with it).
    public init(
        label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        write(JournaldLine.format(level: event.level, label: label, message: event.message.description, metadata: merged) + "\n")
    }

    private static let stdoutLock = NSLock()

    /// Writes `line` to file descriptor 1 with `write(2)`, retrying on `EINTR` and after a partial
    /// write; drops the rest on any other error (a logger cannot report its own failure).
    @Sendable public static func writeToStandardOutput(_ line: String) {
        var bytes = Array(line.utf8)
        stdoutLock.lock()
        defer { stdoutLock.unlock() }
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = posixWrite(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}

/// `write(2)`, named apart from `JournaldLogHandler.write`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
    #elseif canImport(Musl)
        Musl.write(fd, buffer, count)
    #else
        Foundation.write(fd, buffer, count)
    #endif
}
