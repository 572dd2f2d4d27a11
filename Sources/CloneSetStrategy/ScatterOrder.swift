/// `updateStrategy.scatterStrategy`: pods carrying one of these labels are spread through the
/// update order instead of being updated together, as OpenKruise's scatter sorter does.
public enum ScatterOrder {
    /// One term: a label key and value.
    public struct Term: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// `ordered` (indexes into `labels`, the labels of every pod of the set) scattered by each
    /// term in turn, the terms that match more candidates first. For one term: the last matching
    /// candidate is kept for the very end; the others are interleaved with the non-matching ones
    /// in groups sized by the density of matching pods in the whole set (or among the
    /// candidates, whichever is denser in non-matching pods), non-matching ones left over going
    /// first. A term that matches at most one candidate, or leaves at most one unmatched,
    /// changes nothing. (kruise's documented example: of 10 pods, the 3 labelled `foo=bar`
    /// become the 1st, 6th and 10th updated.)
    public static func scatter(_ ordered: [Int], labels: [[String: String]], terms: [Term]) -> [Int] {
        guard !terms.isEmpty, ordered.count > 1 else { return ordered }
        var result = ordered
        for term in sortedTerms(terms, ordered: ordered, labels: labels) {
            result = scatter(result, labels: labels, by: term)
        }
        return result
    }

    /// The terms that match some candidate, by how many they match (most first, stable); a single
    /// term as given.
    static func sortedTerms(_ terms: [Term], ordered: [Int], labels: [[String: String]]) -> [Term] {
        if terms.count == 1 { return terms }
        var seen: [Term] = []
        var counts: [Term: Int] = [:]
        for term in terms {
            for i in ordered where labels[i][term.key] == term.value {
                if counts[term] == nil { seen.append(term) }
                counts[term, default: 0] += 1
            }
        }
        return seen.enumerated().sorted { a, b in
            let x = counts[a.element] ?? 0
            let y = counts[b.element] ?? 0
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }

    struct Groups {
        var count = 0
        var matchedSize = 0
        var unmatchedSize = 0
        var unmatchedFirst = 0

        init(matched: Int, unmatched: Int) {
            count = min(matched, unmatched)
            matchedSize = Int((Double(matched) / Double(count)).rounded())
            unmatchedSize = Int((Double(unmatched) / Double(count)).rounded())
        }

        init() {}
    }

    static func groups(totalMatched: Int, totalUnmatched: Int, matched: Int, unmatched: Int) -> Groups {
        let candidates = Groups(matched: matched, unmatched: unmatched)
        if Float(totalUnmatched) / Float(totalMatched) >= Float(unmatched) / Float(matched) { return candidates }
        let whole = Groups(matched: totalMatched, unmatched: totalUnmatched)
        var g = Groups()
        g.matchedSize = whole.matchedSize
        g.unmatchedSize = whole.unmatchedSize
        g.count = min(matched / g.matchedSize, unmatched / g.unmatchedSize)
        g.unmatchedFirst = unmatched - g.count * g.unmatchedSize
        return g
    }

    static func scatter(_ ordered: [Int], labels: [[String: String]], by term: Term) -> [Int] {
        var matched = ordered.filter { labels[$0][term.key] == term.value }
        var unmatched = ordered.filter { labels[$0][term.key] != term.value }
        guard matched.count > 1, unmatched.count > 1 else { return ordered }
        let totalMatched = labels.filter { $0[term.key] == term.value }.count - 1
        let totalUnmatched = labels.count - totalMatched - 1
        let last = matched.removeLast()
        let g = groups(totalMatched: totalMatched, totalUnmatched: totalUnmatched, matched: matched.count, unmatched: unmatched.count)
        var out: [Int] = []
        out.reserveCapacity(ordered.count)
        if g.unmatchedFirst > 0 {
            out += unmatched.prefix(g.unmatchedFirst)
            unmatched.removeFirst(min(g.unmatchedFirst, unmatched.count))
        }
        for _ in 0..<g.count {
            let m = min(g.matchedSize, matched.count)
            out += matched.prefix(m)
            matched.removeFirst(m)
            let u = min(g.unmatchedSize, unmatched.count)
            out += unmatched.prefix(u)
            unmatched.removeFirst(u)
        }
        return out + matched + unmatched + [last]
    }
}
