import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// `inplacectl status`'s State Store line: refused writes are counted; a problem of the database
/// file itself (writes go through, to a removed file) is named without a count.
@Suite struct HealthPrinterTests {
    func stateStoreLine(failures: Int?, error: String) -> String? {
        var h = Fixtures.health(status: "unhealthy")
        h.storeWriteError = error
        h.storeWriteErrorTime = Time(Date().addingTimeInterval(-90))
        h.storeWriteFailures = failures
        return HealthPrinter.print(h).split(separator: "\n").first { $0.hasPrefix("State Store:") }.map(String.init)
    }

    @Test func refusedWritesAreCounted() {
        let full = "write of table pods: database or disk is full"
        #expect(stateStoreLine(failures: 3, error: full) == "State Store:      3 writes refused in a row, the last 90s ago: \(full)")
        #expect(stateStoreLine(failures: 1, error: full) == "State Store:      1 write refused in a row, the last 90s ago: \(full)")
    }

    @Test func aFileProblemIsNamedWithoutACount() {
        let removed = "the database file /var/lib/inplaced/state.db was removed while open"
        let line = stateStoreLine(failures: 0, error: removed)
        #expect(line == "State Store:      \(removed) (since 90s ago)")
        #expect(line?.contains("refused") == false)
    }

    @Test func noProblemNoLine() {
        #expect(!HealthPrinter.print(Fixtures.health()).contains("State Store"))
    }
}
