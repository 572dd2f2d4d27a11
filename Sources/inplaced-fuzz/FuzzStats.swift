import Foundation
import ManifestFuzzing
import PodAPI

/// What a run counts: inputs, time, outcome classes, the slowest inputs, findings.
struct FuzzStats {
    var inputs: UInt64 = 0
    var bytes: Int = 0
    var largestInput = 0
    var loadNanoseconds: UInt64 = 0
    var generateNanoseconds: UInt64 = 0
    /// Inputs per outcome class (an input counts once in each class it shows).
    var classes: [String: Int] = [:]
    /// Classes beyond this many are counted together, so a run's memory stays bounded.
    let maxClasses = 20_000
    var otherClasses = 0
    /// Inputs and load time per strategy (the recipe's first word).
    var strategies: [String: (count: Int, nanoseconds: UInt64)] = [:]
    var slowest: (index: UInt64, nanoseconds: UInt64, bytes: Int, recipe: String)?
    /// The longest wall time of one input (CPU time decides hangs; this shows the machine's load).
    var slowestWall: (index: UInt64, nanoseconds: UInt64)?
    /// The largest rise of the peak RSS (KiB) while one input was loading, and that input.
    var peakRSS: (kib: Int, index: UInt64, bytes: Int, recipe: String) = (0, 0, 0, "")
    /// The largest rise of the peak RSS (KiB) while one input was being made, and its index.
    var generatorRise: (kib: Int, index: UInt64) = (0, 0)
    var hangs: [(index: UInt64, nanoseconds: UInt64, path: String)] = []
    var brokenInvariants: [(index: UInt64, problem: String, path: String)] = []
    var suspicious: [String: (index: UInt64, path: String)] = [:]

    /// Counts one input; `nanoseconds` is its CPU time.
    mutating func record(index: UInt64, input: FuzzInput, result: ManifestLoadResult, nanoseconds: UInt64, wallNanoseconds: UInt64) {
        if wallNanoseconds > slowestWall?.nanoseconds ?? 0 { slowestWall = (index, wallNanoseconds) }
        inputs += 1
        bytes += input.bytes.count
        largestInput = max(largestInput, input.bytes.count)
        loadNanoseconds += nanoseconds
        for c in OutcomeClass.classes(of: result) {
            if classes[c] != nil || classes.count < maxClasses {
                classes[c, default: 0] += 1
            } else {
                otherClasses += 1
            }
        }
        let strategy = String(input.recipe.prefix { $0 != "(" })
        strategies[strategy, default: (0, 0)].count += 1
        strategies[strategy, default: (0, 0)].nanoseconds += nanoseconds
        if nanoseconds > slowest?.nanoseconds ?? 0 { slowest = (index, nanoseconds, input.bytes.count, input.recipe) }
    }

    /// The invariants every result must hold: each error and pod names the input's file, every
    /// document index is in range, a result is pods, errors, or a warning that the file holds
    /// no object, and every admitted pod survives its JSON as the agent stores it (sorted keys):
    /// it decodes to the same Pod and encodes again to the same bytes (the agent takes the pod
    /// it stored for the decode of its JSON).
    static func invariantProblem(_ result: ManifestLoadResult, fileName: String) -> String? {
        if result.file != fileName { return "the result names file \(result.file)" }
        for e in result.errors {
            if e.file != fileName { return "an error names file \(e.file): \(e.message)" }
            if let d = e.document, d < 0 { return "an error names document \(d)" }
            if e.message.isEmpty { return "an error has no message" }
        }
        for p in result.pods where p.file != fileName || p.document < 0 {
            return "a pod names file \(p.file) document \(p.document)"
        }
        for p in result.pods {
            if let problem = roundTripProblem(p.pod) { return "pod \(p.pod.key) (document \(p.document)): \(problem)" }
        }
        for w in result.warnings where w.file != fileName { return "a warning names file \(w.file)" }
        if result.pods.isEmpty && result.errors.isEmpty && result.warnings.isEmpty {
            return "no pod, no error and no warning"
        }
        return nil
    }

    /// Why `pod` does not survive its sorted-keys JSON, or nil when it does.
    static func roundTripProblem(_ pod: Pod) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let json = try encoder.encode(pod)
            let back = try JSONDecoder().decode(Pod.self, from: json)
            if back != pod { return "its JSON decodes to a different pod: \(String(decoding: json, as: UTF8.self))" }
            if try encoder.encode(back) != json { return "it encodes differently after a round trip" }
            return nil
        } catch {
            return "its JSON does not round-trip: \(error)"
        }
    }
}
