import Foundation
import PodAPI

/// A failure of the benchmark itself.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
