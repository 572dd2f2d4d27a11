import Foundation
import PodAPI
import StateStore

/// How a source's desired pods differ from the pods the agent knows, as kubelet's pod config
/// merges a source's snapshot into ADD / UPDATE / REMOVE: a pure function, the first of the
/// three stages of ``NodeAgent/apply(_:)`` (diff, admit, record).
struct DesiredPodsDiff {
    enum Change: Equatable {
        /// A pod the agent does not know.
        case added
        /// The same spec as stored (uid and creationTimestamp are the stored ones).
        case unchanged
        /// The same spec, now defined by another file.
        case moved
        /// A different spec: admission says whether and how it applies.
        case changed
        /// The same namespace/name with another uid (an API pod deleted and created again, as
        /// kubelet tells pods apart by UID): the known pod is deleted and this one added.
        case replaced
    }

    struct Item {
        /// The desired pod, with the stored uid and creationTimestamp when the agent knows it.
        var entry: DesiredPods.Entry
        var change: Change
    }

    var items: [Item]
    /// Known pods the snapshot no longer defines, by `namespace/name`; empty when the snapshot is
    /// incomplete, and never a pod of a file that failed to load (it keeps running as it was).
    /// A partial snapshot removes only pods of its own sources.
    var removed: [String]

    /// The diff of `desired` against `known`: of every pod for a whole snapshot, of the pods of
    /// its sources (files) only for a partial one, so an edit costs the edited file's pods.
    static func compute(_ desired: DesiredPods, known: KnownPods) -> DesiredPodsDiff {
        var items: [Item] = []
        var seen = Set<String>()
        for var entry in desired.pods {
            let key = entry.pod.key
            seen.insert(key)
            guard let (rec, old) = known[key] else {
                items.append(Item(entry: entry, change: .added))
                continue
            }
            if let uid = entry.pod.metadata.uid, uid != rec.uid {
                items.append(Item(entry: entry, change: .replaced))
                continue
            }
            entry.pod.metadata.uid = rec.uid
            entry.pod.metadata.creationTimestamp = old.metadata.creationTimestamp
            if entry.pod == old {
                items.append(Item(entry: entry, change: rec.source == entry.source ? .unchanged : .moved))
            } else {
                items.append(Item(entry: entry, change: .changed))
            }
        }
        var removed: [String] = []
        if desired.complete {
            let candidates = desired.partialSources.map { sources in sources.flatMap { known.keys(of: $0) } } ?? Array(known.keys)
            for key in candidates where !seen.contains(key) {
                guard let k = known[key], !desired.failedFiles.contains(k.record.source) else { continue }
                removed.append(key)
            }
        }
        return DesiredPodsDiff(items: items, removed: removed.sorted())
    }
}
