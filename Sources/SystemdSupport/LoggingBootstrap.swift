import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Picks the daemon's log handler: `JournaldLogHandler` on stdout when stdout is the journal,
/// otherwise swift-log's `StreamLogHandler` on stderr (timestamps, for a terminal or a file).
public enum LoggingBootstrap {
    /// A factory for `LoggingSystem.bootstrap`.
    /// - Parameters:
    ///   - level: the lowest level every handler logs.
    ///   - environment: the process environment by default; `$JOURNAL_STREAM` decides (see
    ///     `stdoutIsJournal(environment:standardOutput:)`).
    /// - Returns: a factory making a `JournaldLogHandler` per label when stdout is the journal, else
    ///   a `StreamLogHandler.standardError`.
    public static func handlerFactory(
        level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> @Sendable (String) -> any LogHandler {
        if stdoutIsJournal(environment: environment) {
            return { label in JournaldLogHandler(label: label, logLevel: level) }
        }
        return { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Whether stdout is a journal stream. systemd sets `$JOURNAL_STREAM` to `<device>:<inode>` of
    /// the journal stream when it connects stdout or stderr to the journal; like `sd_journal_stream_fd`
    /// users are advised, this also checks that `standardOutput` (fd 1 by default) is that very stream,
    /// so a child of the daemon whose stdout was redirected to a file does not print `<N>` prefixes.
    /// - Parameters:
    ///   - environment: where `$JOURNAL_STREAM` is read.
    ///   - standardOutput: the descriptor compared with it.
    /// - Returns: `false` when `$JOURNAL_STREAM` is unset, malformed, or names another file.
    public static func stdoutIsJournal(environment: [String: String], standardOutput: Int32 = STDOUT_FILENO) -> Bool {
        guard let value = environment["JOURNAL_STREAM"], let stream = parseJournalStream(value) else { return false }
        var st = stat()
        guard fstat(standardOutput, &st) == 0 else { return false }
        return UInt64(st.st_dev) == stream.device && UInt64(st.st_ino) == stream.inode
    }

    /// Parses `$JOURNAL_STREAM`: two decimal numbers, `<device>:<inode>`; `nil` otherwise.
    public static func parseJournalStream(_ value: String) -> (device: UInt64, inode: UInt64)? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        return (device, inode)
    }
}
