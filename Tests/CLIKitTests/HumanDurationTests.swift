import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// kubectl's ages (apimachinery's duration.HumanDuration) at each boundary.
@Suite("Human durations")
struct HumanDurationTests {
    static let cases: [(Double, String)] = [
        (0, "0s"), (-1, "0s"), (-2.5, "<invalid>"), (45, "45s"), (119.9, "119s"),
        (120, "2m"), (192, "3m12s"), (599, "9m59s"), (600, "10m"), (10_799, "179m"),
        (10_800, "3h"), (11_100, "3h5m"), (28_799, "7h59m"), (28_800, "8h"), (169_200, "47h"),
        (172_800, "2d"), (183_600, "2d3h"), (687_600, "7d23h"), (691_200, "8d"),
        (62_985_600, "729d"), (63_072_000, "2y"), (63_504_000, "2y5d"), (252_288_000, "8y"),
    ]

    @Test("ages at kubectl's boundaries", arguments: cases)
    func boundaries(seconds: Double, expected: String) {
        #expect(HumanDuration.string(seconds) == expected)
    }

    @Test("an unset timestamp is <unknown>")
    func unknown() {
        #expect(HumanDuration.since(nil, now: Fixtures.now) == "<unknown>")
        #expect(HumanDuration.since(Fixtures.ago(5 * 3600), now: Fixtures.now) == "5h")
    }
}

/// Go's text/tabwriter, as kubectl configures it.
@Suite("Tab writer")
struct TabWriterTests {
    @Test("kubectl's table writer pads with 3 spaces, to at least 6")
    func table() {
        let text = TabWriter.kubectlTable.format(rows: [["NAME", "READY", "AGE"], ["a-long-name", "1/1", "5s"]])
        #expect(text == "NAME          READY   AGE\na-long-name   1/1     5s\n")
        #expect(TabWriter.kubectlTable.format(rows: [["a", "b"], ["c", "d"]]) == "a     b\nc     d\n")
    }

    @Test("a line without a tab ends a column block; the last cell is never padded")
    func blocks() {
        let text = TabWriter.kubectlDescribe.format("x:\t1\nlonger:\t2\nbreak\ny:\t3\n  nested:\tn\n")
        #expect(text == "x:       1\nlonger:  2\nbreak\ny:         3\n  nested:  n\n")
    }

    @Test("a leading empty cell aligns continuation lines")
    func continuation() {
        let text = TabWriter.kubectlDescribe.format("Labels:\ta=1\n\tb=2\nIP:\t10.0.0.1\n")
        #expect(text == "Labels:  a=1\n         b=2\nIP:      10.0.0.1\n")
    }
}
