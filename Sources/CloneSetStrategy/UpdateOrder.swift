/// What the update order reads of one pod.
public struct PodRank: Sendable, Hashable {
    public enum Phase: Int, Sendable, Hashable, Comparable {
        // Pending < Unknown < Running, as ActivePods orders them; the rest after.
        case pending = 0
        case unknown = 1
        case running = 2
        case other = 3

        public init(_ phase: String?) {
            switch phase {
            case "Pending": self = .pending
            case "Unknown": self = .unknown
            case "Running": self = .running
            default: self = .other
            }
        }

        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    public var name: String
    public var labels: [String: String]
    /// Bound to a node (`spec.nodeName` set).
    public var assigned: Bool
    public var phase: Phase
    public var ready: Bool
    /// Seconds since the epoch of the Ready condition's last transition (nil: unknown).
    public var readySince: Double?
    /// The highest restartCount of its containers.
    public var restarts: Int
    /// Seconds since the epoch of its creation (nil: unknown).
    public var created: Double?
    /// In kruise's `PreparingUpdate` lifecycle state (updated first).
    public var preparingUpdate: Bool

    public init(
        name: String, labels: [String: String] = [:], assigned: Bool = true, phase: Phase = .running, ready: Bool = true,
        readySince: Double? = nil, restarts: Int = 0, created: Double? = nil, preparingUpdate: Bool = false
    ) {
        self.name = name
        self.labels = labels
        self.assigned = assigned
        self.phase = phase
        self.ready = ready
        self.readySince = readySince
        self.restarts = restarts
        self.created = created
        self.preparingUpdate = preparingUpdate
    }
}

/// `updateStrategy.priorityStrategy`: weighted terms or ordered label keys (one of the two).
public enum PriorityStrategy: Sendable, Hashable {
    /// Each term: a weight and the labels a pod must all carry to get it (matchLabels).
    case weight([(weight: Int, matchLabels: [String: String])])
    /// Label keys, most important first.
    case order([String])

    public static func == (a: PriorityStrategy, b: PriorityStrategy) -> Bool {
        switch (a, b) {
        case (.order(let x), .order(let y)): return x == y
        case (.weight(let x), .weight(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.weight == $1.weight && $0.matchLabels == $1.matchLabels }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .order(let keys): hasher.combine(keys)
        case .weight(let terms):
            for t in terms {
                hasher.combine(t.weight)
                hasher.combine(t.matchLabels)
            }
        }
    }
}

/// The order in which a CloneSet's pods are updated, as OpenKruise sorts them: Kubernetes'
/// ActivePods order, then the priority strategy (a stable sort), then the scatter strategy
/// (``ScatterOrder``), then `PreparingUpdate` pods first.
public enum UpdateOrder {
    /// Kubernetes' ActivePods order, the pods to act on first first: unassigned before assigned;
    /// Pending, Unknown, Running; not ready before ready; of two ready pods, the one ready for
    /// less time; more restarts first; newer first.
    public static func activeFirst(_ a: PodRank, _ b: PodRank) -> Bool {
        if a.assigned != b.assigned { return !a.assigned }
        if a.phase != b.phase { return a.phase < b.phase }
        if a.ready != b.ready { return !a.ready }
        if a.ready, b.ready, a.readySince != b.readySince {
            // Empty first, then the later transition (ready for less time).
            guard let x = a.readySince else { return true }
            guard let y = b.readySince else { return false }
            return x > y
        }
        if a.restarts != b.restarts { return a.restarts > b.restarts }
        if a.created != b.created {
            guard let x = a.created else { return true }
            guard let y = b.created else { return false }
            return x > y
        }
        return false
    }

    /// The priority weight of a pod: the sum of the weights of the terms whose labels it carries.
    static func weight(_ pod: PodRank, _ terms: [(weight: Int, matchLabels: [String: String])]) -> Int {
        terms.reduce(0) { sum, term in
            term.matchLabels.allSatisfy { pod.labels[$0.key] == $0.value } ? sum + term.weight : sum
        }
    }

    /// (level, number) of orderPriority: the index of the first key the pod carries (-1: none,
    /// which kruise sorts first) and the integer of the trailing digits of its value.
    static func orderLevel(_ pod: PodRank, _ keys: [String]) -> (level: Int, number: Int) {
        for (i, key) in keys.enumerated() {
            guard let value = pod.labels[key] else { continue }
            let digits = String(value.reversed().prefix { $0.isNumber }.reversed())
            return (i, Int(digits) ?? 0)
        }
        return (-1, 0)
    }

    /// `candidates` (indexes into `pods`, every pod of the set) in update order.
    public static func sort(
        _ candidates: [Int], pods: [PodRank], priority: PriorityStrategy?, scatter: [ScatterOrder.Term] = []
    ) -> [Int] {
        var order = stableSorted(candidates) { activeFirst(pods[$0], pods[$1]) }
        switch priority {
        case .weight(let terms)?:
            order = stableSorted(order) { weight(pods[$0], terms) > weight(pods[$1], terms) }
        case .order(let keys)?:
            order = stableSorted(order) {
                let a = orderLevel(pods[$0], keys)
                let b = orderLevel(pods[$1], keys)
                return a.level != b.level ? a.level < b.level : a.number > b.number
            }
        case nil: break
        }
        order = ScatterOrder.scatter(order, labels: pods.map(\.labels), terms: scatter)
        return stableSorted(order) { pods[$0].preparingUpdate && !pods[$1].preparingUpdate }
    }

    static func stableSorted(_ items: [Int], by before: (Int, Int) -> Bool) -> [Int] {
        items.enumerated().sorted { x, y in
            if before(x.element, y.element) { return true }
            if before(y.element, x.element) { return false }
            return x.offset < y.offset
        }.map(\.element)
    }

    /// The first of `ordered` that may be updated now, as kruise's `limitUpdateIndexes`: at most
    /// |updateNum|; stop when the unavailable pods already on the target revision plus those
    /// accepted reach `updateMaxUnavailable`; an available pod is accepted only while the set's
    /// unavailable pods stay below it (updating a pod that is already unavailable costs nothing).
    /// - Parameters:
    ///   - available: per pod of the set, whether it is available now.
    ///   - onTarget: per pod of the set, whether it is on the revision being moved to.
    public static func limit(_ ordered: [Int], diffs: ExpectationDiffs, available: [Bool], onTarget: [Bool]) -> [Int] {
        let candidates = Array(ordered.prefix(abs(diffs.updateNum)))
        var unavailable = 0
        var targetUnavailable = 0
        for i in available.indices where !available[i] {
            unavailable += 1
            if onTarget[i] { targetUnavailable += 1 }
        }
        var accepted = 0
        for i in candidates {
            if targetUnavailable + accepted >= diffs.updateMaxUnavailable { break }
            if available[i] {
                if unavailable >= diffs.updateMaxUnavailable { break }
                unavailable += 1
            }
            accepted += 1
        }
        return Array(candidates.prefix(accepted))
    }
}
