import Foundation
import Logging
import Testing

@testable import SystemdSupport

/// Lines a `JournaldLogHandler` wrote.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func write(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite("JournaldLogHandler writes <priority>label: message key=value lines")
struct JournaldLogHandlerTests {
    private func logger(level: Logger.Level = .trace, sink: LineSink) -> Logger {
        Logger(label: "inplaced") { label in
            JournaldLogHandler(label: label, logLevel: level, write: { sink.write($0) })
        }
    }

    @Test(
        "each level carries its syslog priority",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ])
    func priorityPerLevel(level: Logger.Level, priority: Int) {
        let sink = LineSink()
        logger(sink: sink).log(level: level, "pod started")
        #expect(sink.all == ["<\(priority)>inplaced: pod started\n"])
    }

    @Test("metadata follows the message sorted by key, values with spaces quoted")
    func metadataSortedAndQuoted() {
        let sink = LineSink()
        logger(sink: sink).info(
            "container restarted",
            metadata: [
                "pod": "default/web", "reason": "image changed", "container": "app", "restarts": "1",
            ])
        #expect(sink.all == ["<6>inplaced: container restarted container=app pod=default/web reason=\"image changed\" restarts=1\n"])
    }

    @Test(
        "quotes, backslashes, equals signs, empty values and line breaks are quoted and escaped",
        arguments: [
            ("plain", "plain"),
            ("", "\"\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("C:\\dir", "\"C:\\\\dir\""),
            ("a=b", "\"a=b\""),
            ("two\nlines", "\"two\\nlines\""),
            ("tab\there", "\"tab\\there\""),
        ])
    func quoting(value: String, rendered: String) {
        let sink = LineSink()
        logger(sink: sink).warning("x", metadata: ["k": .string(value)])
        #expect(sink.all == ["<4>inplaced: x k=\(rendered)\n"])
    }

    @Test("a multi-line message stays one line, so one journal entry with one priority")
    func multiLineMessage() {
        let sink = LineSink()
        logger(sink: sink).error("manifest web.yaml:\nspec.containers[0].image: Required value")
        #expect(sink.all == ["<3>inplaced: manifest web.yaml:\\nspec.containers[0].image: Required value\n"])
    }

    @Test("messages below the handler's level are not written")
    func levelFilter() {
        let sink = LineSink()
        let log = logger(level: .notice, sink: sink)
        log.debug("hidden")
        log.info("hidden too")
        log.notice("shown")
        #expect(sink.all == ["<5>inplaced: shown\n"])
    }

    @Test("handler, provider and message metadata merge, the message's winning")
    func metadataMerge() {
        let sink = LineSink()
        let provider = Logger.MetadataProvider { ["node": "n1", "task": "provider"] }
        var log = Logger(label: "agent") { label in
            JournaldLogHandler(label: label, logLevel: .info, metadataProvider: provider, write: { sink.write($0) })
        }
        log[metadataKey: "component"] = "relister"
        log[metadataKey: "task"] = "handler"
        log.info("relisted", metadata: ["task": "message"])
        #expect(sink.all == ["<6>agent: relisted component=relister node=n1 task=message\n"])
    }

    @Test("arrays and dictionaries print unquoted inside, quoted as a whole when they hold spaces")
    func nestedValues() {
        let sink = LineSink()
        logger(sink: sink).info("m", metadata: ["list": ["a", "b"], "one": ["x"], "map": ["z": "1", "y": "2"]])
        #expect(sink.all == ["<6>inplaced: m list=\"[a, b]\" map=\"[y: 2, z: 1]\" one=[x]\n"])
    }
}
