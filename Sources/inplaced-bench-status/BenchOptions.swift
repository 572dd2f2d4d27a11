import Foundation

/// The command line of `inplaced-bench-status`.
struct BenchOptions {
    /// Pods the agent runs (2 containers each).
    var pods = 1000
    /// Concurrent keep-alive connections of the GET figure, one run set per count.
    var connections = [8, 32, 64]
    /// Length of one GET run, in seconds.
    var seconds = 5.0
    /// Runs of each measurement; the median is reported.
    var runs = 3
    /// Sequential list requests per list run.
    var listRequests = 100
    /// Failed attempts of every status before the controller recovers (reporter figure).
    var downFailures = 4
    /// Which figures: `get`, `list`, `reporter`.
    var only: Set<String> = ["get", "list", "reporter"]
    /// Whether to measure the ceilings (fixed-body Hummingbird, bare NIO) beside the GET figure.
    var ceilings = true

    static let usage = """
        usage: inplaced-bench-status [--pods N] [--connections 8,32,64] [--seconds S] [--runs R]
                                     [--list-requests M] [--down-failures F] [--only get,list,reporter] [--no-ceilings]
        """

    /// - Throws: `BenchError.usage` for an unknown option or a bad value.
    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(_ name: String) throws -> String {
            guard let v = rest.popFirst() else { throw BenchError.usage("\(name) needs a value\n\(usage)") }
            return v
        }
        func int(_ name: String) throws -> Int {
            guard let n = Int(try value(name)), n > 0 else { throw BenchError.usage("\(name) needs a positive integer\n\(usage)") }
            return n
        }
        while let arg = rest.popFirst() {
            switch arg {
            case "--pods": options.pods = try int(arg)
            case "--connections":
                options.connections = try value(arg).split(separator: ",").map {
                    guard let n = Int($0), n > 0 else { throw BenchError.usage("--connections: \($0) is not a positive integer") }
                    return n
                }
            case "--seconds":
                guard let s = Double(try value(arg)), s > 0 else { throw BenchError.usage("--seconds needs a positive number") }
                options.seconds = s
            case "--runs": options.runs = try int(arg)
            case "--list-requests": options.listRequests = try int(arg)
            case "--down-failures": options.downFailures = try int(arg)
            case "--only": options.only = Set(try value(arg).split(separator: ",").map(String.init))
            case "--no-ceilings": options.ceilings = false
            case "-h", "--help":
                print(usage)
                exit(0)
            default: throw BenchError.usage("unknown argument \(arg)\n\(usage)")
            }
        }
        return options
    }
}
