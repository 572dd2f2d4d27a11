import Foundation
import NodeAgent
import PodAPI
import Yams

/// A configuration problem, worded with the key or file at fault.
struct ConfigError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
