import Foundation
import PodAPI

/// kubectl's `PrefixWriter`: each level indents two spaces.
struct DescribeWriter {
    var text = ""
    mutating func write(_ level: Int, _ s: String) {
        text += String(repeating: "  ", count: level) + s
    }
}
