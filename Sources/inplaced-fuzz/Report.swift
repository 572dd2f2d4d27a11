import Foundation
import ManifestFuzzing

/// The summary printed at the end of a run.
enum Report {
    static func seconds(_ ns: UInt64) -> String { String(format: "%.3f s", Double(ns) / 1e9) }

    static func print(_ stats: FuzzStats, options: FuzzOptions, nanoseconds: UInt64, generator: InputGenerator) {
        let s = Double(nanoseconds) / 1e9
        var out = "\n== inplaced-fuzz summary ==\n"
        out += "seed: \(options.seed)\n"
        out += "inputs run: \(stats.inputs)\n"
        out += String(
            format: "duration: %.1f s wall (loading: %.1f s of CPU; generating: %.1f s wall)\n", s, Double(stats.loadNanoseconds) / 1e9,
            Double(stats.generateNanoseconds) / 1e9)
        out += String(format: "inputs/s: %.0f\n", s > 0 ? Double(stats.inputs) / s : 0)
        out += "input bytes: \(stats.bytes) in all, largest \(stats.largestInput)\n"
        out += "peak RSS: \(Clock.peakRSSKiB()) KiB (ru_maxrss)\n"
        if stats.generatorRise.kib > 0 {
            out += "largest rise of the peak while making one input: +\(stats.generatorRise.kib) KiB, input #\(stats.generatorRise.index)\n"
        }
        let p = stats.peakRSS
        if p.kib > 0 {
            out +=
                "largest rise of the peak during one load: +\(p.kib) KiB, input #\(p.index) (\(p.bytes) bytes: \(p.recipe.prefix(160)))\n"
        }
        if let slow = stats.slowest {
            out += "slowest input: #\(slow.index), \(seconds(slow.nanoseconds)) of CPU, \(slow.bytes) bytes: \(slow.recipe.prefix(200))\n"
        }
        if let wall = stats.slowestWall { out += "longest wall time of one input: #\(wall.index), \(seconds(wall.nanoseconds))\n" }
        out += "strategies (inputs, mean CPU time per load):\n"
        for (name, v) in stats.strategies.sorted(by: { $0.key < $1.key }) {
            out += String(
                format: "  %-10@ %9d  %8.1f us\n", name as NSString, v.count, Double(v.nanoseconds) / Double(max(1, v.count)) / 1e3)
        }
        let accepted = stats.classes["accepted"] ?? 0
        let rejectedKinds = stats.classes.keys.filter { $0.hasPrefix("rejected: ") }.count
        out += "outcome classes: \(stats.classes.count) distinct (accepted, empty, and \(rejectedKinds) kinds of error)"
        out += stats.otherClasses > 0 ? ", plus \(stats.otherClasses) outcomes past the \(stats.maxClasses)-class cap\n" : "\n"
        out += "  inputs with an accepted pod: \(accepted); empty files: \(stats.classes["empty"] ?? 0)\n"
        out += "  most frequent error kinds:\n"
        for (c, n) in stats.classes.filter({ $0.key.hasPrefix("rejected: ") }).sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) })
            .prefix(30)
        {
            out += String(format: "  %9d  ", n) + c.dropFirst("rejected: ".count) + "\n"
        }
        out += "hangs (over \(options.hangSeconds) s of CPU): \(stats.hangs.count)\n"
        for h in stats.hangs.prefix(20) { out += "  #\(h.index) \(seconds(h.nanoseconds)) \(h.path)\n" }
        out += "broken invariants: \(stats.brokenInvariants.count)\n"
        for b in stats.brokenInvariants.prefix(20) { out += "  #\(b.index) \(b.problem) \(b.path)\n" }
        out += "suspicious messages: \(stats.suspicious.count)\n"
        for (k, v) in stats.suspicious.sorted(by: { $0.key < $1.key }) { out += "  #\(v.index) \(k) \(v.path)\n" }
        out += "crashes: 0 (a crash stops the run and names its file)\n"
        Swift.print(out, terminator: "")
    }
}
