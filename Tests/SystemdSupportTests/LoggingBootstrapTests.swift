import Foundation
import Logging
import Testing

@testable import SystemdSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("LoggingBootstrap picks journald format only when stdout is the journal")
struct LoggingBootstrapTests {
    /// `<device>:<inode>` of `fd`, as systemd writes `$JOURNAL_STREAM`.
    private func identity(of fd: Int32) throws -> String {
        var st = stat()
        try #require(fstat(fd, &st) == 0)
        return "\(st.st_dev):\(st.st_ino)"
    }

    @Test("JOURNAL_STREAM naming stdout gives a JournaldLogHandler at the requested level")
    func journalStdout() throws {
        let env = ["JOURNAL_STREAM": try identity(of: STDOUT_FILENO)]
        #expect(LoggingBootstrap.stdoutIsJournal(environment: env))
        let handler = LoggingBootstrap.handlerFactory(level: .warning, environment: env)("inplaced")
        let journald = try #require(handler as? JournaldLogHandler)
        #expect(journald.logLevel == .warning)
        #expect(journald.label == "inplaced")
    }

    @Test("without JOURNAL_STREAM the plain stderr handler is kept")
    func noJournal() {
        #expect(!LoggingBootstrap.stdoutIsJournal(environment: [:]))
        let handler = LoggingBootstrap.handlerFactory(level: .debug, environment: [:])("inplaced")
        #expect(handler is StreamLogHandler)
        #expect(handler.logLevel == .debug)
    }

    @Test("JOURNAL_STREAM naming another file (an inherited variable) is ignored")
    func otherFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
        let fd = open(path, O_CREAT | O_RDWR, 0o600)
        try #require(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let env = ["JOURNAL_STREAM": try identity(of: fd)]
        #expect(LoggingBootstrap.stdoutIsJournal(environment: env, standardOutput: fd))
        #expect(!LoggingBootstrap.stdoutIsJournal(environment: env, standardOutput: STDOUT_FILENO))
        #expect(LoggingBootstrap.handlerFactory(level: .info, environment: env)("x") is StreamLogHandler)
    }

    @Test("a malformed JOURNAL_STREAM is ignored", arguments: ["", "12", "a:b", "1:2:3", ":5"])
    func malformed(value: String) {
        #expect(LoggingBootstrap.parseJournalStream(value) == nil)
        #expect(!LoggingBootstrap.stdoutIsJournal(environment: ["JOURNAL_STREAM": value]))
    }

    @Test("a well-formed JOURNAL_STREAM parses to device and inode")
    func parses() throws {
        let parsed = try #require(LoggingBootstrap.parseJournalStream("64769:123456"))
        #expect(parsed.device == 64769)
        #expect(parsed.inode == 123456)
    }
}
