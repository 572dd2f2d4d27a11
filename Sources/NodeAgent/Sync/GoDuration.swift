import ContainerRuntime
import Foundation
import PodAPI

/// Go's `time.Duration.String()` rendering of seconds (`1.5s`, `230ms`, `12.5µs`, `2m3s`).
enum GoDuration {
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 9.2e9 else {
            return seconds.isNaN ? "NaN" : (seconds < 0 ? "-" : "") + "2562047h47m16.854775807s"
        }
        if seconds < 0 { return "-" + format(-seconds) }
        let ns = Int64((seconds * 1e9).rounded())
        if ns == 0 { return "0s" }
        if ns < 1_000 { return "\(ns)ns" }
        if ns < 1_000_000 { return trim(Double(ns) / 1e3) + "µs" }
        if ns < 1_000_000_000 { return trim(Double(ns) / 1e6) + "ms" }
        var rest = Double(ns) / 1e9
        var out = ""
        if rest >= 3600 {
            let h = Int(rest / 3600)
            out += "\(h)h"
            rest -= Double(h) * 3600
        }
        if rest >= 60 || !out.isEmpty {
            let m = Int(rest / 60)
            out += "\(m)m"
            rest -= Double(m) * 60
        }
        return out + trim(rest) + "s"
    }

    private static func trim(_ v: Double) -> String {
        var s = String(format: "%.9f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
