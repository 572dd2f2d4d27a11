import Testing

@testable import NodeAgent

/// Go's Duration.String() rendering used in kubelet's messages; never traps on any Double.
struct GoDurationTests {
    @Test func rendersAsGoDoes() {
        #expect(GoDuration.format(0) == "0s")
        #expect(GoDuration.format(0.000_000_5) == "500ns")
        #expect(GoDuration.format(0.0125) == "12.5ms")
        #expect(GoDuration.format(10) == "10s")
        #expect(GoDuration.format(300) == "5m0s")
        #expect(GoDuration.format(3725.5) == "1h2m5.5s")
    }

    @Test func hugeAndNonFiniteValuesDoNotTrap() {
        for v in [Double.infinity, -Double.infinity, .nan, Double("1e309")!, 3e10, -5, Double.greatestFiniteMagnitude] {
            #expect(!GoDuration.format(v).isEmpty)
        }
        #expect(GoDuration.format(-5) == "-5s")
    }
}
