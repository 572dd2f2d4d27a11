import CloneSetStrategy
import Testing

struct ScatterOrderTests {
    static let fooBar = ScatterOrder.Term(key: "foo", value: "bar")

    @Test func kruisesDocumentedExample() {
        // 10 pods, the 3 labelled foo=bar become the 1st, 6th and 10th updated.
        let labels: [[String: String]] = (0..<10).map { [0, 1, 2].contains($0) ? ["foo": "bar"] : [:] }
        let order = ScatterOrder.scatter(Array(0..<10), labels: labels, terms: [Self.fooBar])
        #expect(order.count == 10 && Set(order) == Set(0..<10))
        #expect(order.indices.filter { labels[order[$0]]["foo"] == "bar" }.map { $0 + 1 } == [1, 6, 10])
    }

    @Test func aTermMatchingOneCandidateChangesNothing() {
        let labels: [[String: String]] = [["foo": "bar"], [:], [:], [:]]
        #expect(ScatterOrder.scatter([3, 0, 1, 2], labels: labels, terms: [Self.fooBar]) == [3, 0, 1, 2])
    }

    @Test func theTermMatchingMoreCandidatesIsAppliedFirst() {
        // 4 of zone=a, 2 of disk=ssd among 8: both end spread, each kept pod once.
        let labels: [[String: String]] = [
            ["zone": "a"], ["zone": "a"], ["zone": "a"], ["zone": "a"], ["disk": "ssd"], ["disk": "ssd"], [:], [:],
        ]
        let terms = [ScatterOrder.Term(key: "disk", value: "ssd"), ScatterOrder.Term(key: "zone", value: "a")]
        let order = ScatterOrder.scatter(Array(0..<8), labels: labels, terms: terms)
        #expect(Set(order) == Set(0..<8) && order.count == 8)
        // No two zone=a pods in a row at the start, as they were before.
        #expect(!(labels[order[0]]["zone"] == "a" && labels[order[1]]["zone"] == "a"))
        // The last ssd pod is the last of all (the ssd term is applied last).
        #expect(labels[order[7]]["disk"] == "ssd")
    }
}
