import Foundation
import Testing

@testable import PodAPI

struct TimeTests {
    @Test(arguments: [
        "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-11-29T09:47:23Z", "2100-03-01T00:00:00Z", "1969-12-31T23:59:59Z",
    ])
    func roundTripsTheAPIForm(_ s: String) throws {
        let t = try #require(Time.parse(s))
        #expect(t.description == s)
        let f = ISO8601DateFormatter()
        #expect(t.date == f.date(from: s))
    }

    @Test func acceptsOffsetsAndFractions() throws {
        #expect(Time.parse("2026-11-29T10:47:23+01:00")?.description == "2026-11-29T09:47:23Z")
        #expect(Time.parse("2026-11-29T09:47:23.5Z")?.description == "2026-11-29T09:47:23Z")
    }

    @Test func rejectsMalformed() {
        for s in ["", "2026-13-01T00:00:00Z", "2026-11-29 09:47:23Z", "yesterday", "2026-11-29T25:00:00Z"] {
            #expect(Time.parse(s) == nil, "\(s)")
        }
    }
}
